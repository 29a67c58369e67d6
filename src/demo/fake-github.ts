import { isContentCreating } from '../github/budgets.js';
import { GitObjectStore, objectTypeOfMode } from './git-objects.js';
import type { FakeEntry, GitLeaf, GitMode, GitTreeEntry } from './git-objects.js';
import { GIT_DATA_LIMITS, WriteBudget, blobAsGraphql, checkRunProblem, readObjectQuery, reviewCommentProblem, truncatedTree } from './github-rules.js';
import type { CheckRunInput, GitDataLimits } from './github-rules.js';
import { changedFiles } from './pull-request.js';

/**
 * A small, stateful stand-in for the parts of GitHub's API meshready uses, answering as
 * GitHub does (pagination links, 404s, and a 422 for a review comment outside the diff).
 * The demo serves it over loopback HTTP; tests put it behind nock. It is a model, not a
 * mock: assertions are made on the requests it logs and the state it ends in.
 */

export interface FakeFile {
  filename: string;
  status: 'added' | 'modified' | 'removed' | 'renamed';
  patch?: string;
  previous_filename?: string;
}

export interface FakePullRequest {
  number: number;
  state: 'open' | 'closed';
  draft: boolean;
  headSha: string;
  headRef: string;
  /** `owner/name` of the head repository: differs from the base for forks. */
  headRepo: string;
  baseRef: string;
  /** The base commit GitHub shows as `base.sha`: by default the head commit's first parent. */
  baseSha?: string;
  maintainerCanModify: boolean;
  files: FakeFile[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
}

export interface FakeResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Answer only after this long: a slow or hung GitHub. */
  delayMs?: number;
  /** Close the connection instead of answering. */
  drop?: boolean;
  /** With a delay or a drop: GitHub did the work, only the answer is late or lost. */
  afterProcessing?: boolean;
}

export interface ReviewComment {
  id: number;
  node_id: string;
  path: string;
  line: number;
  start_line: number | null;
  side: string;
  body: string;
  commit_id: string;
  user: { login: string; type: string };
  in_reply_to_id?: number;
  /** Which pull request the comment is on, as GitHub says it: comments and threads are per pull request. */
  pull_request_url: string;
}

export interface CheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  output: { title?: string; summary?: string; text?: string; annotations: unknown[] };
  actions: unknown[];
}

export type FaultInjector = (request: RecordedRequest) => FakeResponse | undefined;

export const FAKE_INSTALLATION_TOKEN = 'ghs_fakeinstallationtoken';
export const BOT_LOGIN = 'meshready[bot]';

export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  /** The bytes of each answer's body, by the index of its request: counted by whoever serves the fake over HTTP. */
  readonly answerBytes: number[] = [];
  /** Files on the default branch, for Probot's config loader. */
  readonly defaultBranchFiles = new Map<string, string>();
  readonly pulls = new Map<number, FakePullRequest>();
  readonly checkRuns: CheckRun[] = [];
  readonly reviews: { id: number; event: string; body: string; commit_id: string }[] = [];
  readonly reviewComments: ReviewComment[] = [];
  faults: FaultInjector[] = [];
  /** The git object store, shared by a repository and its forks as on GitHub: real blob, tree and commit SHAs. */
  readonly git = new GitObjectStore();
  readonly commits = this.git.commits;
  /** Branch heads by `owner/repo:branch`. */
  readonly refs = new Map<string, string>();
  readonly resolvedThreads = new Set<string>();
  /** Where the fake is reached, for pagination links: set by whoever serves it. */
  baseUrl = 'https://api.github.com';
  private nextId = 1000;
  /** Requests left in the hour (GitHub gives an installation 5,000 or more); a test may set fewer. */
  remainingRequests = 5000;
  /** GitHub's secondary limit on content-creating requests (80 a minute); a test may set a smaller one. */
  writeBudget = new WriteBudget();

  /** GitHub's limits on trees and blob texts; a test may set smaller ones to see a tree truncated. */
  readonly limits: GitDataLimits;

  constructor(
    readonly owner: string,
    readonly repo: string,
    limits: Partial<GitDataLimits> = {},
  ) {
    this.limits = { ...GIT_DATA_LIMITS, ...limits };
  }

  /** A commit of these files (text, bytes, executables, symbolic links, submodules) by path, its SHA named by the test. */
  addCommit(sha: string, files: Record<string, FakeEntry>, parents: string[] = []): void {
    const leaves = new Map(Object.entries(files).map(([path, entry]) => [path, this.git.leafOf(entry)]));
    this.commits.set(sha, { tree: this.git.writeTree(leaves), parents, message: '' });
  }

  /** The files of a commit (plain and executable; not symbolic links or submodules) as text. */
  filesAt(sha: string): Map<string, string> {
    const commit = this.commits.get(sha);
    const files = new Map<string, string>();
    for (const [path, leaf] of commit ? this.git.leaves(commit.tree) : []) {
      if (leaf.mode === '100644' || leaf.mode === '100755') files.set(path, this.git.blob(leaf.sha)!.toString('utf8'));
    }
    return files;
  }

  /** Whether GitHub would find this `owner/name`: the repository, or a fork a pull request comes from. */
  private knowsRepository(fullName: string): boolean {
    return fullName === `${this.owner}/${this.repo}` || [...this.pulls.values()].some((pull) => pull.headRepo === fullName);
  }

  /** The commit a revision names in a repository: a commit SHA or a branch. */
  private commitOf(revision: string, repoName: string): string | undefined {
    if (this.commits.has(revision)) return revision;
    const branch = this.refs.get(`${repoName}:${revision.replace(/^(?:refs\/)?heads\//, '')}`);
    return branch !== undefined && this.commits.has(branch) ? branch : undefined;
  }

  /** What `<revision>` or `<revision>:<path>` names, as rev-parse (and GraphQL's `object(expression:)`) reads it. */
  private objectAt(expression: string, repoName: string): string | undefined {
    const colon = expression.indexOf(':');
    const revision = colon === -1 ? expression : expression.slice(0, colon);
    const commit = this.commitOf(revision, repoName);
    const tree = commit !== undefined ? this.commits.get(commit)!.tree : this.git.typeOf(revision) === 'tree' ? revision : undefined;
    if (colon === -1) return commit ?? tree;
    const path = expression.slice(colon + 1).replace(/\/+$/, '');
    if (tree === undefined) return undefined;
    return path === '' ? tree : this.git.entryAt(tree, path)?.sha;
  }

  /** The blob SHA a pull request file has: its head version, or for a removed file the base version GitHub lists. */
  private fileSha(file: FakeFile, headSha: string, baseSha: string | undefined): string {
    const commit = file.status === 'removed' ? baseSha : headSha;
    const tree = this.commits.get(commit ?? '')?.tree;
    return (tree !== undefined ? this.git.entryAt(tree, file.filename)?.sha : undefined) ?? '0'.repeat(40);
  }

  private baseShaOf(pull: FakePullRequest): string | undefined {
    return pull.baseSha ?? this.commits.get(pull.headSha)?.parents[0];
  }

  handle(method: string, url: string, body: unknown): FakeResponse {
    const parsed = new URL(url, 'http://fake.invalid');
    // GitHub Enterprise Server paths, as Probot uses them with GHE_HOST: /api/v3/... and /api/graphql.
    const path = parsed.pathname.replace(/^\/api\/v3/, '').replace(/^\/api\/graphql$/, '/graphql');
    const request = { method, path: `${path}${parsed.search}`, body };
    this.requests.push(request);
    for (const fault of this.faults) {
      const injected = fault(request);
      if (injected?.afterProcessing) return { ...this.route(method, path, parsed.searchParams, body), ...pick(injected) };
      if (injected) return injected;
    }
    if (isContentCreating(method, path, body)) {
      const wait = this.writeBudget.take();
      if (wait > 0) {
        return {
          status: 403,
          body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' },
          headers: { 'retry-after': String(wait) },
        };
      }
    }
    // GitHub's primary rate limit, told on every answer, and refused once spent.
    const reset = String(Math.ceil(Date.now() / 3_600_000) * 3600);
    const spent = this.remainingRequests === 0;
    const answer: FakeResponse = spent
      ? { status: 403, body: { message: 'API rate limit exceeded for installation.', documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api' } }
      : this.route(method, path, parsed.searchParams, body);
    if (!spent) this.remainingRequests--;
    return {
      ...answer,
      headers: { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': String(this.remainingRequests), 'x-ratelimit-used': String(5000 - this.remainingRequests), 'x-ratelimit-reset': reset, ...answer.headers },
    };
  }

  private route(method: string, path: string, query: URLSearchParams, body: unknown): FakeResponse {
    const repoPrefix = `/repos/${this.owner}/${this.repo}`;
    if (method === 'POST' && /^\/app\/installations\/\d+\/access_tokens$/.test(path)) {
      return {
        status: 201,
        body: { token: FAKE_INSTALLATION_TOKEN, expires_at: new Date(Date.now() + 3_600_000).toISOString(), permissions: {}, repository_selection: 'all' },
      };
    }
    if (method === 'POST' && path === '/graphql') return this.graphql(body as { query: string; variables: Record<string, string> });
    let match: RegExpExecArray | null;
    if ((match = /^\/repos\/([^/]+\/[^/]+)\/git\/(.+)$/.exec(path))) return this.gitRoute(method, match[1]!, match[2]!, query, body);
    if (!path.startsWith(`${repoPrefix}/`)) {
      return notFound();
    }
    const rest = path.slice(repoPrefix.length);
    if (method === 'GET' && (match = /^\/contents\/(.+)$/.exec(rest))) {
      const file = this.defaultBranchFiles.get(decodeURIComponent(match[1]!));
      return file === undefined ? notFound() : { status: 200, body: file, headers: { 'content-type': 'application/vnd.github.raw; charset=utf-8' } };
    }
    if ((match = /^\/pulls\/(\d+)(\/.*)?$/.exec(rest))) {
      const pull = this.pulls.get(Number(match[1]));
      if (!pull) return notFound();
      return this.pullRoute(method, pull, match[2] ?? '', query, body);
    }
    if (method === 'GET' && (match = /^\/commits\/([^/]+)\/check-runs$/.exec(rest))) {
      const runs = this.checkRuns.filter((run) => run.head_sha === match![1] && (!query.get('check_name') || run.name === query.get('check_name')));
      return { status: 200, body: { total_count: runs.length, check_runs: runs } };
    }
    if (method === 'GET' && (match = /^\/compare\/([^/]+)$/.exec(rest))) return this.compare(decodeURIComponent(match[1]!), query);
    if (method === 'GET' && (match = /^\/commits\/([^/]+)\/pulls$/.exec(rest))) {
      const pulls = [...this.pulls.values()].filter((pull) => pull.headSha === match![1]);
      return { status: 200, body: pulls.map((pull) => this.pullJson(pull)) };
    }
    if (method === 'POST' && rest === '/check-runs') {
      const input = body as Partial<CheckRun> & { output?: CheckRun['output'] };
      if (!this.commits.has(input.head_sha ?? '')) return unprocessable(`No commit found for SHA: ${input.head_sha}`);
      const problem = checkRunProblem(body as CheckRunInput);
      if (problem) return unprocessable(problem);
      const run: CheckRun = {
        id: this.nextId++,
        name: input.name ?? '',
        head_sha: input.head_sha ?? '',
        status: input.status ?? 'queued',
        conclusion: null,
        output: { ...input.output, annotations: [] },
        actions: [],
      };
      this.checkRuns.push(run);
      return { status: 201, body: run };
    }
    if (method === 'PATCH' && (match = /^\/check-runs\/(\d+)$/.exec(rest))) {
      const run = this.checkRuns.find((candidate) => candidate.id === Number(match![1]));
      if (!run) return notFound();
      const input = body as { status?: string; conclusion?: string; output?: CheckRun['output']; actions?: unknown[] };
      const problem = checkRunProblem(body as CheckRunInput);
      if (problem) return unprocessable(problem);
      if (input.status) run.status = input.status;
      if (input.conclusion) run.conclusion = input.conclusion;
      if (input.output) {
        run.output = { ...run.output, ...input.output, annotations: [...run.output.annotations, ...(input.output.annotations ?? [])] };
      }
      if (input.actions) run.actions = input.actions;
      return { status: 200, body: run };
    }
    return notFound();
  }

  /** The Git Data API: commits, trees and blobs by SHA (shared with forks, as on GitHub), and refs moved fast-forward only unless forced. */
  private gitRoute(method: string, repoName: string, rest: string, query: URLSearchParams, body: unknown): FakeResponse {
    if (!this.knowsRepository(repoName)) return notFound();
    const api = `${this.baseUrl}/repos/${repoName}/git`;
    let match: RegExpExecArray | null;
    if (method === 'GET' && (match = /^trees\/(.+)$/.exec(rest))) {
      const tree = this.treeNamed(decodeURIComponent(match[1]!), repoName);
      if (tree === 'not a tree') return unprocessable('Invalid object requested. SHA must identify a commit or a tree.');
      if (tree === undefined) return notFound();
      // Any value of `recursive`, "0" and "false" too, asks for the whole tree: GitHub documents it so.
      const recursive = query.has('recursive');
      const entries = (recursive ? this.git.walk(tree) : this.git.tree(tree)!.map((entry) => ({ path: entry.name, entry }))).map(({ path, entry }) => this.treeEntryJson(api, path, entry));
      const shown = recursive ? truncatedTree(entries, this.limits) : { tree: entries, truncated: false };
      return { status: 200, body: { sha: tree, url: `${api}/trees/${tree}`, ...shown } };
    }
    if (method === 'GET' && (match = /^blobs\/([^/]+)$/.exec(rest))) {
      const bytes = this.git.blob(match[1]!);
      if (!bytes) return notFound();
      // GitHub breaks the base64 into lines of 60 characters, each ending in a newline.
      const content = bytes.toString('base64').replace(/.{1,60}/g, '$&\n');
      return { status: 200, body: { sha: match[1], node_id: `B_${match[1]}`, size: bytes.length, url: `${api}/blobs/${match[1]}`, content, encoding: 'base64' } };
    }
    if (method === 'POST' && rest === 'blobs') {
      const input = body as { content: string; encoding?: string };
      const sha = this.git.putBlob(input.encoding === 'base64' ? Buffer.from(input.content, 'base64') : input.content);
      return { status: 201, body: { sha, url: `${api}/blobs/${sha}` } };
    }
    if (method === 'GET' && (match = /^commits\/([^/]+)$/.exec(rest))) {
      const commit = this.commits.get(match[1]!);
      return commit ? { status: 200, body: this.commitJson(repoName, match[1]!) } : notFound();
    }
    if (method === 'POST' && rest === 'trees') return this.createTree(api, body as CreateTreeBody);
    if (method === 'POST' && rest === 'commits') {
      const input = body as { message: string; tree: string; parents?: string[] };
      if (this.git.typeOf(input.tree) !== 'tree') return unprocessable('Tree SHA does not exist');
      const parents = input.parents ?? [];
      if (parents.some((parent) => !this.commits.has(parent))) return unprocessable('Parent SHA does not exist or is not a commit object');
      const commit = { tree: input.tree, parents, message: input.message };
      const sha = this.git.commitSha(commit, COMMITTER, Date.parse(COMMITTER.date) / 1000);
      this.commits.set(sha, commit);
      return { status: 201, body: this.commitJson(repoName, sha) };
    }
    if (method === 'PATCH' && (match = /^refs\/heads\/(.+)$/.exec(decodeURIComponent(rest)))) {
      const input = body as { sha: string; force?: boolean };
      const key = `${repoName}:${match[1]!}`;
      const current = this.refs.get(key);
      if (current === undefined) return { status: 422, body: { message: 'Reference does not exist' } };
      if (!input.force && !this.commits.get(input.sha)?.parents.includes(current)) {
        return { status: 422, body: { message: 'Update is not a fast forward' } };
      }
      this.refs.set(key, input.sha);
      for (const pull of this.pulls.values()) if (`${pull.headRepo}:${pull.headRef}` === key) pull.headSha = input.sha;
      return { status: 200, body: { ref: `refs/heads/${match[1]}`, object: { sha: input.sha, type: 'commit' } } };
    }
    return notFound();
  }

  /** The commits a commit holds in its history, itself included, nearest first (breadth first, as `git rev-list` walks). */
  private ancestors(sha: string): string[] {
    const seen = new Set<string>();
    const queue = [sha];
    while (queue.length > 0) {
      const next = queue.shift()!;
      if (seen.has(next) || !this.commits.has(next)) continue;
      seen.add(next);
      queue.push(...this.commits.get(next)!.parents);
    }
    return [...seen];
  }

  /**
   * `GET compare/{base}...{head}`: the merge base (the nearest commit of the base's history
   * that the head's holds), the commits from it to the head (`per_page` of them, oldest
   * first), and on the first page the files changed since the merge base, at most 300, as
   * GitHub lists them.
   */
  private compare(basehead: string, query: URLSearchParams): FakeResponse {
    const [base, head] = basehead.split('...') as [string, string | undefined];
    const repoName = `${this.owner}/${this.repo}`;
    const baseSha = this.commitOf(base, repoName);
    const headSha = head === undefined ? undefined : this.commitOf(head, repoName);
    if (baseSha === undefined || headSha === undefined) return notFound();
    const headHistory = this.ancestors(headSha);
    const baseHistory = this.ancestors(baseSha);
    const mergeBase = baseHistory.find((sha) => headHistory.includes(sha));
    if (mergeBase === undefined) return notFound();
    const ahead = headHistory.filter((sha) => !baseHistory.includes(sha)).reverse();
    const behind = baseHistory.filter((sha) => !headHistory.includes(sha));
    const perPage = Math.min(250, Number(query.get('per_page') ?? 250));
    const page = Number(query.get('page') ?? 1);
    const api = `${this.baseUrl}/repos/${repoName}`;
    const files =
      page === 1
        ? changedFiles(this.filesAt(mergeBase), this.filesAt(headSha))
            .slice(0, 300)
            .map((file) => {
              const sha = this.fileSha(file, headSha, mergeBase);
              const lines = file.patch?.split('\n') ?? [];
              const additions = lines.filter((line) => line.startsWith('+')).length;
              const deletions = lines.filter((line) => line.startsWith('-')).length;
              const raw = `https://github.com/${repoName}/raw/${headSha}/${file.filename}`;
              return { sha, ...file, additions, deletions, changes: additions + deletions, blob_url: raw.replace('/raw/', '/blob/'), raw_url: raw, contents_url: `${api}/contents/${file.filename}?ref=${headSha}` };
            })
        : [];
    return {
      status: 200,
      body: {
        url: `${api}/compare/${basehead}`,
        html_url: `https://github.com/${repoName}/compare/${basehead}`,
        permalink_url: `https://github.com/${repoName}/compare/${baseSha}...${headSha}`,
        diff_url: `https://github.com/${repoName}/compare/${basehead}.diff`,
        patch_url: `https://github.com/${repoName}/compare/${basehead}.patch`,
        base_commit: this.restCommitJson(repoName, baseSha),
        merge_base_commit: this.restCommitJson(repoName, mergeBase),
        status: ahead.length === 0 && behind.length === 0 ? 'identical' : behind.length === 0 ? 'ahead' : ahead.length === 0 ? 'behind' : 'diverged',
        ahead_by: ahead.length,
        behind_by: behind.length,
        total_commits: ahead.length,
        commits: ahead.slice((page - 1) * perPage, page * perPage).map((sha) => this.restCommitJson(repoName, sha)),
        files,
      },
    };
  }

  /** A commit as the REST commits and compare endpoints show it (its git commit inside). */
  private restCommitJson(repoName: string, sha: string): Record<string, unknown> {
    const git = this.commitJson(repoName, sha) as { author: unknown; committer: unknown; message: string; tree: unknown; url: string; verification: unknown; parents: unknown };
    return {
      url: `${this.baseUrl}/repos/${repoName}/commits/${sha}`,
      sha,
      node_id: `C_${sha}`,
      html_url: `https://github.com/${repoName}/commit/${sha}`,
      comments_url: `${this.baseUrl}/repos/${repoName}/commits/${sha}/comments`,
      commit: { author: git.author, committer: git.committer, comment_count: 0, message: git.message, tree: git.tree, url: git.url, verification: git.verification },
      author: null,
      committer: null,
      parents: git.parents,
    };
  }

  /**
   * The tree a `tree_sha` names: a tree's SHA, a commit's (its tree), or a branch. Another
   * full SHA (a blob, a submodule's commit, nothing here) is refused with 422 as GitHub does.
   */
  private treeNamed(name: string, repoName: string): string | 'not a tree' | undefined {
    const commit = this.commitOf(name, repoName);
    if (commit !== undefined) return this.commits.get(commit)!.tree;
    if (this.git.typeOf(name) === 'tree') return name;
    return /^[0-9a-f]{40}$/.test(name) ? 'not a tree' : undefined;
  }

  /** An entry as GitHub's trees API lists it: a size for blobs, and no URL for a submodule (its commit is in another repository). */
  private treeEntryJson(api: string, path: string, entry: GitTreeEntry): Record<string, unknown> {
    const type = objectTypeOfMode(entry.mode);
    return {
      path,
      mode: entry.mode,
      type,
      sha: entry.sha,
      ...(type === 'blob' ? { size: this.git.blob(entry.sha)!.length } : {}),
      ...(type === 'commit' ? {} : { url: `${api}/${type}s/${entry.sha}` }),
    };
  }

  /**
   * Create a tree: `base_tree` (a tree's SHA, not a commit's) with entries set by blob SHA
   * or content, or removed with `sha: null`; nested paths make the trees between.
   */
  private createTree(api: string, input: CreateTreeBody): FakeResponse {
    const base = input.base_tree;
    if (base !== undefined && this.git.typeOf(base) !== 'tree') return unprocessable('GitRPC::BadObjectState');
    const leaves = base !== undefined ? this.git.leaves(base) : new Map<string, GitLeaf>();
    const clear = (path: string) => {
      for (const existing of [...leaves.keys()]) {
        if (existing === path || existing.startsWith(`${path}/`) || path.startsWith(`${existing}/`)) leaves.delete(existing);
      }
    };
    for (const entry of input.tree) {
      clear(entry.path);
      if (entry.sha === null) continue;
      if (entry.mode === '040000') {
        if (entry.sha === undefined || this.git.typeOf(entry.sha) !== 'tree') return unprocessable('GitRPC::BadObjectState');
        for (const [path, leaf] of this.git.leaves(entry.sha)) leaves.set(`${entry.path}/${path}`, leaf);
        continue;
      }
      const sha = entry.content !== undefined ? this.git.putBlob(entry.content) : entry.sha;
      if (sha === undefined || (entry.mode !== '160000' && this.git.typeOf(sha) !== 'blob')) return unprocessable('GitRPC::BadObjectState');
      leaves.set(entry.path, { mode: entry.mode, sha });
    }
    const sha = this.git.writeTree(leaves);
    const tree = this.git.tree(sha)!.map((entry) => this.treeEntryJson(api, entry.name, entry));
    return { status: 201, body: { sha, url: `${api}/trees/${sha}`, tree, truncated: false } };
  }

  /** A commit as the Git Data API shows it. */
  private commitJson(repoName: string, sha: string): Record<string, unknown> {
    const commit = this.commits.get(sha)!;
    const api = `${this.baseUrl}/repos/${repoName}/git`;
    return {
      sha,
      node_id: `C_${sha}`,
      url: `${api}/commits/${sha}`,
      html_url: `https://github.com/${repoName}/commit/${sha}`,
      author: COMMITTER,
      committer: COMMITTER,
      message: commit.message,
      tree: { sha: commit.tree, url: `${api}/trees/${commit.tree}` },
      parents: commit.parents.map((parent) => ({ sha: parent, url: `${api}/commits/${parent}`, html_url: `https://github.com/${repoName}/commit/${parent}` })),
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
    };
  }

  private pullRoute(method: string, pull: FakePullRequest, rest: string, query: URLSearchParams, body: unknown): FakeResponse {
    if (method === 'GET' && rest === '') return { status: 200, body: this.pullJson(pull) };
    if (method === 'GET' && rest === '/files') {
      const page = paginate(pull.files.map((file) => ({ sha: this.fileSha(file, pull.headSha, this.baseShaOf(pull)), ...file })), this.linkBase(pull, rest), query, 3000);
      return { ...page, body: withoutPatchesPastDiffLimit(page.body as FakeFile[]) };
    }
    if (method === 'GET' && rest === '/comments') {
      return paginate(this.commentsOf(pull.number), this.linkBase(pull, rest), query);
    }
    if (method === 'POST' && rest === '/reviews') return this.createReview(pull, body as CreateReviewBody);
    let match: RegExpExecArray | null;
    if (method === 'POST' && (match = /^\/comments\/(\d+)\/replies$/.exec(rest))) {
      const parent = this.reviewComments.find((comment) => comment.id === Number(match![1]));
      if (!parent) return notFound();
      const reply = this.addComment({ ...parent, body: (body as { body: string }).body, in_reply_to_id: parent.id });
      return { status: 201, body: reply };
    }
    return notFound();
  }

  /** The URL GitHub gives a pull request in its comments' `pull_request_url`. */
  pullRequestUrl(number: number): string {
    return `${this.baseUrl}/repos/${this.owner}/${this.repo}/pulls/${number}`;
  }

  private commentsOf(number: number): ReviewComment[] {
    const url = this.pullRequestUrl(number);
    return this.reviewComments.filter((comment) => comment.pull_request_url === url);
  }

  private linkBase(pull: FakePullRequest, rest: string): string {
    return `${this.baseUrl}/repos/${this.owner}/${this.repo}/pulls/${pull.number}${rest}`;
  }

  private createReview(pull: FakePullRequest, body: CreateReviewBody): FakeResponse {
    if (body.commit_id !== undefined && !this.commits.has(body.commit_id)) return unprocessable('commit_id is not part of the pull request');
    const patchOf = (path: string) => pull.files.find((candidate) => candidate.filename === path)?.patch;
    for (const comment of body.comments ?? []) {
      const problem = reviewCommentProblem(comment, patchOf);
      if (problem) return { status: 422, body: { message: 'Unprocessable Entity', errors: [problem] } };
    }
    const review = { id: this.nextId++, event: body.event ?? 'COMMENT', body: body.body ?? '', commit_id: body.commit_id ?? pull.headSha };
    this.reviews.push(review);
    for (const comment of body.comments ?? []) {
      this.addComment({
        path: comment.path,
        line: comment.line,
        start_line: comment.start_line ?? null,
        side: comment.side,
        body: comment.body,
        commit_id: review.commit_id,
        user: { login: BOT_LOGIN, type: 'Bot' },
        pull_request_url: this.pullRequestUrl(pull.number),
      });
    }
    return { status: 200, body: { ...review, state: 'COMMENTED' } };
  }

  /** A review comment, as the bot or (with `user`) as a person replying. */
  addComment(comment: Omit<ReviewComment, 'id' | 'node_id'> & { id?: number; node_id?: string }): ReviewComment {
    const id = this.nextId++;
    const stored = { ...comment, id, node_id: `PRRC_${id}` };
    this.reviewComments.push(stored);
    return stored;
  }

  /** Review threads as GraphQL shows them: a top-level comment and its replies (of one pull request, or all). */
  private reviewThreads(number?: number): Record<string, unknown>[] {
    return (number === undefined ? this.reviewComments : this.commentsOf(number))
      .filter((comment) => comment.in_reply_to_id === undefined)
      .map((top) => ({
        id: `PRRT_${top.id}`,
        isResolved: this.resolvedThreads.has(`PRRT_${top.id}`),
        comments: {
          nodes: [top, ...this.reviewComments.filter((comment) => comment.in_reply_to_id === top.id)].map((comment) => ({
            databaseId: comment.id,
            body: comment.body,
            author: { login: comment.user.login.replace(/\[bot\]$/, '') },
          })),
        },
      }));
  }

  pullJson(pull: FakePullRequest): Record<string, unknown> {
    const [headOwner, headName] = pull.headRepo.split('/') as [string, string];
    const repository = (owner: string, name: string) => ({ name, full_name: `${owner}/${name}`, owner: { login: owner }, fork: owner !== this.owner });
    return {
      number: pull.number,
      state: pull.state,
      draft: pull.draft,
      changed_files: pull.files.length,
      maintainer_can_modify: pull.maintainerCanModify,
      head: { sha: pull.headSha, ref: pull.headRef, repo: repository(headOwner, headName) },
      base: { ref: pull.baseRef, ...(this.baseShaOf(pull) !== undefined ? { sha: this.baseShaOf(pull) } : {}), repo: repository(this.owner, this.repo) },
    };
  }

  private graphql(body: { query: string; variables: Record<string, string> }): FakeResponse {
    if (body.query.includes('resolveReviewThread')) {
      const threadId = String(body.variables.threadId);
      if (!this.reviewThreads().some((thread) => thread.id === threadId)) return { status: 200, body: { errors: [{ message: `Could not resolve to a node with the global id of '${threadId}'` }] } };
      this.resolvedThreads.add(threadId);
      return { status: 200, body: { data: { resolveReviewThread: { thread: { id: threadId, isResolved: true } } } } };
    }
    if (body.query.includes('reviewThreads')) {
      const threads = this.reviewThreads(Number(body.variables.number));
      return {
        status: 200,
        body: { data: { repository: { pullRequest: { reviewThreads: { nodes: threads, pageInfo: { hasNextPage: false, endCursor: null } } } } } },
      };
    }
    if (/\brepository\s*\(/.test(body.query)) return this.repositoryObjects(body.query, body.variables ?? {});
    return { status: 200, body: { errors: [{ message: 'The fake GitHub answers no such query' }] } };
  }

  /**
   * `repository(owner:, name:) { a: object(oid: $x) { ... on Blob { ... } } ... }`: each
   * alias the object an id or a rev-parse expression names, with the Blob fields asked for;
   * null where there is no such object, `{}` where it is not a blob.
   */
  private repositoryObjects(query: string, variables: Record<string, unknown>): FakeResponse {
    const blobQuery = readObjectQuery(query, variables);
    const fullName = `${blobQuery.owner}/${blobQuery.name}`;
    if (!this.knowsRepository(fullName)) {
      return { status: 200, body: { data: { repository: null }, errors: [{ type: 'NOT_FOUND', path: ['repository'], message: `Could not resolve to a Repository with the name '${fullName}'.` }] } };
    }
    if (blobQuery.problem) return { status: 200, body: { errors: [{ message: blobQuery.problem }] } };
    const repository: Record<string, unknown> = {};
    for (const field of blobQuery.objects) {
      const sha = field.by === 'oid' ? field.value : this.objectAt(field.value, fullName);
      // A submodule's path names a commit of another repository: no object here.
      const known = sha !== undefined && this.git.typeOf(sha) !== undefined;
      const bytes = known ? this.git.blob(sha) : undefined;
      repository[field.alias] = !known ? null : bytes ? blobAsGraphql(sha, bytes, field.fields, this.limits) : {};
    }
    return { status: 200, body: { data: { repository } } };
  }
}

/** Who made a commit through the Git Data API, and when: one time, so the same commit made twice is the same object, as in git. */
const COMMITTER = { name: 'meshready[bot]', email: 'meshready[bot]@users.noreply.github.com', date: '2011-04-14T16:00:49Z' };

interface CreateTreeBody {
  base_tree?: string;
  tree: { path: string; mode: GitMode; type?: string; sha?: string | null; content?: string }[];
}

interface CreateReviewBody {
  commit_id?: string;
  event?: string;
  body?: string;
  comments?: { path: string; line: number; side: string; start_line?: number; start_side?: string; body: string }[];
}

function pick(fault: FakeResponse): Pick<FakeResponse, 'delayMs' | 'drop'> {
  return { ...(fault.delayMs !== undefined ? { delayMs: fault.delayMs } : {}), ...(fault.drop ? { drop: true } : {}) };
}

function unprocessable(message: string): FakeResponse {
  return { status: 422, body: { message, documentation_url: 'https://docs.github.com/rest' } };
}

function notFound(): FakeResponse {
  return { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } };
}

/** Patch lines one answer of "list pull request files" carries before GitHub leaves the rest out. */
export const PATCH_LINES_PER_RESPONSE = 20_000;

/**
 * As GitHub does: once the patches of one answer add up to about 20,000 lines, the files
 * after that come with no `patch` and with 0 additions, deletions and changes.
 */
function withoutPatchesPastDiffLimit(files: FakeFile[]): FakeFile[] {
  let lines = 0;
  return files.map((file) => {
    if (lines >= PATCH_LINES_PER_RESPONSE) {
      const { patch: _omitted, ...rest } = file;
      return { ...rest, additions: 0, deletions: 0, changes: 0 };
    }
    lines += file.patch?.split('\n').length ?? 0;
    return file;
  });
}

/** GitHub-style pagination: `per_page`/`page` and a Link header to the next page. */
function paginate<T>(items: T[], linkBase: string, query: URLSearchParams, cap = Infinity): FakeResponse {
  const perPage = Math.min(100, Number(query.get('per_page') ?? 30));
  const page = Number(query.get('page') ?? 1);
  const visible = items.slice(0, cap);
  const slice = visible.slice((page - 1) * perPage, page * perPage);
  const headers: Record<string, string> = {};
  if (page * perPage < visible.length) {
    const next = new URLSearchParams(query);
    next.set('page', String(page + 1));
    headers.link = `<${linkBase}?${next.toString()}>; rel="next"`;
  }
  return { status: 200, body: slice, headers };
}
