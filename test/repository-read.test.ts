import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Probot } from 'probot';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runLint } from '../src/cli/lint.js';
import type { FakeGitHub } from '../src/demo/fake-github.js';
import type { FakeEntry } from '../src/demo/git-objects.js';
import { gitObjectSha } from '../src/demo/git-objects.js';
import { changedFiles } from '../src/demo/pull-request.js';
import { ROOT, treeOf } from './helpers.js';
import { GitHubContract } from './support/github-contract.js';
import {
  BASE_SHA,
  HEAD_SHA,
  OWNER,
  REPO,
  allRunsCompleted,
  createProbot,
  eventually,
  interceptGitHub,
  pullRequestEvent,
  pullRequestScenario,
  releaseGitHub,
  rendered,
} from './support/app-harness.js';

/**
 * The app reviews a pull request as the mesh will see it: the head commit's whole tree is
 * the model, the merge base is analysed too, and what is reported is what the change
 * introduces. Driven through the real entry (Probot's receive, the service, the fake GitHub
 * behind nock), every request held to GitHub's published contract.
 */

const contract = new GitHubContract();
const seen: FakeGitHub[] = [];
afterEach(() => releaseGitHub());
afterAll(() => {
  expect(seen.flatMap((github) => contract.checkAll(github.requests))).toEqual([]);
});

async function deliver(probot: Probot, github: FakeGitHub, action = 'opened', number = 2): Promise<void> {
  if (!seen.includes(github)) seen.push(github);
  interceptGitHub(github);
  await probot.receive(pullRequestEvent(github, action, number) as Parameters<Probot['receive']>[0]);
}

type Annotation = { path: string; start_line: number; title: string; message: string };
const annotationsOf = (github: FakeGitHub) => (github.checkRuns[0]!.output.annotations as Annotation[]).map((annotation) => `${annotation.path}:${annotation.start_line} ${annotation.title.split(':')[0]}`);
const paths = (github: FakeGitHub) => github.requests.map((request) => `${request.method} ${request.path.split('?')[0]}`);
/** The blob SHAs asked for in GraphQL batches and REST reads. */
function blobsAskedFor(github: FakeGitHub): string[] {
  return github.requests.flatMap((request) => {
    if (request.path === '/graphql') {
      const variables = (request.body as { variables?: Record<string, string> }).variables ?? {};
      return Object.entries(variables).filter(([name]) => /^b\d+$/.test(name)).map(([, sha]) => sha);
    }
    const match = /\/git\/blobs\/([0-9a-f]{40})$/.exec(request.path);
    return match ? [match[1]!] : [];
  });
}
const blobSha = (text: string) => gitObjectSha('blob', Buffer.from(text));

const namespace = (injection: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    istio-injection: ${injection}\n`;
const pod = (name: string, uid: number, namespaceName = 'shop') =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: ${namespaceName}\n  labels: {app: ${name}, version: v1}\nspec:\n  securityContext:\n    runAsUser: ${uid}\n  containers:\n    - name: ${name}\n      image: ${name}:1\n`;

describe('the issue\'s two pull requests (fixtures/pull-requests, as `meshready demo` shows them)', () => {
  it('passes a Deployment that runs as 1337 in a namespace Istio never injects, as meshready lint does', async () => {
    const root = join(ROOT, 'fixtures/pull-requests/disabled-namespace');
    const { github } = pullRequestScenario(treeOf(join(root, 'base')), treeOf(join(root, 'head')));
    const probot = await createProbot();
    await deliver(probot, github);
    expect(github.checkRuns[0]).toMatchObject({ status: 'completed', conclusion: 'success', output: { title: 'No mesh readiness problems' } });
    expect(github.reviews).toHaveLength(0);
    // Only the Deployment changed, yet the Namespace in another file was read: the whole tree is the model.
    expect(github.pulls.get(2)!.files.map((file) => file.filename)).toEqual(['k8s/cart.yaml']);
    expect(blobsAskedFor(github)).toContain(blobSha(readFileSync(join(root, 'head/k8s/namespace.yaml'), 'utf8')));
  });

  it('fails the pull request that adopts Istio, naming the unchanged Deployment it breaks as an annotation on its own file and line', async () => {
    const root = join(ROOT, 'fixtures/pull-requests/adopt-istio');
    const { github } = pullRequestScenario(treeOf(join(root, 'base')), treeOf(join(root, 'head')));
    // Its config, on the default branch: it gates on warnings, as Istio rates IST0144 a warning.
    github.defaultBranchFiles.set('.github/meshready.yml', readFileSync(join(root, 'base/.github/meshready.yml'), 'utf8'));
    const probot = await createProbot();
    await deliver(probot, github);
    const [run] = github.checkRuns;
    expect(run).toMatchObject({ status: 'completed', conclusion: 'failure', output: { title: '1 warning' } });
    expect(annotationsOf(github)).toEqual(['k8s/cart.yaml:17 reserved-uid']);
    expect(rendered(run!.output.summary)).toContain(
      "**What this change breaks elsewhere** (1 new finding outside the changed lines, each an annotation on its own file and line):\n- `k8s/cart.yaml:17` **warning** `reserved-uid` (Deployment shop/cart) pod runAsUser 1337 is the Istio sidecar's UID",
    );
    // The Deployment's file is not in the pull request: no review comment can sit there.
    expect(github.reviews).toHaveLength(0);
    expect(run!.actions).toEqual([expect.objectContaining({ identifier: 'apply-fixes' })]);
  });
});

describe('findings are what the change introduces', () => {
  it('reports nothing of a file moved to another folder, and counts its findings as already there', async () => {
    const { github } = pullRequestScenario({ 'k8s/cart.yaml': pod('cart', 1337) }, { 'apps/shop/cart.yaml': pod('cart', 1337) });
    const probot = await createProbot();
    await deliver(probot, github);
    expect(github.checkRuns[0]).toMatchObject({ conclusion: 'success', output: { title: 'No mesh readiness problems' } });
    expect(github.checkRuns[0]!.output.annotations).toEqual([]);
    expect(github.checkRuns[0]!.output.summary).toContain('1 finding was there already at the base `f95f852`: not reported, as not new (filterMode: new).');
  });

  it('posts no second comment when a later push moves the file a comment is on, and leaves its thread open', async () => {
    const { github } = pullRequestScenario({}, { 'k8s/cart.yaml': pod('cart', 1337) });
    const probot = await createProbot();
    await deliver(probot, github);
    expect(github.reviewComments).toHaveLength(1);
    const moved = 'b'.repeat(40);
    github.addCommit(moved, { 'apps/cart.yaml': pod('cart', 1337) }, [HEAD_SHA]);
    const pull = github.pulls.get(2)!;
    pull.headSha = moved;
    pull.files = changedFiles(new Map(), new Map([['apps/cart.yaml', pod('cart', 1337)]]));
    await deliver(probot, github, 'synchronize');
    expect(github.checkRuns.map((run) => [run.head_sha, run.conclusion])).toEqual([
      [HEAD_SHA, 'success'],
      [moved, 'success'],
    ]);
    expect(github.reviews).toHaveLength(1);
    expect(github.resolvedThreads.size).toBe(0);
  });

  it('still knows the comments an older version wrote, by the fingerprint with the path they carry', async () => {
    const { github } = pullRequestScenario({}, { 'k8s/cart.yaml': pod('cart', 1337) });
    const probot = await createProbot();
    await deliver(probot, github);
    // The same comment as an earlier version wrote it: its marker the finding's older fingerprint.
    const [comment] = github.reviewComments;
    const { analyze } = await import('../src/core/analyze.js');
    const legacy = analyze([{ path: 'k8s/cart.yaml', text: pod('cart', 1337) }]).findings[0]!.fingerprint;
    comment!.body = comment!.body.replace(/fingerprint=[0-9a-f]+/, `fingerprint=${legacy}`);
    await deliver(probot, github, 'synchronize');
    expect(github.reviews).toHaveLength(1);
    expect(github.resolvedThreads.size).toBe(0);
  });

  it('names the Service in an unchanged file that a new Service now conflicts with, read from the rest of the tree', async () => {
    const [deployment, http, tcp] = readFileSync(join(ROOT, 'fixtures/rules/target-port-conflict/positive.yaml'), 'utf8').split('---\n') as [string, string, string];
    const base = { 'k8s/gateway.yaml': deployment, 'k8s/gateway-tcp.yaml': tcp };
    const { github } = pullRequestScenario(base, { ...base, 'k8s/gateway-http.yaml': http });
    await deliver(await createProbot(), github);
    expect(github.pulls.get(2)!.files.map((file) => file.filename)).toEqual(['k8s/gateway-http.yaml']);
    expect(annotationsOf(github)).toEqual(['k8s/gateway-tcp.yaml:10 target-port-conflict']);
    expect(rendered(github.checkRuns[0]!.output.summary)).toContain('- `k8s/gateway-tcp.yaml:10` **warning** `target-port-conflict` (Service gateway-tcp)');
  });

  it('judges against the merge base, not base.sha: a fix made on the base branch after the head branched off is not the change\'s doing', async () => {
    const { github } = pullRequestScenario({ 'k8s/cart.yaml': pod('cart', 1337) }, { 'k8s/cart.yaml': pod('cart', 1337), 'k8s/notes.yaml': 'kind: ConfigMap\napiVersion: v1\nmetadata: {name: notes}\n' });
    // The base branch has moved on: its tip fixed the Pod; base.sha names that tip.
    const tip = 'c'.repeat(40);
    github.addCommit(tip, { 'k8s/cart.yaml': pod('cart', 1000) }, [BASE_SHA]);
    github.pulls.get(2)!.baseSha = tip;
    const probot = await createProbot();
    await deliver(probot, github);
    expect(paths(github)).toContain(`GET /repos/${OWNER}/${REPO}/compare/${tip}...${HEAD_SHA}`);
    expect(github.checkRuns[0]).toMatchObject({ conclusion: 'success', output: { title: 'No mesh readiness problems' } });
  });

  for (const [mode, expected] of [
    ['new', ['k8s/b.yaml:9 reserved-uid']],
    ['changed-files', ['k8s/a.yaml:9 reserved-uid', 'k8s/b.yaml:9 reserved-uid']],
    ['all', ['k8s/a.yaml:9 reserved-uid', 'k8s/b.yaml:9 reserved-uid', 'k8s/c.yaml:9 reserved-uid']],
  ] as const) {
    it(`filterMode: ${mode} reports ${expected.length} of the head's three findings`, async () => {
      const config = `filterMode: ${mode}\nfailOn: warning\n`;
      const base = { '.github/meshready.yml': config, 'k8s/a.yaml': pod('a', 1337), 'k8s/c.yaml': pod('c', 1337) };
      // a.yaml changes (its finding stays), b.yaml is new, c.yaml is untouched.
      const { github } = pullRequestScenario(base, { ...base, 'k8s/a.yaml': pod('a', 1337).replace('image: a:1', 'image: a:2'), 'k8s/b.yaml': pod('b', 1337) });
      github.defaultBranchFiles.set('.github/meshready.yml', config);
      const probot = await createProbot();
      await deliver(probot, github);
      expect(annotationsOf(github)).toEqual(expected);
      expect(github.checkRuns[0]!.conclusion).toBe('failure');
    });
  }
});

describe('reading the tree', () => {
  it('walks the subtrees GitHub leaves out of a truncated tree, and finds what an untruncated read finds', async () => {
    const head: Record<string, string> = { 'k8s/namespace.yaml': namespace('enabled') };
    for (const team of ['a', 'b', 'c']) for (const index of [1, 2, 3]) head[`k8s/teams/${team}/pod-${index}.yaml`] = pod(`${team}${index}`, index === 2 ? 1337 : 1000);
    const whole = pullRequestScenario({}, head);
    const truncated = pullRequestScenario({}, head, { limits: { treeEntries: 6 } });
    for (const github of [whole.github, truncated.github]) {
      await deliver(await createProbot(), github);
      releaseGitHub();
    }
    expect(annotationsOf(truncated.github)).toEqual(['k8s/teams/a/pod-2.yaml:9 reserved-uid', 'k8s/teams/b/pod-2.yaml:9 reserved-uid', 'k8s/teams/c/pod-2.yaml:9 reserved-uid']);
    expect(annotationsOf(truncated.github)).toEqual(annotationsOf(whole.github));
    const trees = (github: FakeGitHub) => github.requests.filter((request) => request.path.includes(`/${OWNER}/${REPO}/git/trees/`)).map((request) => request.path.replace(/^.*\/trees\//, ''));
    const headTree = truncated.github.commits.get(HEAD_SHA)!.tree;
    const sub = (path: string) => truncated.github.git.entryAt(headTree, path)!.sha;
    expect(trees(whole.github).filter((path) => !path.startsWith(truncated.github.commits.get(BASE_SHA)!.tree))).toEqual([`${HEAD_SHA}?recursive=1`]);
    // Truncated after k8s/teams/a/pod-2.yaml: the root, k8s, k8s/teams and k8s/teams/a a level each, then b and c whole.
    expect(trees(truncated.github).filter((path) => !path.startsWith(truncated.github.commits.get(BASE_SHA)!.tree))).toEqual([
      `${HEAD_SHA}?recursive=1`,
      headTree,
      sub('k8s'),
      sub('k8s/teams'),
      sub('k8s/teams/a'),
      `${sub('k8s/teams/b')}?recursive=1`,
      `${sub('k8s/teams/c')}?recursive=1`,
    ]);
  });

  it('passes over a file over the size limit by the tree\'s size, never reading it', async () => {
    const big = `${pod('big', 1337)}${'# padding\n'.repeat(300)}`;
    const { github } = pullRequestScenario({}, { 'k8s/big.yaml': big, 'k8s/small.yaml': pod('small', 1337) });
    github.defaultBranchFiles.set('.github/meshready.yml', 'limits: {maxFileBytes: 1000}\n');
    await deliver(await createProbot(), github);
    expect(blobsAskedFor(github)).toEqual([blobSha(pod('small', 1337))]);
    expect(annotationsOf(github)).toEqual(['k8s/small.yaml:9 reserved-uid']);
    expect(rendered(github.checkRuns[0]!.output.summary)).toContain('- `k8s/big.yaml`: file is 3.1 KB, over the 1000 bytes limit');
  });

  it('follows a symbolic link to a directory within the repository, as a checkout and the CLI do', async () => {
    const files: Record<string, FakeEntry> = { 'base/pod.yaml': pod('linked', 1337), 'overlays/prod': { symlink: '../base' } };
    const { github } = pullRequestScenario({}, {});
    github.addCommit(HEAD_SHA, files, [BASE_SHA]);
    github.pulls.get(2)!.files = [{ filename: 'overlays/prod', status: 'added' }];
    await deliver(await createProbot(), github);
    expect(annotationsOf(github)).toEqual(['base/pod.yaml:9 reserved-uid', 'overlays/prod/pod.yaml:9 reserved-uid']);

    const checkout = mkdtempSync(join(tmpdir(), 'meshready-link-'));
    try {
      mkdirSync(join(checkout, 'base'));
      mkdirSync(join(checkout, 'overlays'));
      writeFileSync(join(checkout, 'base/pod.yaml'), pod('linked', 1337));
      symlinkSync('../base', join(checkout, 'overlays/prod'));
      expect((await lintJson(checkout)).map((finding) => `${finding.file}:${finding.line} ${finding.ruleId}`)).toEqual(annotationsOf(github));
    } finally {
      rmSync(checkout, { recursive: true, force: true });
    }
  });

  it('reads each Helm chart whole, whatever the globs say (archives as bytes, by REST), and hands it to the analysis apart from the plain files', async () => {
    const archive = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03]);
    const chart: Record<string, FakeEntry> = {
      'charts/shop/Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 1.0.0\n',
      'charts/shop/values.yaml': 'uid: 1337\n',
      'charts/shop/templates/_helpers.tpl': '{{- define "shop.name" -}}shop{{- end }}\n',
      'charts/shop/templates/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ include "shop.name" . }}\n',
      'charts/shop/.helmignore': '*.md\n',
      'charts/shop/charts/redis-1.0.0.tgz': archive,
      'k8s/pod.yaml': pod('plain', 1000),
    };
    const { github } = pullRequestScenario({}, {});
    github.addCommit(HEAD_SHA, chart, [BASE_SHA]);
    github.pulls.get(2)!.files = [{ filename: 'charts/shop/values.yaml', status: 'added', patch: '@@ -0,0 +1 @@\n+uid: 1337' }];
    await deliver(await createProbot(), github);
    const asked = blobsAskedFor(github);
    for (const [path, entry] of Object.entries(chart)) expect(asked, path).toContain(gitObjectSha('blob', Buffer.from(entry as string | Uint8Array)));
    expect(paths(github)).toContain(`GET /repos/${OWNER}/${REPO}/git/blobs/${gitObjectSha('blob', archive)}`);
    // The archive is no chart: the render stops as helm's would, and the run says so, never passing the chart unread.
    expect(rendered(github.checkRuns[0]!.output.summary)).toMatch(/- `charts\/shop\/Chart\.yaml`: chart not rendered: .*redis-1\.0\.0\.tgz/);
    expect(github.checkRuns[0]).toMatchObject({ conclusion: 'success', output: { title: 'No mesh readiness problems; 1 file not checked' } });
  });

  describe('a chart the pull request changes, rendered at its head (fixtures/lint-charts/web)', () => {
    const web = treeOf(join(ROOT, 'fixtures/lint-charts/web'), 'deploy/web');
    const baseValues = web['deploy/web/values.yaml']!.replace('runAsGroup: 1337', 'runAsGroup: 1000');
    const base: Record<string, string> = { ...web, 'deploy/web/values.yaml': baseValues };

    it('comments on the values line that sets the GID, with a suggestion a re-render proved; what was there before is counted, not reported', async () => {
      const { github } = pullRequestScenario(base, web);
      await deliver(await createProbot(), github);
      expect(github.pulls.get(2)!.files.map((file) => file.filename)).toEqual(['deploy/web/values.yaml']);
      expect(github.checkRuns[0]).toMatchObject({ status: 'completed', conclusion: 'failure', output: { title: '1 error' } });
      expect(github.reviewComments.map((comment) => `${comment.path}:${comment.line}`)).toEqual(['deploy/web/values.yaml:7']);
      expect(github.reviewComments[0]!.body).toContain('```suggestion\n  runAsGroup: 1000\n```');
      expect(github.reviewComments[0]!.body).toContain('reserved-gid');
      // The version label and the Service port's protocol were missing on the base too.
      expect(rendered(github.checkRuns[0]!.output.summary)).toContain('2 findings were there already at the base `f95f852`: not reported, as not new (filterMode: new).');
    });

    it("reads a chart whole though a file of it is over the plain files' size limit, as the CLI does", async () => {
      // A helpers file of 3 KB, under a limit of 2 KB that every rendered document keeps to: without it the chart would not render.
      const helpers = 'deploy/web/templates/_helpers.tpl';
      const padded = (tree: Record<string, string>) => ({ ...tree, [helpers]: `{{/* ${'notes '.repeat(500)}*/}}\n${tree[helpers]!}` });
      const { github } = pullRequestScenario(padded(base), padded(web));
      github.defaultBranchFiles.set('.github/meshready.yml', 'limits: {maxFileBytes: 2000}\n');
      await deliver(await createProbot(), github);
      expect(github.reviewComments.map((comment) => `${comment.path}:${comment.line}`)).toEqual(['deploy/web/values.yaml:7']);
      expect(github.checkRuns[0]!.output.summary).not.toContain('over the 2.0 KB limit');
    });

    it('annotates the template a changed helper breaks, on its own line outside the diff, and lists it under what the change breaks elsewhere', async () => {
      const helpers = 'deploy/web/templates/_helpers.tpl';
      const { github } = pullRequestScenario(base, { ...base, [helpers]: base[helpers]!.replace(/^app\.kubernetes\.io\/name: .*\n/m, '') });
      await deliver(await createProbot(), github);
      expect(github.pulls.get(2)!.files.map((file) => file.filename)).toEqual([helpers]);
      expect(annotationsOf(github)).toEqual(['deploy/web/templates/deployment.yaml:13 app-label']);
      expect(github.reviewComments).toEqual([]);
      expect(rendered(github.checkRuns[0]!.output.summary)).toContain(
        '**What this change breaks elsewhere** (1 new finding outside the changed lines, each an annotation on its own file and line):\n- `deploy/web/templates/deployment.yaml:13` **notice** `app-label`',
      );
    });
  });

  it('over the reading budget reads the changed files and those beside them first, and says what it did not read', async () => {
    const head: Record<string, string> = { 'k8s/shop/cart.yaml': pod('cart', 1337), 'k8s/shop/orders.yaml': pod('orders', 1000) };
    for (const name of ['a', 'b', 'c']) head[`k8s/other/${name}.yaml`] = pod(name, 1337, 'other');
    const base = { ...head, 'k8s/shop/cart.yaml': pod('cart', 1000) };
    const { github } = pullRequestScenario(base, head);
    await deliver(await createProbot({ ...process.env, MESHREADY_MAX_REPOSITORY_FILES: '3' }), github);
    expect(annotationsOf(github)).toEqual(['k8s/shop/cart.yaml:9 reserved-uid']);
    expect(rendered(github.checkRuns[0]!.output.summary)).toContain(
      "> This repository is over meshready's reading budget (3 files, 100.0 MB): of its 5 files (960 bytes), 2 were not read (372 bytes), so what they hold (a Namespace, a Service, a policy) is not seen: k8s/other/b.yaml, k8s/other/c.yaml. The changed files and the files beside them were read first.",
    );
  });
});

describe('the blob cache', () => {
  /** Pull request #3 of the same repository, from the same base: one file changed. */
  function secondPullRequest(github: FakeGitHub, head: Record<string, string>): void {
    const sha = 'd'.repeat(40);
    github.addCommit(sha, head, [BASE_SHA]);
    github.pulls.set(3, { ...github.pulls.get(2)!, number: 3, headSha: sha, headRef: 'second', files: changedFiles(github.filesAt(BASE_SHA), new Map(Object.entries(head))) });
  }

  function repository(files: number): Record<string, string> {
    return Object.fromEntries(Array.from({ length: files }, (_, index) => [`k8s/pod-${String(index).padStart(3, '0')}.yaml`, pod(`p${index}`, 1000)]));
  }

  it('reads a repository\'s next pull request from the cache but for the blob it changes', async () => {
    const base = repository(400);
    const { github } = pullRequestScenario(base, { ...base, 'k8s/pod-001.yaml': pod('p1', 1337) });
    secondPullRequest(github, { ...base, 'k8s/pod-002.yaml': pod('p2', 1337) });
    const probot = await createProbot();
    await deliver(probot, github, 'opened', 2);
    const first = github.requests.length;
    // 401 distinct blobs: two GraphQL batches.
    expect(github.requests.filter((request) => request.path === '/graphql' && JSON.stringify(request.body).includes('Blob'))).toHaveLength(2);
    await deliver(probot, github, 'opened', 3);
    const second = github.requests.slice(first);
    expect(blobsAskedFor({ requests: second } as FakeGitHub)).toEqual([blobSha(pod('p2', 1337))]);
    expect(second.filter((request) => /\/(compare|git\/trees)\//.test(request.path) || (request.path === '/graphql' && JSON.stringify(request.body).includes('Blob')))).toHaveLength(4);
    expect(annotationsOf(github).length).toBe(1);
  });
});

describe('the blob cache shared through Redis (REDIS_URL), bounded and with a time to live', () => {
  let server: ChildProcess | undefined;
  afterAll(() => server?.kill());

  async function startRedis(): Promise<string> {
    if (spawnSync('redis-server', ['--version']).error) throw new Error('redis-server is not installed: apt-get install redis-server (npm test does)');
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const url = `redis://127.0.0.1:${port}`;
    for (let attempt = 0; ; attempt++) {
      const client = new Redis(url, { lazyConnect: true, retryStrategy: () => null });
      client.on('error', () => undefined);
      const ready = await client.connect().then(() => true, () => false);
      client.disconnect();
      if (ready) return url;
      if (attempt > 100) throw new Error(`redis-server did not start on ${url}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('lets a second replica read only what the first has not, and keeps the cache within its bytes, each blob with a time to live', async () => {
    const url = await startRedis();
    const env = { ...process.env, REDIS_URL: url, MESHREADY_REDIS_BLOB_CACHE_MB: String(4096 / (1024 * 1024)), MESHREADY_BLOB_CACHE_TTL_S: '600' };
    const files = Object.fromEntries(Array.from({ length: 6 }, (_, index) => [`k8s/pod-${index}.yaml`, pod(`p${index}`, 1000)]));
    const { github } = pullRequestScenario(files, { ...files, 'k8s/pod-1.yaml': pod('p1', 1337) });
    github.addCommit('e'.repeat(40), { ...files, 'k8s/pod-2.yaml': pod('p2', 1337) }, [BASE_SHA]);
    github.pulls.set(3, { ...github.pulls.get(2)!, number: 3, headSha: 'e'.repeat(40), headRef: 'third', files: changedFiles(new Map(Object.entries(files)), new Map(Object.entries({ ...files, 'k8s/pod-2.yaml': pod('p2', 1337) }))) });
    const [one, two] = [await createProbot(env), await createProbot(env)];
    await deliver(one!, github, 'opened', 2);
    await eventually(() => allRunsCompleted(github) && github.checkRuns.length === 1);
    const first = github.requests.length;
    await deliver(two!, github, 'opened', 3);
    await eventually(() => github.checkRuns.length === 2 && allRunsCompleted(github));
    expect(blobsAskedFor({ requests: github.requests.slice(first) } as FakeGitHub)).toEqual([blobSha(pod('p2', 1337))]);

    const client = new Redis(url);
    try {
      const keys = await client.keys('meshready-blobs:blob:*');
      expect(keys.length).toBeGreaterThan(0);
      const stored = Number(await client.get('meshready-blobs:bytes'));
      expect(stored).toBeLessThanOrEqual(4096);
      const sizes = await Promise.all(keys.map((key) => client.strlen(key)));
      expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(stored);
      for (const key of keys) {
        const ttl = await client.pttl(key);
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(600_000);
      }
    } finally {
      client.disconnect();
    }
  }, 60_000);
});

interface LintedFinding {
  ruleId: string;
  file: string;
  line: number;
  message: string;
}

/** `meshready lint . --format json` in a directory: its findings. */
async function lintJson(cwd: string): Promise<LintedFinding[]> {
  let stdout = '';
  await runLint(
    { paths: ['.'], format: 'json' },
    { cwd, stdout: (text) => (stdout += text), stderr: () => undefined, readStdin: async () => Buffer.alloc(0), colour: false, progress: false },
    '0.1.0',
  );
  return (JSON.parse(stdout) as { findings: LintedFinding[] }).findings;
}

describe('the CLI and the app give the same findings for the same tree', () => {
  /** Every fixture tree: a folder of manifests, as a repository would hold it, and charts both render (archives aside: the tree here is read as text). */
  const trees = [
    'demo/base',
    'demo/head',
    'istio-analyzers',
    'istio-samples',
    'parsing',
    ...readdirSync(join(ROOT, 'fixtures/rules')).map((rule) => `rules/${rule}`),
    'pull-requests/adopt-istio/head',
    'pull-requests/disabled-namespace/head',
    'lint-charts',
    'charts/podinfo',
    'charts/istio-gateway',
    'charts/cert-manager',
  ];

  it.each(trees)('fixtures/%s', async (tree) => {
    const root = join(ROOT, 'fixtures', tree);
    const cli = (await lintJson(root)).map((finding) => `${finding.file}:${finding.line} ${finding.ruleId}: ${finding.message}`);
    const { github } = pullRequestScenario({}, treeOf(root));
    await deliver(await createProbot(), github);
    const app = (github.checkRuns[0]!.output.annotations as Annotation[]).map((annotation) => `${annotation.path}:${annotation.start_line} ${annotation.title.split(':')[0]}: ${annotation.message}`);
    expect(app).toEqual(cli);
  });
});
