import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FakeGitHub } from '../src/demo/fake-github.js';
import type { FakeResponse } from '../src/demo/fake-github.js';
import type { FakeEntry } from '../src/demo/git-objects.js';
import { gitObjectSha } from '../src/demo/git-objects.js';
import { HEAD_SHA, OWNER, REPO, pullRequestScenario } from './support/app-harness.js';
import { GitHubContract } from './support/github-contract.js';

/**
 * The fake serves trees and blobs as GitHub does: git's own SHAs (held against real git),
 * trees by tree SHA, commit SHA or branch, recursive listings truncated past a limit,
 * base64 blobs, and blobs by object id in GraphQL. Every request and every answer is held
 * to GitHub's published description.
 */

const contract = new GitHubContract();
const scratch = mkdtempSync(join(tmpdir(), 'meshready-git-data-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const SUBMODULE_COMMIT = '5a5d5d1a40b3c4b7ad1b0a16e5cd2a3e2c2b1f0e';
const LATIN1 = Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xe9, 0x0a]);
const UTF16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('kind: Pod\n', 'utf16le')]);

/** A tree with every kind of entry, and names whose order git decides by bytes, a directory as if it ended in `/`. */
const FILES: Record<string, FakeEntry> = {
  'k8s/deploy.yaml': 'kind: Deployment\n',
  'k8s/base/service.yaml': 'kind: Service\n',
  'k8s/base.yaml': 'kind: ConfigMap\n',
  'k8s/base-x.yaml': 'a: 1\n',
  'k8s/café.yaml': 'kind: Pod\n',
  'k8s/link.yaml': { symlink: 'deploy.yaml' },
  'k8s/utf16.yaml': UTF16,
  'k8s/latin1.yaml': LATIN1,
  'scripts/run.sh': { executable: '#!/bin/sh\necho hi\n' },
  'vendor/charts': { submodule: SUBMODULE_COMMIT },
  'logo.gif': Buffer.from('GIF89a\u0000\u0001', 'latin1'),
};

function git(cwd: string, args: string[], input?: string | Buffer): string {
  const result = spawnSync('git', args, { cwd, input, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: scratch, GIT_CONFIG_NOSYSTEM: '1' } });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

/** The same files put in a real git index and written as a tree: git's tree SHA and `ls-tree -r -t -l` of it. */
function realGitTree(files: Record<string, FakeEntry>): { tree: string; listing: { path: string; mode: string; type: string; sha: string; size?: number }[] } {
  const repository = mkdtempSync(join(scratch, 'repo-'));
  git(repository, ['init', '-q']);
  const lines: string[] = [];
  for (const [path, entry] of Object.entries(files)) {
    const [mode, bytes] =
      typeof entry === 'string' || entry instanceof Uint8Array
        ? ['100644', entry]
        : 'executable' in entry
          ? ['100755', entry.executable]
          : 'symlink' in entry
            ? ['120000', entry.symlink]
            : ['160000', undefined];
    const sha = bytes === undefined ? (entry as { submodule: string }).submodule : git(repository, ['hash-object', '-w', '--stdin'], Buffer.from(bytes)).trim();
    lines.push(`${mode} ${sha}\t${path}`);
  }
  git(repository, ['update-index', '--add', '--index-info'], `${lines.join('\n')}\n`);
  const tree = git(repository, ['write-tree']).trim();
  const listing = git(repository, ['ls-tree', '-r', '-t', '-l', '-z', tree])
    .split('\u0000')
    .filter(Boolean)
    .map((line) => {
      const [info, path] = line.split('\t') as [string, string];
      const [mode, type, sha, size] = info.split(/ +/) as [string, string, string, string];
      return { path, mode: mode === '040000' ? '040000' : mode, type, sha, ...(size !== '-' ? { size: Number(size) } : {}) };
    });
  return { tree, listing };
}

function fakeWith(files: Record<string, FakeEntry>, limits: ConstructorParameters<typeof FakeGitHub>[2] = {}): FakeGitHub {
  const github = new FakeGitHub(OWNER, REPO, limits);
  github.addCommit(HEAD_SHA, files);
  github.refs.set(`${OWNER}/${REPO}:feature/mesh`, HEAD_SHA);
  return github;
}

/** A request to the fake, with the request and the answer both held to GitHub's description. */
function call(github: FakeGitHub, method: string, path: string, body?: unknown): FakeResponse {
  const answer = github.handle(method, path, body);
  const request = github.requests.at(-1)!;
  expect(contract.check(request)).toEqual([]);
  if (path !== '/graphql') expect(contract.checkAnswer(request, answer)).toEqual([]);
  return answer;
}

type TreeAnswer = { sha: string; truncated: boolean; tree: { path: string; mode: string; type: string; sha: string; size?: number; url?: string }[] };
const treeOf = (github: FakeGitHub, name: string, query = '') => call(github, 'GET', `/repos/${OWNER}/${REPO}/git/trees/${name}${query}`);
const treeSha = (github: FakeGitHub) => github.commits.get(HEAD_SHA)!.tree;

describe('git objects with the SHAs git gives them', () => {
  it('blobs as git hash-object, trees as git write-tree and git mktree, in git\'s order', () => {
    const real = realGitTree(FILES);
    const github = fakeWith(FILES);
    expect(treeSha(github)).toBe(real.tree);
    expect(gitObjectSha('blob', Buffer.from('kind: Service\n'))).toBe(git(scratch, ['hash-object', '--stdin'], 'kind: Service\n').trim());
    // mktree of the top level, with entries given out of order and objects git has never seen.
    const top = [...github.git.tree(real.tree)!].reverse();
    const bare = join(scratch, 'mktree.git');
    git(scratch, ['init', '-q', '--bare', bare]);
    const input = top.map((entry) => `${entry.mode} ${entry.mode === '040000' ? 'tree' : entry.mode === '160000' ? 'commit' : 'blob'} ${entry.sha}\t${entry.name}\n`).join('');
    expect(git(scratch, ['--git-dir', bare, 'mktree', '--missing'], input).trim()).toBe(github.git.putTree(top));
  });

  it('GET git/trees/{sha}?recursive=1 lists what git ls-tree -r -t lists, with sizes for blobs and no URL for a submodule', () => {
    const real = realGitTree(FILES);
    const github = fakeWith(FILES);
    const answer = treeOf(github, HEAD_SHA, '?recursive=1');
    expect(answer.status).toBe(200);
    const body = answer.body as TreeAnswer;
    expect(body.truncated).toBe(false);
    expect(body.sha).toBe(real.tree);
    expect(body.tree.map(({ url: _url, ...entry }) => entry)).toEqual(real.listing);
    expect(body.tree.find((entry) => entry.path === 'k8s/link.yaml')).toEqual({
      path: 'k8s/link.yaml',
      mode: '120000',
      type: 'blob',
      sha: gitObjectSha('blob', Buffer.from('deploy.yaml')),
      size: 11,
      url: `https://api.github.com/repos/${OWNER}/${REPO}/git/blobs/${gitObjectSha('blob', Buffer.from('deploy.yaml'))}`,
    });
    expect(body.tree.find((entry) => entry.path === 'vendor/charts')).toEqual({ path: 'vendor/charts', mode: '160000', type: 'commit', sha: SUBMODULE_COMMIT });
    expect(body.tree.find((entry) => entry.path === 'k8s/base')).toMatchObject({ mode: '040000', type: 'tree', url: expect.stringContaining('/git/trees/') });
  });

  it('names a tree by its SHA, its commit\'s SHA or a branch; any value of recursive recurses; one level without it', () => {
    const github = fakeWith(FILES);
    const paths = (answer: FakeResponse) => (answer.body as TreeAnswer).tree.map((entry) => entry.path);
    expect(paths(treeOf(github, HEAD_SHA))).toEqual(['k8s', 'logo.gif', 'scripts', 'vendor']);
    expect(paths(treeOf(github, treeSha(github)))).toEqual(['k8s', 'logo.gif', 'scripts', 'vendor']);
    expect(paths(treeOf(github, 'feature%2Fmesh'))).toEqual(['k8s', 'logo.gif', 'scripts', 'vendor']);
    const k8s = (treeOf(github, HEAD_SHA).body as TreeAnswer).tree[0]!;
    expect(paths(treeOf(github, k8s.sha))).toEqual(['base-x.yaml', 'base.yaml', 'base', 'café.yaml', 'deploy.yaml', 'latin1.yaml', 'link.yaml', 'utf16.yaml']);
    expect(paths(treeOf(github, HEAD_SHA, '?recursive=0'))).toHaveLength(15);
    expect(paths(treeOf(github, HEAD_SHA, '?recursive=false'))).toHaveLength(15);
  });

  it('refuses what GitHub refuses: 422 for a SHA that is no tree or commit here (a blob, a submodule\'s commit), 404 for an unknown branch or repository', () => {
    const github = fakeWith(FILES);
    const blob = gitObjectSha('blob', Buffer.from('kind: Service\n'));
    const refused = { status: 422, body: { message: 'Invalid object requested. SHA must identify a commit or a tree.' } };
    expect(treeOf(github, blob)).toMatchObject(refused);
    expect(treeOf(github, SUBMODULE_COMMIT, '?recursive=1')).toMatchObject(refused);
    expect(treeOf(github, 'no-such-branch')).toMatchObject({ status: 404, body: { message: 'Not Found' } });
    expect(github.handle('GET', `/repos/${OWNER}/elsewhere/git/trees/${HEAD_SHA}`, undefined).status).toBe(404);
    expect(call(github, 'GET', `/repos/${OWNER}/${REPO}/git/blobs/${'0'.repeat(40)}`)).toMatchObject({ status: 404, body: { message: 'Not Found' } });
  });

  it('truncates a recursive listing past its entry or byte limit, and walking the subtrees one level at a time reads the whole tree', () => {
    for (const limits of [{ treeEntries: 5 }, { treeBytes: 1_000 }]) {
      const github = fakeWith(FILES, limits);
      const recursive = treeOf(github, HEAD_SHA, '?recursive=1').body as TreeAnswer;
      expect(recursive.truncated).toBe(true);
      const full = new FakeGitHub(OWNER, REPO);
      full.addCommit(HEAD_SHA, FILES);
      const everything = (treeOf(full, HEAD_SHA, '?recursive=1').body as TreeAnswer).tree;
      expect(recursive.tree).toEqual(everything.slice(0, recursive.tree.length));
      expect(recursive.tree.length).toBeLessThan(everything.length);
      // The walk a client does then: one level per request, never truncated.
      const walked: TreeAnswer['tree'] = [];
      const walk = (sha: string, prefix: string) => {
        const level = treeOf(github, sha).body as TreeAnswer;
        expect(level.truncated).toBe(false);
        for (const entry of level.tree) {
          walked.push({ ...entry, path: `${prefix}${entry.path}` });
          if (entry.type === 'tree') walk(entry.sha, `${prefix}${entry.path}/`);
        }
      };
      walk(recursive.sha, '');
      expect(walked).toEqual(everything);
    }
  });

  it('GET git/commits/{sha} gives the tree; GET git/blobs/{sha} gives base64 in lines of 60, and the size', () => {
    const github = fakeWith(FILES);
    expect(call(github, 'GET', `/repos/${OWNER}/${REPO}/git/commits/${HEAD_SHA}`).body).toMatchObject({ sha: HEAD_SHA, tree: { sha: treeSha(github) }, parents: [] });
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: "1"\n';
    const sha = gitObjectSha('blob', Buffer.from(text));
    github.addCommit('c'.repeat(40), { 'k8s/settings.yaml': text });
    const blob = call(github, 'GET', `/repos/${OWNER}/${REPO}/git/blobs/${sha}`).body as { content: string; size: number; encoding: string; sha: string };
    expect(blob).toMatchObject({ sha, size: Buffer.byteLength(text), encoding: 'base64' });
    expect(blob.content.split('\n').map((line) => line.length)).toEqual([60, 40, 0]);
    expect(Buffer.from(blob.content, 'base64').toString('utf8')).toBe(text);
    const utf16 = call(github, 'GET', `/repos/${OWNER}/${REPO}/git/blobs/${gitObjectSha('blob', UTF16)}`).body as { content: string };
    expect(Buffer.from(utf16.content, 'base64')).toEqual(UTF16);
  });

  it('lists a pull request file with the blob SHA of its head version', () => {
    const { github } = pullRequestScenario({ 'k8s/a.yaml': 'a: 1\n', 'k8s/gone.yaml': 'b: 2\n' }, { 'k8s/a.yaml': 'a: 2\n' });
    const files = github.handle('GET', `/repos/${OWNER}/${REPO}/pulls/2/files?per_page=100`, undefined).body as { filename: string; sha: string }[];
    expect(files.map((file) => [file.filename, file.sha])).toEqual([
      ['k8s/a.yaml', gitObjectSha('blob', Buffer.from('a: 2\n'))],
      ['k8s/gone.yaml', gitObjectSha('blob', Buffer.from('b: 2\n'))],
    ]);
    expect(github.pullJson(github.pulls.get(2)!)).toMatchObject({ base: { sha: github.commits.get(HEAD_SHA)!.parents[0] } });
  });

  it('creates trees and commits whose SHAs are git\'s: a base tree, new content, a nested path, a removal', () => {
    const github = fakeWith(FILES);
    const created = call(github, 'POST', `/repos/${OWNER}/${REPO}/git/trees`, {
      base_tree: treeSha(github),
      tree: [
        { path: 'k8s/base/service.yaml', mode: '100644', type: 'blob', content: 'kind: Service # fixed\n' },
        { path: 'k8s/new/deeper/pod.yaml', mode: '100644', type: 'blob', content: 'kind: Pod\n' },
        { path: 'logo.gif', mode: '100644', type: 'blob', sha: null },
      ],
    });
    expect(created.status).toBe(201);
    const { 'logo.gif': _removed, ...kept } = FILES;
    expect((created.body as TreeAnswer).sha).toBe(realGitTree({ ...kept, 'k8s/base/service.yaml': 'kind: Service # fixed\n', 'k8s/new/deeper/pod.yaml': 'kind: Pod\n' }).tree);
    // A commit's SHA is no base tree: GitHub wants the tree's.
    expect(call(github, 'POST', `/repos/${OWNER}/${REPO}/git/trees`, { base_tree: HEAD_SHA, tree: [] }).status).toBe(422);
    const commit = call(github, 'POST', `/repos/${OWNER}/${REPO}/git/commits`, { message: 'fix', tree: (created.body as TreeAnswer).sha, parents: [HEAD_SHA] });
    expect(commit).toMatchObject({ status: 201, body: { tree: { sha: (created.body as TreeAnswer).sha }, parents: [{ sha: HEAD_SHA }] } });
    expect(call(github, 'POST', `/repos/${OWNER}/${REPO}/git/commits`, { message: 'x', tree: treeSha(github), parents: ['e'.repeat(40)] }).status).toBe(422);
  });
});

describe('compare/{base}...{head}: the merge base', () => {
  it('finds where a branch left a base that moved on since, lists the commits from it and the files changed, in GitHub\'s schema; 404 for an unknown commit', () => {
    const github = fakeWith({ 'k8s/deploy.yaml': 'kind: Deployment\n' });
    const fork = 'a'.repeat(40);
    const branch = 'b'.repeat(40);
    const tip = 'c'.repeat(40);
    github.addCommit(fork, { 'k8s/deploy.yaml': 'kind: Deployment\n' }, [HEAD_SHA]);
    github.addCommit(branch, { 'k8s/deploy.yaml': 'kind: Deployment\n', 'k8s/svc.yaml': 'kind: Service\n' }, [fork]);
    github.addCommit(tip, { 'k8s/deploy.yaml': 'kind: Deployment # fixed\n' }, [fork]);
    const answer = call(github, 'GET', `/repos/${OWNER}/${REPO}/compare/${tip}...${branch}?per_page=1`);
    expect(answer.status).toBe(200);
    const body = answer.body as { status: string; ahead_by: number; behind_by: number; merge_base_commit: { sha: string; commit: { tree: { sha: string } } }; commits: { sha: string }[]; files: { filename: string; status: string }[] };
    expect(body).toMatchObject({ status: 'diverged', ahead_by: 1, behind_by: 1, merge_base_commit: { sha: fork, commit: { tree: { sha: github.commits.get(fork)!.tree } } } });
    expect(body.commits.map((commit) => commit.sha)).toEqual([branch]);
    expect(body.files.map((file) => [file.filename, file.status])).toEqual([['k8s/svc.yaml', 'added']]);
    expect(call(github, 'GET', `/repos/${OWNER}/${REPO}/compare/${tip}...${'d'.repeat(40)}`).status).toBe(404);
  });
});

describe('blobs by object id in GraphQL, batched', () => {
  const blobs = (count: number) =>
    `query ($owner: String!, $name: String!, ${Array.from({ length: count }, (_, index) => `$b${index}: GitObjectID!`).join(', ')}) {\n  repository(owner: $owner, name: $name) {\n    ${Array.from({ length: count }, (_, index) => `b${index}: object(oid: $b${index}) { ... on Blob { byteSize isBinary isTruncated text } }`).join('\n    ')}\n  }\n}`;
  const read = (github: FakeGitHub, oids: string[], owner = OWNER) => {
    const query = blobs(oids.length);
    expect(contract.graphqlProblems(query)).toEqual([]);
    const variables = Object.fromEntries([['owner', owner], ['name', REPO], ...oids.map((oid, index) => [`b${index}`, oid])]);
    return call(github, 'POST', '/graphql', { query, variables }).body as { data?: { repository: Record<string, unknown> | null }; errors?: { message: string }[] };
  };
  const oid = (content: string | Uint8Array) => gitObjectSha('blob', Buffer.from(content));

  it('gives each alias the Blob fields asked for: text, binary as git judges it, no text for bytes that are not UTF-8; null for an unknown id, {} for a tree', () => {
    const github = fakeWith(FILES);
    const answer = read(github, [oid('kind: Service\n'), oid(UTF16), oid(LATIN1), oid('GIF89a\u0000\u0001'), 'f'.repeat(40), treeSha(github)]);
    expect(answer).toEqual({
      data: {
        repository: {
          b0: { byteSize: 14, isBinary: false, isTruncated: false, text: 'kind: Service\n' },
          b1: { byteSize: UTF16.length, isBinary: true, isTruncated: false, text: null },
          b2: { byteSize: LATIN1.length, isBinary: null, isTruncated: false, text: null },
          b3: { byteSize: 8, isBinary: true, isTruncated: false, text: null },
          b4: null,
          b5: {},
        },
      },
    });
  });

  it('cuts a long text at the limit on a character boundary, says isTruncated, and keeps the byte size', () => {
    const text = `name: ${'é'.repeat(10)}\n`;
    const github = fakeWith({ 'big.yaml': text }, { blobTextBytes: 11 });
    expect(read(github, [oid(text)]).data!.repository!.b0).toEqual({ byteSize: 27, isBinary: false, isTruncated: true, text: 'name: éé' });
  });

  it('refuses an object id that is not a full SHA, and a repository it does not know', () => {
    const github = fakeWith(FILES);
    expect(read(github, ['abc123']).errors).toEqual([{ message: "Argument 'oid' on Field 'b0' has an invalid value (abc123). Expected type 'GitObjectID'." }]);
    expect(read(github, [oid('kind: Service\n')], 'someone-else')).toMatchObject({
      data: { repository: null },
      errors: [{ type: 'NOT_FOUND', message: `Could not resolve to a Repository with the name 'someone-else/${REPO}'.` }],
    });
  });

  it('reads a rev-parse expression as git does: a symbolic link is its own blob, a submodule no object here, a directory a tree', () => {
    const github = fakeWith(FILES);
    const query = `query ($owner: String!, $name: String!) {\n  repository(owner: $owner, name: $name) {\n${['k8s/link.yaml', 'vendor/charts', 'k8s/base', 'k8s/nothing.yaml']
      .map((path, index) => `    e${index}: object(expression: "feature/mesh:${path}") { ... on Blob { oid text } }`)
      .join('\n')}\n  }\n}`;
    expect(contract.graphqlProblems(query)).toEqual([]);
    expect(call(github, 'POST', '/graphql', { query, variables: { owner: OWNER, name: REPO } }).body).toEqual({
      data: { repository: { e0: { oid: oid('deploy.yaml'), text: 'deploy.yaml' }, e1: null, e2: {}, e3: null } },
    });
  });
});

describe('the contract check holds the fake\'s answers too', () => {
  it('refuses an answer that does not fit GitHub\'s schema, or a status GitHub does not document', () => {
    const request = { method: 'GET', path: `/repos/${OWNER}/${REPO}/git/trees/${HEAD_SHA}`, body: undefined };
    expect(contract.checkAnswer(request, { status: 200, body: { tree: [], truncated: false } })).toEqual([expect.stringContaining("must have required property 'sha'")]);
    expect(contract.checkAnswer(request, { status: 201, body: {} })).toEqual([`GET /repos/${OWNER}/${REPO}/git/trees/${HEAD_SHA} -> 201: GitHub documents no such answer`]);
    expect(contract.checkAnswer(request, { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } })).toEqual([]);
  });
});
