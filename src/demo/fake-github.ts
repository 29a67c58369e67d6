import { isContentCreating } from '../github/budgets.js';
import { WriteBudget, checkRunProblem, reviewCommentProblem } from './github-rules.js';
import type { CheckRunInput } from './github-rules.js';

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
  /** Blobs by `sha:path`, for every commit the fake knows. */
  readonly contents = new Map<string, string>();
  /** Files on the default branch, for Probot's config loader. */
  readonly defaultBranchFiles = new Map<string, string>();
  readonly pulls = new Map<number, FakePullRequest>();
  readonly checkRuns: CheckRun[] = [];
  readonly reviews: { id: number; event: string; body: string; commit_id: string }[] = [];
  readonly reviewComments: ReviewComment[] = [];
  faults: FaultInjector[] = [];
  /** The git object store, shared by a repository and its forks as on GitHub. */
  readonly commits = new Map<string, { tree: string; parents: string[]; message: string }>();
  readonly trees = new Map<string, Map<string, string>>();
  readonly blobs = new Map<string, string>();
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

  constructor(
    readonly owner: string,
    readonly repo: string,
  ) {}

  addCommit(sha: string, files: Record<string, string>, parents: string[] = []): void {
    for (const [path, text] of Object.entries(files)) this.contents.set(`${sha}:${path}`, text);
    this.trees.set(`tree-${sha}`, new Map(Object.entries(files)));
    this.commits.set(sha, { tree: `tree-${sha}`, parents, message: '' });
  }

  /** The files of a commit. */
  filesAt(sha: string): Map<string, string> {
    const commit = this.commits.get(sha);
    return new Map(commit ? this.trees.get(commit.tree) : []);
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
    if ((match = /^\/repos\/([^/]+\/[^/]+)\/git\/(.+)$/.exec(path))) return this.gitRoute(method, match[1]!, match[2]!, body);
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

  /** The Git Data API: blobs, trees, commits and refs, fast-forward only unless forced. */
  private gitRoute(method: string, repoName: string, rest: string, body: unknown): FakeResponse {
    let match: RegExpExecArray | null;
    if (method === 'GET' && (match = /^blobs\/([0-9a-f]+)$/.exec(rest))) {
      const text = this.blobs.get(match[1]!) ?? [...this.contents.entries()].find(([key]) => blobSha(key) === match![1])?.[1];
      return text === undefined ? notFound() : { status: 200, body: { sha: match[1], encoding: 'base64', content: Buffer.from(text).toString('base64') } };
    }
    if (method === 'POST' && rest === 'blobs') {
      const input = body as { content: string; encoding?: string };
      const text = input.encoding === 'base64' ? Buffer.from(input.content, 'base64').toString('utf8') : input.content;
      const sha = blobSha(`blob:${text}`);
      this.blobs.set(sha, text);
      return { status: 201, body: { sha, url: `${this.baseUrl}/repos/${repoName}/git/blobs/${sha}` } };
    }
    if (method === 'GET' && (match = /^commits\/([0-9a-f]+)$/.exec(rest))) {
      const commit = this.commits.get(match[1]!);
      return commit ? { status: 200, body: { sha: match[1], tree: { sha: commit.tree }, parents: commit.parents.map((sha) => ({ sha })), message: commit.message } } : notFound();
    }
    if (method === 'POST' && rest === 'trees') {
      const input = body as { base_tree?: string; tree: { path: string; sha?: string | null; content?: string }[] };
      const files = new Map(input.base_tree ? this.trees.get(input.base_tree) : []);
      for (const entry of input.tree) {
        if (entry.sha === null) files.delete(entry.path);
        else files.set(entry.path, entry.content ?? this.blobs.get(entry.sha ?? '') ?? '');
      }
      const sha = `tree-${this.nextId++}`;
      this.trees.set(sha, files);
      return { status: 201, body: { sha, tree: [...files.keys()].map((path) => ({ path, type: 'blob', mode: '100644' })) } };
    }
    if (method === 'POST' && rest === 'commits') {
      const input = body as { message: string; tree: string; parents: string[] };
      if (!this.trees.has(input.tree)) return { status: 422, body: { message: 'Tree SHA does not exist' } };
      const sha = blobSha(`commit:${this.nextId++}:${input.message}`);
      this.commits.set(sha, { tree: input.tree, parents: input.parents, message: input.message });
      for (const [path, text] of this.trees.get(input.tree)!) this.contents.set(`${sha}:${path}`, text);
      return { status: 201, body: { sha, tree: { sha: input.tree }, parents: input.parents.map((parent) => ({ sha: parent })), message: input.message } };
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

  private pullRoute(method: string, pull: FakePullRequest, rest: string, query: URLSearchParams, body: unknown): FakeResponse {
    if (method === 'GET' && rest === '') return { status: 200, body: this.pullJson(pull) };
    if (method === 'GET' && rest === '/files') {
      const page = paginate(pull.files.map((file) => ({ sha: blobSha(`${pull.headSha}:${file.filename}`), ...file })), this.linkBase(pull, rest), query, 3000);
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
      base: { ref: pull.baseRef, repo: repository(this.owner, this.repo) },
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
    const repository: Record<string, unknown> = {};
    for (const [name, expression] of Object.entries(body.variables ?? {})) {
      const alias = /^e(\d+)$/.exec(name);
      if (!alias) continue;
      const text = this.contents.get(expression);
      repository[`f${alias[1]}`] =
        text === undefined
          ? null
          : { oid: blobSha(expression), byteSize: Buffer.byteLength(text), isBinary: text.includes('\u0000'), isTruncated: false, text: text.includes('\u0000') ? null : text };
    }
    return { status: 200, body: { data: { repository } } };
  }
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

/** A stable fake blob SHA for a `sha:path` key. */
function blobSha(key: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index++) hash = Math.imul(hash ^ key.charCodeAt(index), 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0').repeat(5);
}

/** GitHub-style pagination: `per_page`/`page` and a Link header to the next page. */
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
