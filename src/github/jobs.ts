import type { AnalysisMode } from './analysis.js';
import type { PullRequestTarget } from './types.js';

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
