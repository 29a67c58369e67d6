import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Probot } from 'probot';
import type { FakeGitHub } from '../src/demo/fake-github.js';
import { APPLY_FIXES_CHECK_NAME } from '../src/github/types.js';
import { ROOT, treeOf } from './helpers.js';
import { GitHubContract } from './support/github-contract.js';
import { BASE_SHA, HEAD_SHA, OWNER, REPO, createProbot, interceptGitHub, pullRequestEvent, pullRequestScenario, releaseGitHub, webhookExample } from './support/app-harness.js';

const contract = new GitHubContract();
/** The tree of no files, as git names it: the base of these pull requests. */
const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
const seen: FakeGitHub[] = [];
let probot: Probot;

beforeEach(async () => {
  probot = await createProbot();
});
afterEach(() => releaseGitHub());
afterAll(() => {
  expect(seen.flatMap((github) => contract.checkAll(github.requests))).toEqual([]);
});

async function deliver(github: FakeGitHub, event: { id: string; name: string; payload: unknown }): Promise<void> {
  if (!seen.includes(github)) seen.push(github);
  interceptGitHub(github);
  await probot.receive(event as Parameters<Probot['receive']>[0]);
  releaseGitHub();
}

/** The examples' `check_run.requested_action`, pointed at the analysed commit of pull request #2. */
function applyFixesEvent(analysedSha: string, listed = true) {
  const payload = webhookExample('check_run', 'requested_action');
  const run = payload.check_run as Record<string, unknown>;
  Object.assign(run, { name: 'meshready', head_sha: analysedSha, pull_requests: listed ? [{ number: 2 }] : [] });
  payload.requested_action = { identifier: 'apply-fixes' };
  payload.repository = webhookExample('pull_request', 'opened').repository;
  return { id: 'apply', name: 'check_run', payload };
}

// CRLF line endings, a comment on the fixed line and quoted strings: all must survive.
const DEPLOYMENT = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: "api"',
  'spec:',
  '  template:',
  '    metadata:',
  '      labels:',
  "        app: 'api'   # canonical name",
  '    spec:',
  '      securityContext:',
  '        runAsUser: 1337 # from the base image',
  '      containers:',
  '        - name: api',
  '          image: "api:2.0"',
  '',
].join('\r\n');

function paths(github: FakeGitHub, from = 0): string[] {
  return github.requests.slice(from).map((request) => `${request.method} ${request.path.split('?')[0]}`);
}

describe('Apply fixes', () => {
  it('commits every safe fix in one commit on a same-repository branch, byte for byte', async () => {
    const { github } = pullRequestScenario({}, { 'k8s/api.yaml': DEPLOYMENT });
    await deliver(github, pullRequestEvent(github, 'opened'));
    const before = github.requests.length;
    await deliver(github, applyFixesEvent(HEAD_SHA));

    expect(paths(github, before)).toEqual([
      'POST /app/installations/690857/access_tokens',
      `GET /repos/${OWNER}/${REPO}/pulls/2`,
      `POST /repos/${OWNER}/${REPO}/check-runs`,
      `GET /repos/${OWNER}/${REPO}/contents/.github%2Fmeshready.yml`,
      `GET /repos/${OWNER}/.github/contents/.github%2Fmeshready.yml`,
      `GET /repos/${OWNER}/${REPO}/pulls/2/files`,
      `GET /repos/${OWNER}/${REPO}/compare/${BASE_SHA}...${HEAD_SHA}`,
      `GET /repos/${OWNER}/${REPO}/git/trees/${HEAD_SHA}`,
      `GET /repos/${OWNER}/${REPO}/git/trees/${EMPTY_TREE}`,
      // No blob read: the analysis a moment ago left them in the cache.
      `GET /repos/${OWNER}/${REPO}/git/commits/${HEAD_SHA}`,
      `POST /repos/${OWNER}/${REPO}/git/blobs`,
      `POST /repos/${OWNER}/${REPO}/git/trees`,
      `POST /repos/${OWNER}/${REPO}/git/commits`,
      // Octokit encodes the ref's slash; GitHub takes it so.
      `PATCH /repos/${OWNER}/${REPO}/git/refs/heads%2Fchanges`,
      `PATCH /repos/${OWNER}/${REPO}/check-runs/${github.checkRuns.at(-1)!.id}`,
    ]);
    const newHead = github.refs.get(`${OWNER}/${REPO}:changes`)!;
    expect(newHead).not.toBe(HEAD_SHA);
    expect(github.commits.get(newHead)).toMatchObject({
      parents: [HEAD_SHA],
      // The version label guessed from the image tag is a suggestion only, never committed unattended.
      message: 'meshready: apply 1 mesh readiness fix\n\n- k8s/api.yaml:12 reserved-uid: set runAsUser to 1000\n',
    });
    expect(github.requests.find((request) => request.path.endsWith('/refs/heads%2Fchanges'))!.body).toEqual({ sha: newHead, force: false });
    expect(github.filesAt(newHead).get('k8s/api.yaml')).toBe(
      DEPLOYMENT.replace('runAsUser: 1337 # from the base image', 'runAsUser: 1000 # from the base image'),
    );
    expect(github.checkRuns.at(-1)).toMatchObject({
      name: APPLY_FIXES_CHECK_NAME,
      head_sha: HEAD_SHA,
      status: 'completed',
      conclusion: 'success',
      output: { title: 'Committed 1 fix' },
    });
  });

  it("commits a chart's fixes to its values file and template, where a re-render proved them", async () => {
    const chart = treeOf(join(ROOT, 'fixtures/lint-charts/web'), 'deploy/web');
    const { github } = pullRequestScenario({}, chart);
    await deliver(github, pullRequestEvent(github, 'opened'));
    await deliver(github, applyFixesEvent(HEAD_SHA));
    const newHead = github.refs.get(`${OWNER}/${REPO}:changes`)!;
    expect(github.commits.get(newHead)!.message).toBe(
      'meshready: apply 2 mesh readiness fixes\n\n' +
        '- deploy/web/templates/service.yaml:11 port-protocol: add appProtocol: http (container port name "http")\n' +
        '- deploy/web/values.yaml:7 reserved-gid: set runAsGroup to 1000\n',
    );
    const after = github.filesAt(newHead);
    expect(after.get('deploy/web/values.yaml')).toBe(chart['deploy/web/values.yaml']!.replace('runAsGroup: 1337', 'runAsGroup: 1000'));
    expect(after.get('deploy/web/templates/service.yaml')).toBe(chart['deploy/web/templates/service.yaml']!.replace('      targetPort: http\n', '      targetPort: http\n      appProtocol: http\n'));
  });

  it('pushes to a fork that allows edits from maintainers', async () => {
    const { github } = pullRequestScenario({}, { 'k8s/api.yaml': DEPLOYMENT }, { headRepo: 'contributor/Hello-World', maintainerCanModify: true });
    await deliver(github, applyFixesEvent(HEAD_SHA, false));
    expect(paths(github).filter((path) => path.includes('/git/'))).toEqual([
      // The head's tree from the fork, the base's from the repository.
      `GET /repos/contributor/Hello-World/git/trees/${HEAD_SHA}`,
      `GET /repos/${OWNER}/${REPO}/git/trees/${EMPTY_TREE}`,
      `GET /repos/contributor/Hello-World/git/commits/${HEAD_SHA}`,
      'POST /repos/contributor/Hello-World/git/blobs',
      'POST /repos/contributor/Hello-World/git/trees',
      'POST /repos/contributor/Hello-World/git/commits',
      'PATCH /repos/contributor/Hello-World/git/refs/heads%2Fchanges',
    ]);
    expect(github.checkRuns.at(-1)!.conclusion).toBe('success');
  });

  it('refuses a fork that does not allow edits, pointing at the review suggestions', async () => {
    const { github } = pullRequestScenario({}, { 'k8s/api.yaml': DEPLOYMENT }, { headRepo: 'contributor/Hello-World', maintainerCanModify: false });
    await deliver(github, applyFixesEvent(HEAD_SHA));
    expect(paths(github).filter((path) => path.includes('/git/'))).toEqual([]);
    expect(github.checkRuns.at(-1)).toMatchObject({
      conclusion: 'neutral',
      output: {
        title: 'Nothing committed: the fork does not allow edits',
        summary: expect.stringContaining('The suggestions in the review can be committed from the pull request page instead.'),
      },
    });
  });

  it('does nothing when the feature is off (MESHREADY_APPLY_FIXES=off)', async () => {
    const { github } = pullRequestScenario({}, { 'k8s/api.yaml': DEPLOYMENT });
    probot = await createProbot({ ...process.env, MESHREADY_APPLY_FIXES: 'off' });
    await deliver(github, applyFixesEvent(HEAD_SHA));
    expect(github.requests).toEqual([]);
  });

  it('does nothing but say so when the head has moved since the analysis', async () => {
    const { github } = pullRequestScenario({}, { 'k8s/api.yaml': DEPLOYMENT });
    const analysed = HEAD_SHA;
    github.pulls.get(2)!.headSha = 'b'.repeat(40);
    await deliver(github, applyFixesEvent(analysed));
    expect(paths(github).filter((path) => path.includes('/git/') || path.includes('/files'))).toEqual([]);
    expect(github.checkRuns.at(-1)).toMatchObject({
      name: APPLY_FIXES_CHECK_NAME,
      head_sha: analysed,
      conclusion: 'neutral',
      output: { title: 'Nothing committed: the branch has moved on' },
    });
  });

  it('reports a conflict when the branch moves while the commit is made', async () => {
    const { github } = pullRequestScenario({}, { 'k8s/api.yaml': DEPLOYMENT });
    github.faults.push((request) => {
      if (request.method === 'POST' && request.path.endsWith('/git/commits')) github.refs.set(`${OWNER}/${REPO}:changes`, 'c'.repeat(40));
      return undefined;
    });
    await deliver(github, applyFixesEvent(HEAD_SHA));
    expect(github.refs.get(`${OWNER}/${REPO}:changes`)).toBe('c'.repeat(40));
    expect(github.checkRuns.at(-1)).toMatchObject({
      conclusion: 'neutral',
      output: {
        title: 'Nothing committed',
        summary: expect.stringContaining(
          `Nothing was committed: the branch changed while the commit was being made, so GitHub refused to move it.\n\nGitHub answered 422 to PATCH /repos/${OWNER}/${REPO}/git/refs/heads%2Fchanges: Update is not a fast forward`,
        ),
      },
    });
  });
});

describe('review threads of fixed findings', () => {
  it('resolves a thread whose finding is gone, and replies once where a person spoke', async () => {
    const twoIds = DEPLOYMENT.replace('        runAsUser: 1337 # from the base image\r\n', '        runAsUser: 1337 # from the base image\r\n        runAsGroup: 1337\r\n');
    const { github } = pullRequestScenario({}, { 'k8s/api.yaml': twoIds });
    await deliver(github, pullRequestEvent(github, 'opened'));
    expect(github.reviewComments).toHaveLength(2);
    const [uidComment, labelComment] = [...github.reviewComments].sort((a, b) => a.line - b.line);
    github.addComment({ ...uidComment!, body: 'The image really needs this UID, see #12.', user: { login: 'octocat', type: 'User' }, in_reply_to_id: uidComment!.id });

    // Apply fixes pushes a commit that fixes both; its synchronize event re-analyses.
    await deliver(github, applyFixesEvent(HEAD_SHA));
    const pull = github.pulls.get(2)!;
    const fixed = github.filesAt(pull.headSha).get('k8s/api.yaml')!;
    pull.files = [{ filename: 'k8s/api.yaml', status: 'added', patch: `@@ -0,0 +1,${fixed.split('\r\n').length - 1} @@\n${fixed.replace(/\r\n$/, '').split('\r\n').map((line) => `+${line}\r`).join('\n')}` }];
    await deliver(github, pullRequestEvent(github, 'synchronize'));

    expect(github.checkRuns.at(-1)).toMatchObject({ head_sha: pull.headSha, conclusion: 'success' });
    expect([...github.resolvedThreads]).toEqual([`PRRT_${labelComment!.id}`]);
    const replies = github.reviewComments.filter((comment) => comment.in_reply_to_id === uidComment!.id && comment.user.type === 'Bot');
    expect(replies.map((reply) => reply.body)).toEqual([
      `meshready no longer finds this problem at ${pull.headSha.slice(0, 7)}. Left open because of the discussion here.\n\n<!-- meshready:gone -->`,
    ]);

    // Another analysis of the same state adds nothing.
    const count = github.reviewComments.length;
    await deliver(github, { ...webhookExample('check_suite', 'rerequested'), id: 'again', name: 'check_suite', payload: { ...webhookExample('check_suite', 'rerequested'), check_suite: { ...(webhookExample('check_suite', 'rerequested').check_suite as object), head_sha: pull.headSha, pull_requests: [{ number: 2 }] } } } as never);
    expect(github.reviewComments).toHaveLength(count);
    expect(github.checkRuns.filter((run) => run.name === 'meshready')).toHaveLength(3);
  });
});
