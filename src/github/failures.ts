import { firstLine } from '../core/words.js';

/**
 * What a failure means for the run, decided here and nowhere else:
 * - `transient`: GitHub may answer otherwise later (a 5xx, 429, a rate limit, a dropped
 *   connection, a time-out). The only kind tried again.
 * - `refused`: GitHub answered, and will answer the same again (a 4xx, a GraphQL error).
 * - `bug`: anything else thrown — meshready's own defect. Never tried again: a retry would
 *   only hide it behind a backoff.
 */
export type GitHubFailure =
  | { kind: 'transient'; reason: string }
  | { kind: 'refused'; status: number; reason: string }
  | { kind: 'bug'; error: unknown; reason: string };

interface RequestErrorLike {
  status: number;
  message: string;
  request: { method: string; url: string };
  /** Absent when GitHub never answered (a dropped connection, a time-out). */
  response?: { headers?: Record<string, string | undefined> };
}

interface GraphQLErrorLike {
  name: 'GraphqlResponseError';
  errors: { type?: string; message: string }[];
}

function isRequestError(error: unknown): error is RequestErrorLike {
  const candidate = error as Partial<RequestErrorLike> | null;
  return typeof candidate?.status === 'number' && typeof candidate.request?.method === 'string' && typeof candidate.request.url === 'string';
}

function isGraphQLError(error: unknown): error is GraphQLErrorLike {
  const candidate = error as Partial<GraphQLErrorLike> | null;
  return candidate?.name === 'GraphqlResponseError' && Array.isArray(candidate.errors);
}

/** `/repos/o/r/pulls/2/files`: the request's path, without host, GHE's `/api/v3` or query. */
function pathOf(url: string): string {
  return url.replace(/^https?:\/\/[^/]+/, '').replace(/^\/api\/v3/, '').split('?')[0]!;
}

/** A secondary rate limit (403 with GitHub's wording) or the primary one spent (remaining 0). */
function isRateLimit(error: RequestErrorLike): boolean {
  return /rate limit/i.test(error.message) || error.response?.headers?.['x-ratelimit-remaining'] === '0';
}

export function failureOf(error: unknown): GitHubFailure {
  if (isRequestError(error)) {
    const request = `${error.request.method} ${pathOf(error.request.url)}`;
    const reason = error.response ? `GitHub answered ${error.status} to ${request}: ${firstLine(error.message)}` : `GitHub did not answer ${request}: ${firstLine(error.message)}`;
    // Octokit reports a request that got no answer (network, time-out) as a 500; 0 is a status it could not read.
    if (error.status >= 500 || error.status === 0 || error.status === 429) return { kind: 'transient', reason };
    if (error.status === 403 && isRateLimit(error)) return { kind: 'transient', reason };
    return { kind: 'refused', status: error.status, reason };
  }
  if (isGraphQLError(error)) {
    const reason = `GitHub's GraphQL API answered: ${error.errors.map((entry) => firstLine(entry.message)).join('; ')}`;
    if (error.errors.some((entry) => entry.type === 'RATE_LIMITED')) return { kind: 'transient', reason };
    return { kind: 'refused', status: 200, reason };
  }
  const name = (error as { name?: unknown } | null)?.name;
  // A time-out or an abort that reached us without Octokit's wrapping.
  if (name === 'AbortError' || name === 'TimeoutError') return { kind: 'transient', reason: firstLine((error as Error).message) || String(name) };
  return { kind: 'bug', error, reason: firstLine((error as { message?: string } | null)?.message) || String(error) };
}

export function isTransient(error: unknown): boolean {
  return failureOf(error).kind === 'transient';
}

/** A readable line about a failure, for check runs and logs. */
export function describeFailure(error: unknown): string {
  return failureOf(error).reason;
}
