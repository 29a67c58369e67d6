import { failureOf } from '../failures.js';
import { jobsProcessed } from '../metrics.js';
import type { Attempt, Logger, Octokit } from '../types.js';
import { applyFixes } from '../worker/apply-fixes.js';
import { analyseHead } from '../worker/pipeline.js';
import type { WorkerContext } from '../worker/pipeline.js';
import type { ReadSettings } from '../worker/read.js';
import { openPullRequestsWith } from '../worker/pull-requests.js';
import { standDownForNewerHead } from '../writes/check-run.js';
import { headKey, jobIdOf, pullRequestKey, queueAnalysis, targetOf } from './job.js';
import type { MeshreadyJob } from './job.js';
import { LockBusyError } from './queue.js';
import type { JobQueue } from './queue.js';

export interface JobContext {
  queue: JobQueue<MeshreadyJob>;
  log: Logger;
  /** The installation's GitHub client (client.ts): one per installation. */
  clientFor(installationId: number): Promise<Octokit>;
  applyFixes: boolean;
  reading: ReadSettings;
}

async function runKind(job: MeshreadyJob, attempt: Attempt, worker: WorkerContext, queue: JobQueue<MeshreadyJob>): Promise<void> {
  const { octokit, log } = worker;
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
        await analyseHead(worker, target, job.mode, attempt);
      });
      return;
    }
    case 'resolve': {
      const pullRequests = await openPullRequestsWith(octokit, job.owner, job.repo, job.headSha, job.pullRequests);
      for (const pullRequest of pullRequests) {
        // Drafts are analysed only when someone asks.
        if (pullRequest.head.sha !== job.headSha || (job.mode === 'fresh' && pullRequest.draft)) continue;
        await queueAnalysis(queue, job, pullRequest, job);
      }
      return;
    }
    case 'apply-fixes': {
      // A button from before the feature was turned off does nothing.
      if (!worker.applyFixes) return;
      // Read afresh: the head may have moved since the analysis the button belongs to.
      for (const pullRequest of await openPullRequestsWith(octokit, job.owner, job.repo, job.headSha, job.pullRequests)) {
        const target = targetOf(job, pullRequest);
        await queue.withLock(headKey({ ...target, headSha: job.headSha }), () => applyFixes(worker, target, job.headSha));
      }
      return;
    }
  }
}

/**
 * Runs one job: the pipeline for a pull request head, or what leads to it. A failure that
 * escapes is the queue's to try again — only a transient one is (see failures.ts); a
 * defect is logged with its stack, once.
 */
export async function runJob(job: MeshreadyJob, attempt: Attempt, context: JobContext): Promise<void> {
  const { queue, log } = context;
  try {
    const octokit = await context.clientFor(job.installationId);
    await runKind(job, attempt, { octokit, log, applyFixes: context.applyFixes, reading: context.reading }, queue);
    jobsProcessed.inc({ kind: job.kind, outcome: 'done' });
  } catch (error) {
    const busy = error instanceof LockBusyError;
    const failure = failureOf(error);
    jobsProcessed.inc({ kind: job.kind, outcome: busy || (failure.kind === 'transient' && !attempt.last) ? 'retried' : 'failed' });
    if (failure.kind === 'bug' && !busy) log.error({ err: error }, `job ${jobIdOf(job)} stopped on a defect`);
    throw error;
  }
}
