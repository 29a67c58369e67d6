import { ANNOTATIONS_PER_REQUEST } from './check-output.js';
import type { CheckOutput, Conclusion } from './check-output.js';
import { CHECK_NAME } from './types.js';
import type { Octokit, PullRequestTarget } from './types.js';

export interface CheckAction {
  label: string;
  description: string;
  identifier: string;
}

/** Whether a meshready check run already exists for the head commit (a redelivered or doubled event). */
export async function hasCheckRun(octokit: Octokit, target: PullRequestTarget): Promise<boolean> {
  const { data } = await octokit.rest.checks.listForRef({
    owner: target.owner,
    repo: target.repo,
    ref: target.headSha,
    check_name: CHECK_NAME,
    filter: 'latest',
    per_page: 1,
  });
  return data.total_count > 0;
}

export async function startCheckRun(octokit: Octokit, target: PullRequestTarget, title: string, name = CHECK_NAME): Promise<number> {
  const { data } = await octokit.rest.checks.create({
    owner: target.owner,
    repo: target.repo,
    name,
    head_sha: target.headSha,
    status: 'in_progress',
    started_at: new Date().toISOString(),
    output: { title, summary: 'meshready is at work on this commit.' },
  });
  return data.id;
}

/**
 * Completes a check run, sending annotations 50 a request as GitHub requires; the last
 * request also sets the conclusion, so the run is never completed with annotations missing.
 */
export async function completeCheckRun(
  octokit: Octokit,
  target: PullRequestTarget,
  checkRunId: number,
  conclusion: Conclusion,
  output: CheckOutput,
  actions: CheckAction[] = [],
): Promise<void> {
  const { annotations, ...text } = output;
  const batches: (typeof annotations)[] = [];
  for (let start = 0; start < annotations.length; start += ANNOTATIONS_PER_REQUEST) {
    batches.push(annotations.slice(start, start + ANNOTATIONS_PER_REQUEST));
  }
  const last = batches.pop() ?? [];
  for (const batch of batches) {
    await octokit.rest.checks.update({ owner: target.owner, repo: target.repo, check_run_id: checkRunId, output: { ...text, annotations: batch } });
  }
  await octokit.rest.checks.update({
    owner: target.owner,
    repo: target.repo,
    check_run_id: checkRunId,
    status: 'completed',
    conclusion,
    completed_at: new Date().toISOString(),
    output: { ...text, ...(last.length > 0 ? { annotations: last } : {}) },
    ...(actions.length > 0 ? { actions } : {}),
  });
}
