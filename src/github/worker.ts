import { checkNesting } from '../core/cst-compose.js';
import { CONFIG_PATH, configSizeProblem } from '../core/config.js';
import { analyzePullRequest, standDownForNewerHead } from './analysis.js';
import type { AnalysisMode, Attempt } from './analysis.js';
import { applyFixes, applyFixesEnabled } from './apply-fixes.js';
import type { AnalysisDeps } from './deps.js';
import { paceHourlyWrites } from './budgets.js';
import { headKey, jobIdOf, pullRequestKey } from './jobs.js';
import type { MeshreadyJob } from './jobs.js';
import { instrumentOctokit, jobsProcessed } from './metrics.js';
import type { JobQueue } from './queue.js';
import type { Logger, Octokit, PullRequestTarget } from './types.js';

export interface PullRequestLike {
  number: number;
  draft?: boolean;
  state?: string;
  changed_files?: number;
  maintainer_can_modify?: boolean;
  updated_at?: string;
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

/**
 * Queues the analysis of a pull request's head, recording that head as the pull request's
 * newest first (by the event's `updated_at`), so that queued work for an older head stands down.
 */
export async function queueAnalysis(
  queue: JobQueue<MeshreadyJob>,
  pullRequest: PullRequestLike,
  job: { installationId: number; mode: AnalysisMode; deliveryId: string },
): Promise<void> {
  const target = targetOf(pullRequest);
  await queue.setLatest(pullRequestKey(target), target.headSha, pullRequest.updated_at ?? '');
  const analyze: MeshreadyJob = { kind: 'analyze', installationId: job.installationId, target, mode: job.mode, deliveryId: job.deliveryId };
  await queue.add(jobIdOf(analyze), analyze);
}

export interface WorkerContext {
  /** An Octokit authenticated as the installation (Probot's `app.auth`). */
  octokitFor(installationId: number): Promise<Octokit>;
  queue: JobQueue<MeshreadyJob>;
  log: Logger;
}

/**
 * Probot's config loader parses the file with yaml's recursive composer, which a 20 MB
 * file or thousands of nested levels can bring down with the whole process (see
 * MAX_NESTING): such a file is refused as it arrives, and the loader's failure becomes a
 * config error like any other (a neutral run naming it).
 */
function refuseHostileConfig(octokit: Octokit): Octokit {
  octokit.hook.after('request', (response, options) => {
    if (typeof response.data !== 'string' || !options.url.includes('/contents/')) return;
    const tooLarge = configSizeProblem(Buffer.byteLength(response.data, 'utf8'));
    if (tooLarge) throw new Error(tooLarge);
    checkNesting(response.data);
  });
  return octokit;
}

function depsFor(octokit: Octokit, log: Logger, target: { owner: string; repo: string }): AnalysisDeps {
  return {
    octokit,
    log,
    // Probot's loader, as context.config: the repo's file, `_extends`, and the org's `.github` repo.
    loadConfig: async () => {
      const { config, files } = await octokit.config.get({ owner: target.owner, repo: target.repo, path: CONFIG_PATH });
      return files.some((file) => file.config !== null) ? config : null;
    },
  };
}

/**
 * The open pull requests whose head is a commit. Check suite and check run payloads list
 * only same-repository pull requests; for forks GitHub is asked which pull requests hold the commit.
 */
async function openPullRequestsWith(octokit: Octokit, owner: string, repo: string, headSha: string, listed: number[]): Promise<PullRequestLike[]> {
  const numbers = [...listed];
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

/** Runs one job: the pipeline for a pull request head, or what leads to it. */
export async function processJob(job: MeshreadyJob, attempt: Attempt, context: WorkerContext): Promise<void> {
  const octokit = paceHourlyWrites(refuseHostileConfig(instrumentOctokit(await context.octokitFor(job.installationId))), job.installationId, context.queue);
  try {
    await runJob(job, attempt, octokit, context);
    jobsProcessed.inc({ kind: job.kind, outcome: 'done' });
  } catch (error) {
    jobsProcessed.inc({ kind: job.kind, outcome: attempt.last ? 'failed' : 'retried' });
    throw error;
  }
}

async function runJob(job: MeshreadyJob, attempt: Attempt, octokit: Octokit, context: WorkerContext): Promise<void> {
  const { queue, log } = context;
  switch (job.kind) {
    case 'analyze': {
      const { target } = job;
      await queue.withLock(headKey(target), async () => {
        const newest = await queue.latest(pullRequestKey(target));
        if (newest !== undefined && newest !== target.headSha) {
          log.info(`${headKey(target)}: superseded by ${newest}`);
          await standDownForNewerHead(octokit, target, newest);
          return;
        }
        await analyzePullRequest(depsFor(octokit, log, target), target, job.mode, attempt);
      });
      return;
    }
    case 'resolve': {
      const pullRequests = await openPullRequestsWith(octokit, job.owner, job.repo, job.headSha, job.pullRequests);
      for (const pullRequest of pullRequests) {
        // Drafts are analysed only when someone asks.
        if (pullRequest.head.sha !== job.headSha || (job.mode === 'fresh' && pullRequest.draft)) continue;
        await queueAnalysis(queue, pullRequest, job);
      }
      return;
    }
    case 'apply-fixes': {
      // A button from before the feature was turned off does nothing.
      if (!applyFixesEnabled()) return;
      // Read afresh: the head may have moved since the analysis the button belongs to.
      for (const pullRequest of await openPullRequestsWith(octokit, job.owner, job.repo, job.headSha, job.pullRequests)) {
        const target = targetOf(pullRequest);
        await queue.withLock(headKey({ ...target, headSha: job.headSha }), () => applyFixes(depsFor(octokit, log, target), target, job.headSha));
      }
      return;
    }
  }
}
