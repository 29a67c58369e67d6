/** A readable line about a failed GitHub request (or anything else thrown), for check runs and logs. */
export function describeError(error: unknown): string {
  const failure = error as { status?: number; message?: string; request?: { method?: string; url?: string } };
  if (typeof failure.status === 'number' && failure.request?.method && failure.request.url) {
    const path = failure.request.url.replace(/^https?:\/\/[^/]+/, '').replace(/^\/api\/v3/, '');
    return `GitHub answered ${failure.status} to ${failure.request.method} ${path.split('?')[0]}: ${firstLine(failure.message)}`;
  }
  return firstLine(failure.message) || String(error);
}

function firstLine(message: string | undefined): string {
  return (message ?? '').split('\n')[0]!.trim();
}

export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' ? status : undefined;
}
