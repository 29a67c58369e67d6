import { describeFailure } from '../failures.js';
import { errors } from '../metrics.js';
import { CHECK_NAME } from '../types.js';
import type { Logger, Octokit, PullRequestTarget } from '../types.js';
import { ANNOTATIONS_PER_REQUEST, textOutput } from './check-output.js';
import type { CheckOutput, Conclusion } from './check-output.js';

export interface CheckAction {
  label: string;
  description: string;
  identifier: string;
}

/** What a check run says when it completes. */
export interface CheckReport {
  conclusion: Conclusion;
  output: CheckOutput;
  actions?: CheckAction[];
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
async function completeOrphanedRuns(octokit: Octokit, target: PullRequestTarget, name: string, reason: string): Promise<void> {
  const { data } = await octokit.rest.checks.listForRef({ owner: target.owner, repo: target.repo, ref: target.headSha, check_name: name, filter: 'latest' });
  for (const run of data.check_runs.filter((candidate) => candidate.status !== 'completed')) {
    await completeCheckRun(octokit, target, run.id, {
      conclusion: 'neutral',
      output: textOutput('meshready could not finish', `GitHub did not confirm this check run (${reason}). Re-run the check to analyse the commit again.`),
    });
  }
}

async function startCheckRun(octokit: Octokit, target: PullRequestTarget, name: string, title: string): Promise<number> {
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
    await completeOrphanedRuns(octokit, target, name, describeFailure(error)).catch(() => undefined);
    throw error;
  }
}

/**
 * Completes a check run, sending annotations 50 a request as GitHub requires; the last
 * request also sets the conclusion, so the run is never completed with annotations missing.
 */
async function completeCheckRun(octokit: Octokit, target: PullRequestTarget, checkRunId: number, report: CheckReport): Promise<void> {
  const { annotations, ...text } = report.output;
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
    conclusion: report.conclusion,
    completed_at: new Date().toISOString(),
    output: { ...text, ...(last.length > 0 ? { annotations: last } : {}) },
    ...(report.actions && report.actions.length > 0 ? { actions: report.actions } : {}),
  });
}

/** A new run to create (named, with the title it shows while in progress), or one of this commit to take over. */
export type CheckRunStart = { name: string; title: string } | { takeOver: number };

/**
 * The life of one check run, for the analysis and for "Apply fixes" alike: created in
 * progress (or an orphan taken over), then completed with what `work` reports — or, when
 * `work` throws, with what `failed` makes of the error. `failed` may throw in turn, to leave
 * the run in progress for the job's next try, which takes it over. A run is never left in
 * progress for its annotations: GitHub refusing them, the run completes without them, the
 * conclusion kept.
 */
export async function inCheckRun(
  octokit: Octokit,
  target: PullRequestTarget,
  start: CheckRunStart,
  work: () => Promise<CheckReport>,
  failed: (error: unknown) => CheckReport,
  log: Logger,
): Promise<CheckReport> {
  const checkRunId = 'takeOver' in start ? start.takeOver : await startCheckRun(octokit, target, start.name, start.title);
  let report: CheckReport;
  try {
    report = await work();
  } catch (error) {
    report = failed(error);
  }
  await completeCheckRun(octokit, target, checkRunId, report).catch(async (error: unknown) => {
    log.error({ err: error }, 'completing the check run failed; retrying without annotations');
    errors.inc({ stage: 'check-run' });
    const { title, summary } = report.output;
    await completeCheckRun(octokit, target, checkRunId, {
      conclusion: report.conclusion,
      output: textOutput(title, `${summary}\n\n> Annotations could not be saved: ${describeFailure(error)}`),
    });
  });
  return report;
}

/** Completes the run of a head that a newer push replaced before its analysis was done. */
export async function standDownForNewerHead(octokit: Octokit, target: PullRequestTarget, newerSha: string): Promise<void> {
  const existing = await latestCheckRun(octokit, target);
  if (!existing || existing.status === 'completed') return;
  await completeCheckRun(octokit, target, existing.id, {
    conclusion: 'neutral',
    output: textOutput(
      'Superseded by a newer commit',
      `The pull request's head moved on to \`${newerSha.slice(0, 7)}\` before this commit's analysis finished; that commit has its own run.`,
    ),
  });
}
