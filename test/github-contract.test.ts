import { describe, expect, it } from 'vitest';
import { GitHubContract } from './support/github-contract.js';

/** The contract check must itself be able to fail, or the app tests prove nothing. */
describe('GitHub API contract check', () => {
  const contract = new GitHubContract();

  it('accepts a valid review and refuses a wrong event, a wrong side and a deprecated position', () => {
    const review = (body: object) => ({ method: 'POST', path: '/repos/o/r/pulls/1/reviews', body });
    expect(contract.check(review({ event: 'COMMENT', body: 'b', comments: [{ path: 'a', line: 3, side: 'RIGHT', body: 'x' }] }))).toEqual([]);
    expect(contract.check(review({ event: 'SHOUT' }))).toEqual([expect.stringContaining('must be equal to one of the allowed values')]);
    expect(contract.check(review({ event: 'COMMENT', comments: [{ path: 'a', line: 3, side: 'MIDDLE', body: 'x' }] }))).toEqual([
      'POST /repos/o/r/pulls/1/reviews: comment side MIDDLE',
    ]);
    expect(contract.check(review({ event: 'COMMENT', comments: [{ path: 'a', position: 3, side: 'RIGHT', body: 'x' }] }))).toEqual([
      'POST /repos/o/r/pulls/1/reviews: uses the deprecated position',
    ]);
  });

  it("validates GraphQL against GitHub's published schema", () => {
    const graphql = (query: string) => contract.check({ method: 'POST', path: '/graphql', body: { query, variables: {} } });
    expect(graphql('query ($owner: String!, $name: String!) { repository(owner: $owner, name: $name) { f0: object(expression: "x") { ... on Blob { oid byteSize isBinary isTruncated text } } } }')).toEqual([]);
    expect(graphql('query { repository(owner: "o", name: "r") { noSuchField } }')).toEqual(['POST /graphql: Cannot query field "noSuchField" on type "Repository".']);
    expect(graphql('query { repository(')).toEqual([expect.stringContaining('POST /graphql: does not parse')]);
  });

  it('refuses an endpoint GitHub does not have and a check run body of the wrong shape', () => {
    expect(contract.check({ method: 'POST', path: '/repos/o/r/no-such-thing', body: {} })).toEqual(['POST /repos/o/r/no-such-thing: no such endpoint in GitHub\'s API']);
    expect(contract.check({ method: 'GET', path: '/repos/o/r/pulls/1/files?per_page=100&page=2', body: undefined })).toEqual([]);
    expect(contract.check({ method: 'GET', path: '/repos/o/r/pulls/1/files?per_page=100&sort=name', body: undefined })).toEqual(['GET /repos/o/r/pulls/1/files: no query parameter sort']);
    expect(contract.check({ method: 'POST', path: '/repos/o/r/check-runs', body: { head_sha: 'x' } })).toEqual([
      expect.stringContaining("must have required property 'name'"),
    ]);
    expect(contract.check({ method: 'PATCH', path: '/repos/o/r/check-runs/1', body: { conclusion: 'maybe' } })).toEqual([
      expect.stringContaining('must be equal to one of the allowed values'),
    ]);
  });
});
