import fc from 'fast-check';
import type { Probot } from 'probot';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LineIndex } from '../src/core/source.js';
import type { Finding } from '../src/core/types.js';
import type { FakeGitHub, FakeResponse } from '../src/demo/fake-github.js';
import { githubPatch } from '../src/demo/pull-request.js';
import { diffLinesOf } from '../src/diff/hunks.js';
import { placeFinding } from '../src/diff/placement.js';
import { fixture, lint } from './helpers.js';
import { GitHubContract } from './support/github-contract.js';
import { HEAD_SHA, createProbot, interceptGitHub, pullRequestEvent, pullRequestScenario, releaseGitHub } from './support/app-harness.js';

/** Lines of real manifests, so that generated files are often valid YAML with findings. */
const MANIFEST_LINES = [
  ...fixture('rules/reserved-uid/positive.yaml').text.split('\n'),
  ...fixture('rules/port-protocol/positive.yaml').text.split('\n'),
  '---',
  '  - [unclosed',
  '\t tab',
  'a: &x [*x]',
  '',
];
const manifestText = fc.array(fc.constantFrom(...MANIFEST_LINES), { maxLength: 60 }).map((lines) => lines.join('\n'));

/** RIGHT-side lines of a patch read the simplest way, as an oracle for the diff stage. */
function rightSideHunks(patch: string): [number, number][] {
  const hunks: [number, number][] = [];
  let line = 0;
  for (const text of patch.split('\n')) {
    const header = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(text);
    if (header) {
      line = Number(header[1]);
      if (header[2] !== '0') hunks.push([line, line - 1]);
    } else if (text.startsWith('+') || text.startsWith(' ')) {
      hunks.at(-1)![1] = line++;
    }
  }
  return hunks;
}

describe('property: the engine never throws', () => {
  it('on any text, and every span it reports lies in the file', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 400 }), manifestText), (text) => {
        const report = lint([{ path: 'x.yaml', text }]);
        const lineCount = new LineIndex(text).lineCount();
        for (const finding of report.findings) {
          expect(finding.span.startLine).toBeGreaterThanOrEqual(1);
          expect(finding.span.endLine).toBeLessThanOrEqual(lineCount);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('on any patch text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (patch) => void diffLinesOf(`@@ -1 +1 @@\n${patch}`)), { numRuns: 300 });
  });
});

describe('property: every review comment lands on a RIGHT-side line of one hunk', () => {
  it('for findings and fixes anywhere in a changed file', () => {
    fc.assert(
      fc.property(manifestText, manifestText, fc.nat(), fc.nat(), fc.nat(), fc.string({ maxLength: 30 }), (base, head, lineSeed, startSeed, lengthSeed, newText) => {
        const patch = githubPatch(base, head);
        const lines = new LineIndex(head);
        const line = (lineSeed % lines.lineCount()) + 1;
        const start = head.length === 0 ? 0 : startSeed % head.length;
        const end = Math.min(head.length, start + (lengthSeed % 40));
        const finding = {
          ruleId: 'reserved-uid',
          severity: 'error',
          message: 'm',
          file: 'x.yaml',
          span: { startLine: line, startColumn: 1, endLine: line, endColumn: 2 },
          nodePath: [],
          docsUrl: '',
          fingerprint: 'f',
          fix: { description: 'd', safe: true, edits: [{ file: 'x.yaml', startOffset: start, endOffset: end, newText }] },
        } satisfies Finding;
        const placement = placeFinding(finding, head, diffLinesOf(patch), { suggestions: true });
        if (placement.kind === 'annotation') return;
        const first = placement.startLine ?? placement.line;
        expect(rightSideHunks(patch ?? '').some(([from, to]) => from <= first && placement.line <= to)).toBe(true);
        if (placement.suggestion) {
          const fixed = head.slice(0, start) + newText + head.slice(end);
          const before = head.split('\n');
          const after = fixed.split('\n');
          const replaced = placement.suggestion.replacement.split('\n');
          // The block plus the untouched lines around it is the whole fixed file.
          expect([...before.slice(0, first - 1), ...replaced, ...before.slice(placement.line)]).toEqual(after);
        }
      }),
      { numRuns: 500 },
    );
  });
});

const DEPLOYMENT = fixture('rules/reserved-uid/positive.yaml').text;

describe('fault injection on the fake GitHub', () => {
  const contract = new GitHubContract();
  let probot: Probot;
  beforeAll(async () => {
    process.env.MESHREADY_GITHUB_TIMEOUT_MS = '300';
    // What is tested is every fault at every request; the writes' pacing (github-client.test.ts) would only spread 240 runs over minutes.
    probot = await createProbot({ ...process.env, MESHREADY_WRITES_PER_MINUTE: '60000' });
  });
  afterEach(() => releaseGitHub());

  const deliver = async (github: FakeGitHub, action: string) => {
    interceptGitHub(github);
    // A failure before the check run exists fails the delivery itself (Probot answers 500, GitHub may redeliver).
    await probot.receive(pullRequestEvent(github, action) as Parameters<Probot['receive']>[0]).catch(() => undefined);
    releaseGitHub();
  };

  const faults: Record<string, FakeResponse> = {
    'secondary rate limit': { status: 403, body: { message: 'You have exceeded a secondary rate limit' }, headers: { 'retry-after': '1' } },
    'unprocessable entity': { status: 422, body: { message: 'Validation Failed' } },
    'internal error': { status: 500, body: { message: 'Server Error' } },
    'bad gateway': { status: 502, body: { message: 'Bad Gateway' } },
    'timeout': { status: 200, body: {}, delayMs: 2_000 },
    'answer late, after the work is done': { status: 200, body: {}, delayMs: 2_000, afterProcessing: true },
    'dropped connection': { status: 0, body: null, drop: true },
    'dropped connection after the work is done': { status: 0, body: null, drop: true, afterProcessing: true },
  };

  for (const [name, fault] of Object.entries(faults)) {
    it(`${name} at any request: the check run completes, and a rerun posts nothing twice`, async () => {
      // Request 1 is the first after the (cached) installation token: listing check runs.
      for (let failing = 1; failing <= 10; failing++) {
        const { github } = pullRequestScenario({}, { 'k8s/deploy.yaml': DEPLOYMENT });
        let index = 0;
        github.faults.push((request) => (!request.path.includes('access_tokens') && ++index === failing ? fault : undefined));
        await deliver(github, 'opened');
        github.faults = [];
        expect(github.checkRuns.filter((run) => run.status !== 'completed'), `fault at request ${failing}`).toEqual([]);
        // The same push delivered again (a retry of the webhook) or a new analysis: no duplicate comment.
        await deliver(github, 'opened');
        for (const run of github.checkRuns) run.head_sha = 'retired';
        await deliver(github, 'synchronize');
        const fingerprints = github.reviewComments.map((comment) => /fingerprint=([0-9a-f]+)/.exec(comment.body)![1]);
        expect(new Set(fingerprints).size, `fault at request ${failing}`).toBe(fingerprints.length);
        expect(github.checkRuns.every((run) => run.status === 'completed')).toBe(true);
        expect(contract.checkAll(github.requests)).toEqual([]);
      }
    }, 60_000);
  }

  it('two synchronize events racing: the older head stands down, and never touches the newer head\'s check run', async () => {
    const { github } = pullRequestScenario({}, { 'k8s/deploy.yaml': DEPLOYMENT });
    const newer = 'd'.repeat(40);
    const fixed = DEPLOYMENT.replaceAll('1337', '1000');
    github.addCommit(newer, { 'k8s/deploy.yaml': fixed }, [HEAD_SHA]);
    interceptGitHub(github);
    const older = pullRequestEvent(github, 'synchronize');
    github.pulls.get(2)!.headSha = newer;
    const newerEvent = pullRequestEvent(github, 'synchronize');
    // The older head's file reads are slow, so its analysis finishes last.
    github.faults.push((request) => (request.path === '/graphql' && JSON.stringify(request.body).includes(HEAD_SHA) ? slowRead(github, request.body) : undefined));
    await Promise.all([probot.receive(older as never), probot.receive(newerEvent as never)]);
    releaseGitHub();
    const runFor = (sha: string) => github.checkRuns.filter((run) => run.head_sha === sha);
    // The newer head was known before the older head's job began: it made no run at all.
    expect(runFor(HEAD_SHA)).toEqual([]);
    expect(runFor(newer).map((run) => run.conclusion)).toEqual(['success']);
    const newerId = runFor(newer)[0]!.id;
    const patchesOfNewer = github.requests.filter((request) => request.method === 'PATCH' && request.path.endsWith(`/check-runs/${newerId}`));
    expect(patchesOfNewer.map((request) => (request.body as { conclusion?: string }).conclusion)).toEqual(['success']);
  });
});

/** The real answer to a GraphQL read, given late. */
function slowRead(github: FakeGitHub, body: unknown): FakeResponse {
  const faults = github.faults;
  github.faults = [];
  const answer = github.handle('POST', '/graphql', body);
  github.faults = faults;
  return { ...answer, delayMs: 200 };
}
