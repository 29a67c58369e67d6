import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Probot } from 'probot';
import type { FakeGitHub } from '../src/demo/fake-github.js';
import { resolveConfig } from '../src/core/config.js';
import { generateCorpus } from '../src/bench/corpus.js';
import { GitHubContract } from './support/github-contract.js';
import {
  HEAD_SHA,
  OWNER,
  REPO,
  createProbot,
  interceptGitHub,
  pullRequestEvent,
  pullRequestScenario,
  releaseGitHub,
  webhookExample,
  rendered,
} from './support/app-harness.js';

const contract = new GitHubContract();
const seen: FakeGitHub[] = [];

const SERVICE_BASE = `apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  selector:
    app: api
  ports:
    - name: http
      port: 8080
`;

const DEPLOYMENT_HEAD = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
        version: v1
    spec:
      securityContext:
        runAsUser: 1337
      containers:
        - name: api
          image: api:1.0
`;

function paths(github: FakeGitHub): string[] {
  return github.requests.map((request) => `${request.method} ${request.path}`);
}

let probot: Probot;

async function deliver(github: FakeGitHub, event: { id: string; name: string; payload: unknown }): Promise<void> {
  seen.push(github);
  interceptGitHub(github);
  await probot.receive(event as Parameters<Probot['receive']>[0]);
}

beforeEach(async () => {
  probot = await createProbot();
});

afterEach(() => {
  releaseGitHub();
});

afterAll(() => {
  // Every request any test made must be one GitHub's API description accepts.
  expect(seen.flatMap((github) => contract.checkAll(github.requests))).toEqual([]);
});

describe('pull_request.opened', () => {
  it('creates one check run, reviews the changed lines with a suggestion, and completes the run', async () => {
    const { github } = pullRequestScenario({ 'k8s/api.yaml': SERVICE_BASE }, { 'k8s/api.yaml': SERVICE_BASE, 'k8s/deploy.yaml': DEPLOYMENT_HEAD });
    await deliver(github, pullRequestEvent(github, 'opened'));

    expect(paths(github)).toEqual([
      'POST /app/installations/1/access_tokens',
      `GET /repos/${OWNER}/${REPO}/commits/${HEAD_SHA}/check-runs?check_name=meshready&filter=all&per_page=100`,
      `POST /repos/${OWNER}/${REPO}/check-runs`,
      `GET /repos/${OWNER}/${REPO}/contents/.github%2Fmeshready.yml`,
      `GET /repos/${OWNER}/.github/contents/.github%2Fmeshready.yml`,
      `GET /repos/${OWNER}/${REPO}/pulls/2/files?per_page=100`,
      'POST /graphql',
      `GET /repos/${OWNER}/${REPO}/pulls/2/comments?per_page=100`,
      `POST /repos/${OWNER}/${REPO}/pulls/2/reviews`,
      `PATCH /repos/${OWNER}/${REPO}/check-runs/1000`,
    ]);
    expect(github.requests[2]!.body).toMatchObject({ name: 'meshready', head_sha: HEAD_SHA, status: 'in_progress' });
    expect(github.requests[6]!.body).toMatchObject({ variables: { owner: OWNER, name: REPO, e0: `${HEAD_SHA}:k8s/deploy.yaml` } });

    const [run] = github.checkRuns;
    // reserved-uid is a warning, as Istio rates IST0144: below the default failOn.
    expect(run).toMatchObject({ status: 'completed', conclusion: 'success', output: { title: '1 warning' } });
    expect(run!.actions).toEqual([{ label: 'Apply fixes', description: 'Commit every safe fix to the branch', identifier: 'apply-fixes' }]);
    expect(run!.output.annotations).toEqual([
      {
        path: 'k8s/deploy.yaml',
        start_line: 16,
        end_line: 16,
        start_column: 20,
        end_column: 23,
        annotation_level: 'warning',
        message: 'pod runAsUser 1337 is the Istio sidecar\'s UID: traffic of container "api" bypasses the proxy (no mTLS, no policy, no telemetry)',
        title: 'reserved-uid: Application runs as the sidecar UID 1337',
        raw_details: 'Fix: set runAsUser to 1000',
      },
    ]);
    expect(run!.output.summary).toContain('| [`reserved-uid`](https://github.com/meshready/meshready/blob/v0.1.0/docs/rules/reserved-uid.md) Application runs as the sidecar UID 1337 | warning | 1 | 1 |');

    const review = github.requests[8]!.body as { event: string; commit_id: string; comments: unknown[] };
    expect(review).toMatchObject({ event: 'COMMENT', commit_id: HEAD_SHA });
    expect(review.comments).toEqual([
      {
        path: 'k8s/deploy.yaml',
        line: 16,
        side: 'RIGHT',
        body: expect.stringContaining('```suggestion\n        runAsUser: 1000\n```'),
      },
    ]);
    expect((review.comments[0] as { body: string }).body).toMatch(/<!-- meshready:fingerprint=[0-9a-f]{20} -->$/);
  });

  it('does nothing more when the same webhook is delivered again', async () => {
    const { github } = pullRequestScenario({}, { 'k8s/deploy.yaml': DEPLOYMENT_HEAD });
    await deliver(github, pullRequestEvent(github, 'opened'));
    const before = github.requests.length;
    await deliver(github, pullRequestEvent(github, 'opened'));
    expect(paths(github).slice(before)).toEqual([`GET /repos/${OWNER}/${REPO}/commits/${HEAD_SHA}/check-runs?check_name=meshready&filter=all&per_page=100`]);
    expect(github.checkRuns).toHaveLength(1);
    expect(github.reviewComments).toHaveLength(1);
  });

  it('waits for ready_for_review on drafts', async () => {
    const { github } = pullRequestScenario({}, { 'k8s/deploy.yaml': DEPLOYMENT_HEAD });
    github.pulls.get(2)!.draft = true;
    await deliver(github, pullRequestEvent(github, 'opened'));
    const suite = webhookExample('check_suite', 'requested');
    Object.assign(suite.check_suite as object, { head_sha: HEAD_SHA, pull_requests: [{ number: 2 }] });
    await deliver(github, { id: 'suite', name: 'check_suite', payload: suite });
    expect(github.checkRuns).toHaveLength(0);
    await deliver(github, pullRequestEvent(github, 'ready_for_review'));
    expect(github.checkRuns).toMatchObject([{ status: 'completed', conclusion: 'success' }]);
  });
});

describe('re-analysis', () => {
  it('on synchronize posts no comment whose fingerprint is already on the pull request', async () => {
    const { github } = pullRequestScenario({}, { 'k8s/deploy.yaml': DEPLOYMENT_HEAD });
    await deliver(github, pullRequestEvent(github, 'opened'));
    // A new push: the same problem is still there, and a new one appears.
    const newHead = 'a'.repeat(40);
    const changed = DEPLOYMENT_HEAD.replace('        runAsUser: 1337\n', '        runAsUser: 1337\n        runAsGroup: 1337\n');
    github.addCommit(newHead, { 'k8s/deploy.yaml': changed });
    const pull = github.pulls.get(2)!;
    pull.headSha = newHead;
    pull.files = [{ filename: 'k8s/deploy.yaml', status: 'added', patch: `@@ -0,0 +1,20 @@\n${changed.trimEnd().split('\n').map((line) => `+${line}`).join('\n')}` }];
    await deliver(github, pullRequestEvent(github, 'synchronize'));

    expect(github.checkRuns.map((run) => [run.head_sha, run.conclusion])).toEqual([
      [HEAD_SHA, 'success'],
      // reserved-gid is an error.
      [newHead, 'failure'],
    ]);
    expect(github.reviewComments.map((comment) => comment.body.split('\n')[0])).toEqual([
      expect.stringContaining('`reserved-uid`'),
      expect.stringContaining('`reserved-gid`'),
    ]);
    expect(github.reviews[1]!.body).toBe('meshready found 1 new mesh readiness problem on the changed lines. 1 already have a comment from an earlier analysis.');
  });

  it('runs again on check_suite.rerequested and check_run.rerequested from the examples', async () => {
    const { github } = pullRequestScenario({}, { 'k8s/deploy.yaml': DEPLOYMENT_HEAD });
    const suite = webhookExample('check_suite', 'rerequested');
    await deliver(github, { id: 'suite', name: 'check_suite', payload: suite });
    const run = webhookExample('check_run', 'rerequested');
    const checkRun = run.check_run as { name: string; head_sha: string };
    checkRun.name = 'meshready';
    checkRun.head_sha = HEAD_SHA;
    run.repository = suite.repository;
    await deliver(github, { id: 'run', name: 'check_run', payload: run });
    expect(github.checkRuns.map((entry) => entry.conclusion)).toEqual(['success', 'success']);
    // The check run example lists no pull request (as for forks): GitHub is asked which hold the commit.
    expect(paths(github)).toContain(`GET /repos/${OWNER}/${REPO}/commits/${HEAD_SHA}/pulls`);
    expect(github.reviewComments).toHaveLength(1);
  });

  it('never posts more than review.maxComments on one pull request, however often it runs', async () => {
    const threeErrors = DEPLOYMENT_HEAD.replace('        runAsUser: 1337\n', '        runAsUser: 1337\n        runAsGroup: 1337\n').replace(
      '          image: api:1.0\n',
      '          image: api:1.0\n          ports: [{containerPort: 15001}]\n',
    );
    const { github } = pullRequestScenario({}, { 'k8s/deploy.yaml': threeErrors });
    github.defaultBranchFiles.set('.github/meshready.yml', 'review: {maxComments: 2}\n');
    await deliver(github, pullRequestEvent(github, 'opened'));
    const run = webhookExample('check_run', 'rerequested');
    Object.assign(run.check_run as object, { name: 'meshready', head_sha: HEAD_SHA, pull_requests: [{ number: 2 }] });
    run.repository = webhookExample('pull_request', 'opened').repository;
    await deliver(github, { id: 'run-1', name: 'check_run', payload: run });
    await deliver(github, { id: 'run-2', name: 'check_run', payload: run });
    expect(github.checkRuns.map((entry) => entry.conclusion)).toEqual(['failure', 'failure', 'failure']);
    expect(github.reviewComments).toHaveLength(2);
    expect(rendered(github.checkRuns.at(-1)!.output.summary)).toContain(
      '1 findings got no review comment: this pull request has reached the limit of 2 comments (review.maxComments); they are in the annotations.',
    );
  });

  for (const [config, conclusion] of [['', 'success'], ['failOnSkipped: true\n', 'failure']] as const) {
    it(`names skipped files in the title, and ends ${conclusion} ${config ? 'with' : 'without'} failOnSkipped`, async () => {
      const chart = '{{- if .Values.enabled }}\napiVersion: v1\nkind: Pod\n{{- end }}\n';
      const { github } = pullRequestScenario({}, { 'chart/templates/pod.yaml': chart });
      if (config) github.defaultBranchFiles.set('.github/meshready.yml', config);
      await deliver(github, pullRequestEvent(github, 'opened'));
      expect(github.checkRuns[0]).toMatchObject({ conclusion, output: { title: 'No mesh readiness problems; 1 file not checked' } });
      expect(rendered(github.checkRuns[0]!.output.summary)).toContain('- `chart/templates/pod.yaml`: Go/Helm template ({{ }}) outside any chart (no Chart.yaml in its folders): render it first (meshready template) and lint the output');
    });
  }

  it('leaves notices to the annotations unless review.minSeverity asks for them', async () => {
    const unlabelled = DEPLOYMENT_HEAD.replace('        version: v1\n', '');
    const { github } = pullRequestScenario({}, { 'k8s/deploy.yaml': unlabelled });
    await deliver(github, pullRequestEvent(github, 'opened'));
    expect(github.reviewComments.map((comment) => comment.body.split('\n')[0])).toEqual([expect.stringContaining('`reserved-uid`')]);
    expect((github.checkRuns[0]!.output.annotations as { title: string }[]).map((annotation) => annotation.title)).toEqual([
      'version-label: Pod template has no version label',
      'reserved-uid: Application runs as the sidecar UID 1337',
    ]);
  });
});

describe('changed files', () => {
  it('reads every page of a large pull request and a fork\'s files from the fork', async () => {
    const head: Record<string, string> = {};
    for (let index = 0; index < 250; index++) head[`k8s/svc-${String(index).padStart(3, '0')}.yaml`] = SERVICE_BASE.replace('name: api', `name: api-${index}`);
    const { github } = pullRequestScenario({}, head, { headRepo: 'contributor/Hello-World' });
    await deliver(github, pullRequestEvent(github, 'opened'));
    expect(paths(github).filter((path) => path.includes('/files'))).toEqual([
      `GET /repos/${OWNER}/${REPO}/pulls/2/files?per_page=100`,
      `GET /repos/${OWNER}/${REPO}/pulls/2/files?per_page=100&page=2`,
      `GET /repos/${OWNER}/${REPO}/pulls/2/files?per_page=100&page=3`,
    ]);
    const queries = github.requests.filter((request) => request.path === '/graphql');
    expect(queries).toHaveLength(1);
    expect(queries[0]!.body).toMatchObject({ variables: { owner: 'contributor', name: 'Hello-World' } });
    expect(github.checkRuns[0]!.output.summary).toContain('meshready checked 250 files (250 resources)');
  });

  it("a 3,000-file pull request stays inside GitHub's contract: 50 annotations a request, the long text once, bytes within limits", async () => {
    const head = Object.fromEntries(generateCorpus(6_000, 2).map((file) => [file.path, file.text]));
    const { github } = pullRequestScenario({}, head);
    await deliver(github, pullRequestEvent(github, 'opened'));
    const run = github.checkRuns[0]!;
    expect(run).toMatchObject({ status: 'completed', conclusion: 'failure' });
    const updates = github.requests.filter((request) => request.method === 'PATCH' && request.path.includes('/check-runs/'));
    const outputs = updates.map((request) => (request.body as { output: { summary: string; text?: string; annotations?: unknown[] } }).output);
    expect(outputs.length).toBeGreaterThan(10);
    expect(outputs.every((output) => (output.annotations?.length ?? 0) <= 50)).toBe(true);
    // The finding list goes once, with the request that completes the run.
    expect(outputs.map((output) => output.text !== undefined)).toEqual([...Array(outputs.length - 1).fill(false), true]);
    for (const output of outputs) {
      expect(Buffer.byteLength(output.summary, 'utf8')).toBeLessThanOrEqual(65_535);
      expect(Buffer.byteLength(output.text ?? '', 'utf8')).toBeLessThanOrEqual(65_535);
    }
    expect(run.output.annotations.length).toBe(outputs.reduce((sum, output) => sum + (output.annotations?.length ?? 0), 0));
  }, 60_000);

  it('skips removed and binary files, analyses renamed ones, and keeps findings of patch-less files as annotations', async () => {
    const { github } = pullRequestScenario(
      { 'k8s/old.yaml': DEPLOYMENT_HEAD, 'k8s/gone.yaml': SERVICE_BASE },
      { 'k8s/new.yaml': DEPLOYMENT_HEAD, 'k8s/logo.json': 'GIF89a\u0000\u0000', 'k8s/big.yaml': DEPLOYMENT_HEAD.replace('name: api', 'name: big') },
    );
    const pull = github.pulls.get(2)!;
    pull.files = [
      { filename: 'k8s/big.yaml', status: 'added' },
      { filename: 'k8s/gone.yaml', status: 'removed', patch: '@@ -1,11 +0,0 @@\n-x' },
      { filename: 'k8s/logo.json', status: 'added' },
      { filename: 'k8s/new.yaml', previous_filename: 'k8s/old.yaml', status: 'renamed', patch: '@@ -1,1 +1,1 @@\n-apiVersion: apps/v1\n+apiVersion: apps/v1' },
    ];
    await deliver(github, pullRequestEvent(github, 'opened'));
    const [run] = github.checkRuns;
    expect((run!.output.annotations as { path: string; start_line: number }[]).map((annotation) => `${annotation.path}:${annotation.start_line}`)).toEqual([
      'k8s/big.yaml:16',
      'k8s/new.yaml:16',
    ]);
    expect(run!.output.summary).toContain('- `k8s/logo.json`: binary file');
    expect(run!.output.summary).toContain('0 findings commented on in the review; 2 shown only as annotations');
    expect(github.reviews).toHaveLength(0);
  });
});

describe('check run output', () => {
  it('sends annotations 50 a request, completing the run with the last batch', async () => {
    const head: Record<string, string> = {};
    for (let index = 0; index < 120; index++) head[`k8s/d-${String(index).padStart(3, '0')}.yaml`] = DEPLOYMENT_HEAD;
    const { github } = pullRequestScenario({}, head);
    await deliver(github, pullRequestEvent(github, 'opened'));
    const updates = github.requests.filter((request) => request.method === 'PATCH');
    expect(updates.map((request) => [(request.body as { output: { annotations?: unknown[] } }).output.annotations?.length, (request.body as { status?: string }).status])).toEqual([
      [50, undefined],
      [50, undefined],
      [20, 'completed'],
    ]);
    expect(github.checkRuns[0]!.output.annotations).toHaveLength(120);
    // The comment cap: 30 comments, the rest in the check run.
    expect(github.reviewComments).toHaveLength(30);
    expect(github.reviews[0]!.body).toBe('meshready found 30 new mesh readiness problems on the changed lines. 90 more are listed in the meshready check run (comment limit reached).');
  });
});

describe('configuration', () => {
  it('ends neutral, naming every problem, when .github/meshready.yml is invalid', async () => {
    const { github } = pullRequestScenario({}, { 'k8s/deploy.yaml': DEPLOYMENT_HEAD });
    github.defaultBranchFiles.set('.github/meshready.yml', 'failOn: sometimes\nrules: {no-such-rule: off}\n');
    await deliver(github, pullRequestEvent(github, 'opened'));
    expect(github.checkRuns[0]).toMatchObject({
      status: 'completed',
      conclusion: 'neutral',
      output: {
        title: 'Invalid .github/meshready.yml',
        summary: `meshready did not run: the config file has problems.

- rules: unknown rule "no-such-rule" (rules: reserved-uid, reserved-gid, init-capabilities, app-label, version-label, port-protocol, reserved-port, port-protocol-conflict, target-port-conflict, server-first-protocol, external-name-port)
- failOn: must be one of error, warning, notice, never`,
      },
    });
    expect(github.reviews).toHaveLength(0);
  });

  it('ends neutral on a config nested too deep for the YAML parser, instead of going down with it', async () => {
    const { github } = pullRequestScenario({}, { 'k8s/deploy.yaml': DEPLOYMENT_HEAD });
    github.defaultBranchFiles.set('.github/meshready.yml', `rules: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`);
    await deliver(github, pullRequestEvent(github, 'opened'));
    expect(github.checkRuns[0]).toMatchObject({
      status: 'completed',
      conclusion: 'neutral',
      output: { title: 'Invalid .github/meshready.yml', summary: 'meshready did not run: the config file has problems.\n\n- YAML nested deeper than 500 levels' },
    });
    expect(github.reviews).toHaveLength(0);
  });

  it('follows failOn and the review settings of the config', async () => {
    const { github } = pullRequestScenario({}, { 'k8s/deploy.yaml': DEPLOYMENT_HEAD });
    github.defaultBranchFiles.set('.github/meshready.yml', 'failOn: never\nreview: {event: REQUEST_CHANGES, suggestions: false}\n');
    await deliver(github, pullRequestEvent(github, 'opened'));
    expect(github.checkRuns[0]!.conclusion).toBe('success');
    expect(github.reviews[0]!.event).toBe('REQUEST_CHANGES');
    expect(github.reviewComments[0]!.body).not.toContain('```suggestion');
  });
});

describe('GitHub failing', () => {
  const failing = (method: string, pathPart: string, status: number) => (request: { method: string; path: string }) =>
    request.method === method && request.path.includes(pathPart) ? { status, body: { message: `injected ${status}` } } : undefined;

  // GitHub failing for good: the job is tried again, then the gate fails rather than pass unseen.
  for (const [method, pathPart, status] of [
    ['GET', '/pulls/2/files', 500],
    ['POST', '/graphql', 502],
  ] as const) {
    it(`tries again, then fails the check run "could not finish" when ${method} ${pathPart} keeps answering ${status}`, async () => {
      const { github } = pullRequestScenario({}, { 'k8s/deploy.yaml': DEPLOYMENT_HEAD });
      github.faults.push(failing(method, pathPart, status));
      await deliver(github, pullRequestEvent(github, 'opened'));
      expect(github.checkRuns).toHaveLength(1);
      expect(github.checkRuns[0]).toMatchObject({ status: 'completed', conclusion: 'failure', output: { title: 'meshready could not finish' } });
      expect(github.checkRuns[0]!.output.summary).toContain(`The analysis stopped after 5 tries: GitHub answered ${status}`);
    });
  }

  it('ends the run as failure at once on a defect of its own, with its reason, and never tries again', async () => {
    const { github } = pullRequestScenario({}, { 'k8s/deploy.yaml': DEPLOYMENT_HEAD });
    // A files page meshready cannot read: its code throws a TypeError, which no retry would cure.
    github.faults.push((request) => (request.path.includes('/pulls/2/files') ? { status: 200, body: [null] } : undefined));
    await deliver(github, pullRequestEvent(github, 'opened'));
    expect(github.checkRuns).toMatchObject([{ status: 'completed', conclusion: 'failure', output: { title: 'meshready could not finish' } }]);
    expect(github.checkRuns[0]!.output.summary).toBe("The analysis stopped: Cannot read properties of null (reading 'filename').\n\nRe-run the check to try again.");
    expect(paths(github).filter((path) => path.includes('/pulls/2/files'))).toHaveLength(1);
  });

  it('recovers from a passing 500: the retry takes over the run it had created', async () => {
    const { github } = pullRequestScenario({}, { 'k8s/deploy.yaml': DEPLOYMENT_HEAD });
    let failures = 0;
    github.faults.push((request) => (request.path.includes('/pulls/2/files') && failures++ < 2 ? { status: 500, body: { message: 'injected 500' } } : undefined));
    await deliver(github, pullRequestEvent(github, 'opened'));
    expect(github.checkRuns).toHaveLength(1);
    expect(github.checkRuns[0]).toMatchObject({ status: 'completed', conclusion: 'success', output: { title: '1 warning' } });
  });

  it('posts a review GitHub refused for a moment on the next try, in the same run', async () => {
    const { github } = pullRequestScenario({}, { 'k8s/deploy.yaml': DEPLOYMENT_HEAD });
    let refused = 0;
    github.faults.push((request) => (request.path.endsWith('/reviews') && refused++ === 0 ? { status: 502, body: { message: 'Bad Gateway' } } : undefined));
    await deliver(github, pullRequestEvent(github, 'opened'));
    expect(github.checkRuns).toMatchObject([{ status: 'completed', conclusion: 'success' }]);
    expect(github.reviews).toHaveLength(1);
    expect(github.checkRuns[0]!.output.summary).not.toContain('could not be posted');
  });

  it('refuses a config over 256 kB, or with too many globs, in a neutral run that names why', async () => {
    const { github } = pullRequestScenario({}, { 'k8s/deploy.yaml': DEPLOYMENT_HEAD });
    github.defaultBranchFiles.set('.github/meshready.yml', `# ${'x'.repeat(300 * 1024)}\nfailOn: error\n`);
    await deliver(github, pullRequestEvent(github, 'opened'));
    expect(github.checkRuns[0]).toMatchObject({ status: 'completed', conclusion: 'neutral', output: { title: 'Invalid .github/meshready.yml' } });
    expect(rendered(github.checkRuns[0]!.output.summary)).toContain('the file is 301 kB, over the 256 kB limit for a config');
    const globs = { paths: { include: Array.from({ length: 500 }, (_, index) => `dir-${index}/**`) } };
    expect(resolveConfig(globs)).toEqual({ ok: false, errors: ['paths.include: at most 200 entries'] });
  });

  it('reads blobs whose answer reaches it as a string, as a JSON body of 8 MB or more does', async () => {
    const { github } = pullRequestScenario({}, { 'k8s/deploy.yaml': DEPLOYMENT_HEAD });
    github.faults.push((request) => {
      if (request.path !== '/graphql' || !JSON.stringify(request.body).includes('Blob')) return undefined;
      const faults = github.faults;
      github.faults = [];
      const answer = github.handle('POST', '/graphql', request.body);
      github.faults = faults;
      return { status: 200, body: JSON.stringify(answer.body) };
    });
    await deliver(github, pullRequestEvent(github, 'opened'));
    expect(github.checkRuns[0]).toMatchObject({ status: 'completed', conclusion: 'success', output: { title: '1 warning' } });
  });

  it('completes the check run neutral when the config cannot be read (403)', async () => {
    const { github } = pullRequestScenario({}, { 'k8s/deploy.yaml': DEPLOYMENT_HEAD });
    github.faults.push(failing('GET', '/contents/', 403));
    await deliver(github, pullRequestEvent(github, 'opened'));
    expect(github.checkRuns[0]).toMatchObject({ status: 'completed', conclusion: 'neutral' });
    expect(github.checkRuns[0]!.output.summary).toContain('answered 403');
  });

  it('keeps the verdict and says so when the review is refused with 422', async () => {
    const { github } = pullRequestScenario({}, { 'k8s/deploy.yaml': DEPLOYMENT_HEAD });
    github.defaultBranchFiles.set('.github/meshready.yml', 'failOn: warning\n');
    github.faults.push(failing('POST', '/reviews', 422));
    await deliver(github, pullRequestEvent(github, 'opened'));
    expect(github.checkRuns[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(rendered(github.checkRuns[0]!.output.summary)).toContain(
      `> The review could not be posted (GitHub answered 422 to POST /repos/${OWNER}/${REPO}/pulls/2/reviews: injected 422); every finding is in the annotations.`,
    );
  });

  it('completes the run without annotations when GitHub refuses them', async () => {
    const { github } = pullRequestScenario({}, { 'k8s/deploy.yaml': DEPLOYMENT_HEAD });
    github.defaultBranchFiles.set('.github/meshready.yml', 'failOn: warning\n');
    let refused = false;
    github.faults.push((request) => {
      if (request.method !== 'PATCH' || refused) return undefined;
      refused = true;
      return { status: 422, body: { message: 'Invalid annotation' } };
    });
    await deliver(github, pullRequestEvent(github, 'opened'));
    // The findings' verdict stands: a failure stays a failure without its annotations.
    expect(github.checkRuns[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(github.checkRuns[0]!.output.summary).toContain('> Annotations could not be saved: GitHub answered 422');
  });
});

describe('without contents: write', () => {
  it('offers no "Apply fixes" action when MESHREADY_APPLY_FIXES=off', async () => {
    const { github } = pullRequestScenario({}, { 'k8s/deploy.yaml': DEPLOYMENT_HEAD });
    probot = await createProbot({ ...process.env, MESHREADY_APPLY_FIXES: 'off' });
    await deliver(github, pullRequestEvent(github, 'opened'));
    // The head's finding is a reserved UID: a warning, as Istio rates IST0144, so the run passes.
    expect(github.checkRuns[0]).toMatchObject({ conclusion: 'success', actions: [] });
    expect(github.reviewComments[0]!.body).toContain('```suggestion');
  });
});
