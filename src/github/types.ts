import type { ProbotOctokit } from 'probot';

export type Octokit = InstanceType<typeof ProbotOctokit>;

/** The pull request an analysis is about, as read from whichever event started it. */
export interface PullRequestTarget {
  owner: string;
  repo: string;
  number: number;
  headSha: string;
  headRef: string;
  /** Where the head commit lives: a fork for pull requests from forks. */
  headOwner: string;
  headRepo: string;
  maintainerCanModify: boolean;
  /** How many files GitHub says the pull request changes. */
  changedFiles: number;
}

export interface Logger {
  info(message: string | object, ...rest: unknown[]): void;
  warn(message: string | object, ...rest: unknown[]): void;
  error(message: string | object, ...rest: unknown[]): void;
}

export const CHECK_NAME = 'meshready';
