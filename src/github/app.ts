import type { ApplicationFunction, ApplicationFunctionOptions, Context, Probot } from 'probot';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkNesting } from '../core/cst-compose.js';
import { instrumentOctokit, registry, webhooksHandled } from './metrics.js';
import { analyzePullRequest } from './analysis.js';
import { APPLY_FIXES_ACTION, applyFixes, applyFixesEnabled } from './apply-fixes.js';
import type { AnalysisMode } from './analysis.js';
import type { AnalysisDeps } from './deps.js';
import { CHECK_NAME } from './types.js';
import type { Octokit, PullRequestTarget } from './types.js';

interface PullRequestLike {
  number: number;
  draft?: boolean;
  state?: string;
  changed_files?: number;
  maintainer_can_modify?: boolean;
  head: { sha: string; ref: string; repo: { name: string; owner: { login: string } } | null };
  base: { repo: { name: string; owner: { login: string } } };
}

export function targetOf(pullRequest: PullRequestLike): PullRequestTarget {
  const base = pullRequest.base.repo;
  // A deleted fork leaves no head repository; the head commit is still readable from the base.
  const head = pullRequest.head.repo ?? base;
  return {
    owner: base.owner.login,
    repo: base.name,
    number: pullRequest.number,
    headSha: pullRequest.head.sha,
    headRef: pullRequest.head.ref,
    headOwner: head.owner.login,
    headRepo: head.name,
    maintainerCanModify: pullRequest.maintainer_can_modify ?? false,
    changedFiles: pullRequest.changed_files ?? 0,
  };
}

/** The event's Octokit, counted in the metrics and with a time limit on every request. */
function octokitOf(context: Context): Octokit {
  return instrumentOctokit(context.octokit as Octokit);
}

const guardedConfigReads = new WeakSet<Octokit>();

/**
 * Probot's config loader parses the file with yaml's recursive composer, which thousands of
 * nested levels can bring down with the whole process (see MAX_NESTING): such a file is
 * refused as it arrives, and the loader's failure becomes a config error like any other.
 */
function refuseDeeplyNestedConfig(octokit: Octokit): void {
  if (guardedConfigReads.has(octokit)) return;
  guardedConfigReads.add(octokit);
  octokit.hook.after('request', (response, options) => {
    if (typeof response.data === 'string' && options.url.includes('/contents/')) checkNesting(response.data);
  });
}

function depsOf(context: Context): AnalysisDeps {
  const octokit = octokitOf(context);
  return {
    octokit,
    log: context.log,
    // Probot's loader: `.github/meshready.yml` of the repo, with `_extends` and the org's `.github` repo.
    loadConfig: () => {
      refuseDeeplyNestedConfig(octokit);
      return context.config('meshready.yml');
    },
  };
}

/**
 * The open pull requests whose head is a commit. Check suite and check run payloads list
 * only same-repository pull requests; for forks GitHub is asked which pull requests hold the commit.
 */
async function openPullRequestsWith(context: Context, headSha: string, listed: { number: number }[]): Promise<PullRequestLike[]> {
  const octokit = octokitOf(context);
  const { owner, repo } = context.repo();
  const numbers = listed.map((pullRequest) => pullRequest.number);
  if (numbers.length === 0) {
    const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ owner, repo, commit_sha: headSha });
    numbers.push(...data.filter((pullRequest) => pullRequest.state === 'open').map((pullRequest) => pullRequest.number));
  }
  const pullRequests: PullRequestLike[] = [];
  for (const number of numbers) {
    const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: number });
    if (data.state === 'open') pullRequests.push(data as PullRequestLike);
  }
  return pullRequests;
}

/** The open pull requests whose head is still `headSha`; drafts only when someone asked for a run. */
async function pullRequestsAt(context: Context, headSha: string, listed: { number: number }[], mode: AnalysisMode): Promise<PullRequestTarget[]> {
  const pullRequests = await openPullRequestsWith(context, headSha, listed);
  return pullRequests
    .filter((pullRequest) => pullRequest.head.sha === headSha && (mode === 'rerun' || !pullRequest.draft))
    .map(targetOf);
}

async function analyzeAll(context: Context, targets: PullRequestTarget[], mode: AnalysisMode): Promise<void> {
  for (const target of targets) await analyzePullRequest(depsOf(context), target, mode);
}

/** `/healthz` for probes and `/metrics` for Prometheus, beside Probot's own `/ping`. */
async function operationsHandler(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
  const path = (request.url ?? '').split('?')[0];
  if (request.method !== 'GET' || (path !== '/metrics' && path !== '/healthz')) return false;
  if (path === '/healthz') {
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
  } else {
    response.writeHead(200, { 'content-type': registry.contentType }).end(await registry.metrics());
  }
  return true;
}

/** Refuses to start in production without a webhook secret: anyone could post events. */
export function assertProductionSecret(env: NodeJS.ProcessEnv = process.env): void {
  if (env.NODE_ENV === 'production' && !env.WEBHOOK_SECRET) {
    throw new Error('WEBHOOK_SECRET must be set when NODE_ENV=production: unsigned webhooks would be accepted otherwise');
  }
}

export const meshreadyApp: ApplicationFunction = (app: Probot, options: ApplicationFunctionOptions) => {
  assertProductionSecret();
  options.addHandler(operationsHandler);
  app.onAny(async (context) => {
    const action = (context.payload as { action?: string }).action ?? '';
    webhooksHandled.inc({ event: context.name, action });
  });

  app.on(['pull_request.opened', 'pull_request.synchronize', 'pull_request.reopened'], async (context) => {
    // Drafts wait for ready_for_review: authors push half-done work there.
    if (context.payload.pull_request.draft) return;
    await analyzeAll(context as unknown as Context, [targetOf(context.payload.pull_request as PullRequestLike)], 'fresh');
  });

  app.on('pull_request.ready_for_review', async (context) => {
    await analyzeAll(context as unknown as Context, [targetOf(context.payload.pull_request as PullRequestLike)], 'fresh');
  });

  app.on(['check_suite.requested', 'check_suite.rerequested'], async (context) => {
    const suite = context.payload.check_suite;
    const mode = context.payload.action === 'rerequested' ? 'rerun' : 'fresh';
    const targets = await pullRequestsAt(context as unknown as Context, suite.head_sha, suite.pull_requests, mode);
    await analyzeAll(context as unknown as Context, targets, mode);
  });

  app.on('check_run.requested_action', async (context) => {
    const run = context.payload.check_run;
    if (run.name !== CHECK_NAME || context.payload.requested_action?.identifier !== APPLY_FIXES_ACTION.identifier) return;
    // A button from before the feature was turned off does nothing.
    if (!applyFixesEnabled()) return;
    // Read afresh: the head may have moved since the analysis the button belongs to.
    for (const pullRequest of await openPullRequestsWith(context as unknown as Context, run.head_sha, run.pull_requests)) {
      await applyFixes(depsOf(context as unknown as Context), targetOf(pullRequest), run.head_sha);
    }
  });

  app.on('check_run.rerequested', async (context) => {
    const run = context.payload.check_run;
    if (run.name !== CHECK_NAME) return;
    const targets = await pullRequestsAt(context as unknown as Context, run.head_sha, run.pull_requests, 'rerun');
    await analyzeAll(context as unknown as Context, targets, 'rerun');
  });
};

export default meshreadyApp;
