import type { AnalysisMode, PullRequestLike, PullRequestTarget, RepositoryName } from '../types.js';
import type { JobQueue } from './queue.js';

/**
 * The work webhook intake leaves for the workers: plain data, so that it can wait in Redis
 * and run on any replica. The installation is named, never a token: a worker asks for one.
 */
export type MeshreadyJob =
  | { kind: 'analyze'; installationId: number; target: PullRequestTarget; mode: AnalysisMode; deliveryId: string }
  /** A check suite or check run event: which open pull requests have that head is for the worker to ask. */
  | { kind: 'resolve'; installationId: number; owner: string; repo: string; headSha: string; pullRequests: number[]; mode: AnalysisMode; deliveryId: string }
  | { kind: 'apply-fixes'; installationId: number; owner: string; repo: string; headSha: string; pullRequests: number[]; deliveryId: string };

export function pullRequestKey(target: { owner: string; repo: string; number: number }): string {
  return `${target.owner}/${target.repo}#${target.number}`;
}

export function headKey(target: PullRequestTarget): string {
  return `${pullRequestKey(target)}@${target.headSha}`;
}

/**
 * One job per pull request head for the events of a push (opened, synchronize, the check
 * suite, redeliveries, on any replica); a re-run someone asked for is a job of its own.
 */
export function jobIdOf(job: MeshreadyJob): string {
  switch (job.kind) {
    case 'analyze':
      return job.mode === 'fresh' ? `analyze|${headKey(job.target)}` : `rerun|${headKey(job.target)}|${job.deliveryId}`;
    case 'resolve':
      return `resolve|${job.owner}/${job.repo}@${job.headSha}|${job.mode === 'fresh' ? 'fresh' : job.deliveryId}`;
    case 'apply-fixes':
      return `apply|${job.owner}/${job.repo}@${job.headSha}|${job.deliveryId}`;
  }
}

/** The pull request `pullRequest` of the repository `base` (the event's, the job's): where the analysis reads and reports. */
export function targetOf(base: RepositoryName, pullRequest: PullRequestLike): PullRequestTarget {
  // A deleted fork leaves no head repository; the head commit is still readable from the base.
  const fork = pullRequest.head.repo;
  return {
    owner: base.owner,
    repo: base.repo,
    number: pullRequest.number,
    headSha: pullRequest.head.sha,
    headRef: pullRequest.head.ref,
    ...(pullRequest.base?.sha !== undefined ? { baseSha: pullRequest.base.sha } : {}),
    headOwner: fork?.owner ? fork.owner.login : base.owner,
    headRepo: fork?.owner ? fork.name : base.repo,
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
  base: RepositoryName,
  pullRequest: PullRequestLike,
  job: { installationId: number; mode: AnalysisMode; deliveryId: string },
): Promise<void> {
  const target = targetOf(base, pullRequest);
  await queue.setLatest(pullRequestKey(target), target.headSha, pullRequest.updated_at ?? '');
  const analyze: MeshreadyJob = { kind: 'analyze', installationId: job.installationId, target, mode: job.mode, deliveryId: job.deliveryId };
  await queue.add(jobIdOf(analyze), analyze);
}
