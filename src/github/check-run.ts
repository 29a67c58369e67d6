import { ANNOTATIONS_PER_REQUEST, textOutput } from './check-output.js';
import { describeError } from './errors.js';
import type { CheckOutput, Conclusion } from './check-output.js';
import { CHECK_NAME } from './types.js';
import type { Octokit, PullRequestTarget } from './types.js';

export interface CheckAction {
  label: string;
  description: string;
  identifier: string;
}

/**
 * The meshready check run of the head commit that matters now: one still in progress (an
 * orphan to take over), else the newest. Undefined when the commit has none.
 */
export async function latestCheckRun(octokit: Octokit, target: PullRequestTarget): Promise<{ id: number; status: string } | undefined> {
  const { data } = await octokit.rest.checks.listForRef({
    owner: target.owner,
    repo: target.repo,
    ref: target.headSha,
    check_name: CHECK_NAME,
    filter: 'all',
    per_page: 100,
  });
  const runs = [...data.check_runs].sort((a, b) => b.id - a.id);
  const run = runs.find((candidate) => candidate.status !== 'completed') ?? runs[0];
  return run ? { id: run.id, status: run.status } : undefined;
}

/**
 * After a failed "create check run" request (a timeout, a dropped connection), GitHub may
 * still have made the run: find it and complete it, so that no run stays in progress.
 */
export async function completeOrphanedRuns(octokit: Octokit, target: PullRequestTarget, name: string, reason: string): Promise<void> {
  const { data } = await octokit.rest.checks.listForRef({ owner: target.owner, repo: target.repo, ref: target.headSha, check_name: name, filter: 'latest' });
  for (const run of data.check_runs.filter((candidate) => candidate.status !== 'completed')) {
    await completeCheckRun(
      octokit,
      target,
      run.id,
      'neutral',
      textOutput('meshready could not finish', `GitHub did not confirm this check run (${reason}). Re-run the check to analyse the commit again.`),
    );
  }
}

export async function startCheckRun(octokit: Octokit, target: PullRequestTarget, title: string, name = CHECK_NAME): Promise<number> {
  try {
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
  } catch (error) {
    await completeOrphanedRuns(octokit, target, name, describeError(error)).catch(() => undefined);
    throw error;
  }
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
  // The long text goes once, with the last request: GitHub keeps it, and re-sending 64 kB
  // with every 50 annotations only costs.
  const heading = { title: text.title, summary: text.summary };
  for (const batch of batches) {
    await octokit.rest.checks.update({ owner: target.owner, repo: target.repo, check_run_id: checkRunId, output: { ...heading, annotations: batch } });
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
