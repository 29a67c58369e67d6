import { describe, expect, it } from 'vitest';
import type { FakeGitHub } from '../src/demo/fake-github.js';
import { WriteBudget } from '../src/demo/github-rules.js';
import { HEAD_SHA, OWNER, REPO, pullRequestScenario } from './support/app-harness.js';

/** The fake refuses what GitHub refuses, as GitHub answers: each rule, broken on purpose. */
describe('the fake GitHub keeps GitHub\'s contract', () => {
  const scenario = () => pullRequestScenario({ 'k8s/a.yaml': 'a: 1\nb: 2\nc: 3\n' }, { 'k8s/a.yaml': 'a: 1\nb: 20\nc: 3\nd: 4\n' }).github;
  const createRun = (github: FakeGitHub, body: Record<string, unknown>) =>
    github.handle('POST', `/repos/${OWNER}/${REPO}/check-runs`, { name: 'meshready', head_sha: HEAD_SHA, ...body });
  const annotation = { path: 'k8s/a.yaml', start_line: 2, end_line: 2, annotation_level: 'warning', message: 'm', title: 't' };
  const output = (extra: Record<string, unknown>) => ({ output: { title: 'T', summary: 'S', ...extra } });

  it('check runs: 50 annotations a request, titles of 255, 65,535 bytes of summary and text, a conclusion to complete, columns on one line only, a known commit', () => {
    const github = scenario();
    expect(createRun(github, output({ annotations: Array(50).fill(annotation) })).status).toBe(201);
    const refused: [string, Record<string, unknown>][] = [
      ['Only 50 annotations are allowed per request', output({ annotations: Array(51).fill(annotation) })],
      ['Annotation title is too long (maximum is 255 characters)', output({ annotations: [{ ...annotation, title: 'x'.repeat(256) }] })],
      ['Invalid request.\n\nOnly 65535 characters are allowed; 65537 were supplied.', output({ summary: `${'x'.repeat(65_534)}…` })],
      ['Invalid request.\n\nOnly 65535 characters are allowed; 70000 were supplied.', output({ text: 'x'.repeat(70_000) })],
      ['Conclusion is required when status is completed', { status: 'completed' }],
      ['Annotation columns are only allowed when start_line and end_line are equal', output({ annotations: [{ ...annotation, end_line: 3, start_column: 1, end_column: 2 }] })],
      ['Annotation start_line must not be after end_line', output({ annotations: [{ ...annotation, start_line: 3, end_line: 2 }] })],
    ];
    for (const [message, body] of refused) expect(createRun(github, body)).toMatchObject({ status: 422, body: { message } });
    expect(createRun(github, { head_sha: 'f'.repeat(40) })).toMatchObject({ status: 422, body: { message: `No commit found for SHA: ${'f'.repeat(40)}` } });
    const id = (createRun(github, {}).body as { id: number }).id;
    expect(github.handle('PATCH', `/repos/${OWNER}/${REPO}/check-runs/${id}`, { status: 'completed' }).status).toBe(422);
  });

  it('review comments: on a line of a hunk, of the side given (LEFT too), start_line before line, a known commit; and per pull request', () => {
    const github = scenario();
    const review = (comments: Record<string, unknown>[], commitId = HEAD_SHA) =>
      github.handle('POST', `/repos/${OWNER}/${REPO}/pulls/2/reviews`, { commit_id: commitId, event: 'COMMENT', body: '', comments: comments.map((comment) => ({ path: 'k8s/a.yaml', body: 'b', ...comment })) });
    expect(review([{ line: 2, side: 'RIGHT' }, { line: 2, side: 'LEFT' }, { start_line: 1, line: 4, side: 'RIGHT' }]).status).toBe(200);
    expect(review([{ line: 4, side: 'LEFT' }])).toMatchObject({ status: 422, body: { errors: ['Line could not be resolved'] } });
    expect(review([{ start_line: 3, line: 3, side: 'RIGHT' }])).toMatchObject({ status: 422, body: { errors: ['start_line must precede the end line'] } });
    expect(review([{ line: 9, side: 'RIGHT' }]).status).toBe(422);
    expect(review([], 'e'.repeat(40))).toMatchObject({ status: 422, body: { message: 'commit_id is not part of the pull request' } });
    // Another pull request of the repository sees none of these comments.
    github.pulls.set(3, { ...github.pulls.get(2)!, number: 3 });
    expect((github.handle('GET', `/repos/${OWNER}/${REPO}/pulls/2/comments`, undefined).body as unknown[]).length).toBe(3);
    expect(github.handle('GET', `/repos/${OWNER}/${REPO}/pulls/3/comments`, undefined).body).toEqual([]);
  });

  it('rate limits: x-ratelimit-* on every answer, and 403 with retry-after past 80 writes a minute', () => {
    const github = scenario();
    const read = github.handle('GET', `/repos/${OWNER}/${REPO}/pulls/2`, undefined);
    expect(read.headers).toMatchObject({ 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '4999' });
    let clock = 0;
    github.writeBudget = new WriteBudget(80, () => clock);
    for (let write = 0; write < 80; write++) expect(createRun(github, {}).status).toBe(201);
    expect(createRun(github, {})).toMatchObject({ status: 403, headers: { 'retry-after': '60' } });
    // GraphQL reads are not content creation.
    expect(github.handle('POST', '/graphql', { query: 'query { viewer { login } }', variables: {} }).status).toBe(200);
    clock = 60_001;
    expect(createRun(github, {}).status).toBe(201);
    github.remainingRequests = 0;
    expect(github.handle('GET', `/repos/${OWNER}/${REPO}/pulls/2`, undefined)).toMatchObject({ status: 403, headers: { 'x-ratelimit-remaining': '0' } });
  });

  it('leaves out the patches of a files page past about 20,000 lines, as GitHub does', () => {
    const head = Object.fromEntries(Array.from({ length: 30 }, (_, index) => [`k8s/f${index}.yaml`, Array.from({ length: 1_000 }, (__, line) => `k${line}: ${index}`).join('\n') + '\n']));
    const github = pullRequestScenario({}, head).github;
    const page = github.handle('GET', `/repos/${OWNER}/${REPO}/pulls/2/files?per_page=100`, undefined).body as { filename: string; patch?: string; changes?: number }[];
    expect(page).toHaveLength(30);
    expect(page.filter((file) => file.patch !== undefined)).toHaveLength(20);
    expect(page[25]).toMatchObject({ changes: 0 });
    expect(page[25]!.patch).toBeUndefined();
  });
});
