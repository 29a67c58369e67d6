import { describe, expect, it } from 'vitest';
import { failureOf } from '../src/github/failures.js';

/** A failure as Octokit throws it: GitHub's status and message, the request, the answer if one came. */
function requestError(status: number, message: string, answered = true, headers: Record<string, string> = {}) {
  return Object.assign(new Error(message), {
    status,
    request: { method: 'POST', url: 'https://api.github.com/repos/o/r/check-runs?x=1' },
    ...(answered ? { response: { headers } } : {}),
  });
}

describe('what a failure means', () => {
  it('transient: GitHub may answer otherwise later', () => {
    expect(failureOf(requestError(502, 'Bad Gateway'))).toEqual({ kind: 'transient', reason: 'GitHub answered 502 to POST /repos/o/r/check-runs: Bad Gateway' });
    expect(failureOf(requestError(429, 'Too Many Requests')).kind).toBe('transient');
    expect(failureOf(requestError(403, 'You have exceeded a secondary rate limit')).kind).toBe('transient');
    expect(failureOf(requestError(403, 'API rate limit exceeded', true, { 'x-ratelimit-remaining': '0' })).kind).toBe('transient');
    expect(failureOf(requestError(500, 'socket hang up', false))).toEqual({ kind: 'transient', reason: 'GitHub did not answer POST /repos/o/r/check-runs: socket hang up' });
    expect(failureOf(Object.assign(new Error('This operation was aborted'), { name: 'AbortError', status: 500 })).kind).toBe('transient');
    const rateLimited = Object.assign(new Error('rate limited'), { name: 'GraphqlResponseError', errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded' }] });
    expect(failureOf(rateLimited).kind).toBe('transient');
  });

  it('refused: GitHub answered, and will answer the same again', () => {
    expect(failureOf(requestError(422, 'Validation Failed\n{"errors":[]}'))).toEqual({ kind: 'refused', status: 422, reason: 'GitHub answered 422 to POST /repos/o/r/check-runs: Validation Failed' });
    expect(failureOf(requestError(403, 'Resource not accessible by integration'))).toMatchObject({ kind: 'refused', status: 403 });
    const graphql = Object.assign(new Error('x'), { name: 'GraphqlResponseError', errors: [{ type: 'NOT_FOUND', message: "Could not resolve to a Repository with the name 'o/r'." }] });
    expect(failureOf(graphql)).toEqual({ kind: 'refused', status: 200, reason: "GitHub's GraphQL API answered: Could not resolve to a Repository with the name 'o/r'." });
  });

  it("a bug: anything else thrown is meshready's own", () => {
    const error = new TypeError("Cannot read properties of null (reading 'filename')");
    expect(failureOf(error)).toEqual({ kind: 'bug', error, reason: "Cannot read properties of null (reading 'filename')" });
    expect(failureOf('a string')).toMatchObject({ kind: 'bug', reason: 'a string' });
  });
});
