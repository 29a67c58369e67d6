import type { ProbotOctokit } from 'probot';

export type Octokit = InstanceType<typeof ProbotOctokit>;

/** The pull request an analysis is about, as read from whichever event started it. */
export interface PullRequestTarget {
  owner: string;
  repo: string;
  number: number;
  headSha: string;
  headRef: string;
  /**
   * The base branch's commit GitHub names for the pull request (`base.sha`); the analysis
   * reads the merge base of it and the head. Absent only in a job an older version queued.
   */
  baseSha?: string;
  /** Where the head commit lives: a fork for pull requests from forks. */
  headOwner: string;
  headRepo: string;
  maintainerCanModify: boolean;
  /** How many files GitHub says the pull request changes. */
  changedFiles: number;
}

/** A pull request as GitHub describes it, in a webhook payload or a `pulls.get` answer: the fields meshready reads. */
export interface PullRequestLike {
  number: number;
  draft?: boolean;
  changed_files?: number;
  maintainer_can_modify?: boolean;
  updated_at?: string;
  /** A deleted fork leaves no head repository (webhook payloads type even its owner as nullable). */
  head: { sha: string; ref: string; repo: { name: string; owner: { login: string } | null } | null };
  base?: { sha: string };
}

/** A repository, as `context.repo()` names it. */
export interface RepositoryName {
  owner: string;
  repo: string;
}

/**
 * `fresh`: an event that analyses a commit once (a redelivery, or the check suite and pull
 * request events of one push, must not analyse it twice). `rerun`: someone asked again.
 */
export type AnalysisMode = 'fresh' | 'rerun';

/** Which try of its job a run is: all but the last leave a failure GitHub may cure to the next. */
export interface Attempt {
  number: number;
  last: boolean;
}

export interface Logger {
  info(message: string | object, ...rest: unknown[]): void;
  warn(message: string | object, ...rest: unknown[]): void;
  error(message: string | object, ...rest: unknown[]): void;
}

export const CHECK_NAME = 'meshready';

/** The check run that reports what "Apply fixes" did. */
export const APPLY_FIXES_CHECK_NAME = 'meshready / apply fixes';

/** The button the check run offers when a finding has a safe fix; its identifier comes back in `check_run.requested_action`. */
export const APPLY_FIXES_ACTION = {
  label: 'Apply fixes',
  description: 'Commit every safe fix to the branch',
  identifier: 'apply-fixes',
} as const;
