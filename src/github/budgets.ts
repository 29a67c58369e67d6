/** GitHub's secondary limits on content-creating requests, per installation (its REST docs). */
export const WRITES_PER_MINUTE = 80;
export const WRITES_PER_HOUR = 500;

/** Whether a request counts against the content-creation budget (reads, GraphQL queries and token requests do not). */
export function isContentCreating(method: string, path: string, body: unknown): boolean {
  if (method === 'GET' || method === 'HEAD') return false;
  if (/\/access_tokens$/.test(path)) return false;
  if (path === '/graphql') return /^\s*mutation\b/.test((body as { query?: string } | undefined)?.query ?? '');
  return true;
}
