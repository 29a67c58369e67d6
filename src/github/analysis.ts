import { failsGate } from '../core/analyze.js';
import { analyzeOffThread } from './analysis-thread.js';
import { CONFIG_PATH } from '../core/config.js';
import { annotationOf, renderFindingList, renderSummary, textOutput, titleOf } from './check-output.js';
import type { CheckOutput, Conclusion } from './check-output.js';
import { completeCheckRun, latestCheckRun, startCheckRun } from './check-run.js';
import type { CheckAction } from './check-run.js';
import { APPLY_FIXES_ACTION, applyFixesEnabled } from './apply-fixes.js';
import { settleGoneThreads } from './threads.js';
import { fetchChangedFiles } from './changed-files.js';
import { describeError, statusOf } from './errors.js';
import { analysisDuration, errors } from './metrics.js';
import { existingFingerprints, placeFindings, postReview } from './review.js';
import { loadConfig } from './deps.js';
import type { AnalysisDeps } from './deps.js';
import type { Octokit, PullRequestTarget } from './types.js';

/**
 * `fresh`: an event that analyses a commit once (a redelivery, or the check suite and pull
 * request events of one push, must not analyse it twice). `rerun`: someone asked again.
 */
export type AnalysisMode = 'fresh' | 'rerun';

/** Which try of its job an analysis is: all but the last leave a failure GitHub may cure to the next. */
export interface Attempt {
  number: number;
  last: boolean;
}

const ONLY_ATTEMPT: Attempt = { number: 1, last: true };

/**
 * Whether a failure may pass if tried again later: GitHub's 5xx, rate limits, a dropped
 * connection or a time-out. A 4xx other than those will answer the same again.
 */
function isTransient(error: unknown): boolean {
  const status = statusOf(error);
  if (status === undefined) return true;
  if (status >= 500 || status === 429) return true;
  return status === 403 && /rate limit/i.test((error as Error).message ?? '');
}

/**
 * Analyses one pull request head into its check run. The caller holds the head's lock
 * (see queue.ts), so a run of this commit still in progress is an orphan (its worker
 * died, or its process restarted): it is taken over and completed, never doubled.
 */
export async function analyzePullRequest(deps: AnalysisDeps, target: PullRequestTarget, mode: AnalysisMode, attempt: Attempt = ONLY_ATTEMPT): Promise<void> {
  const { octokit, log } = deps;
  const existing = await latestCheckRun(octokit, target);
  if (mode === 'fresh' && existing?.status === 'completed') {
    log.info(`${target.owner}/${target.repo}#${target.number}: ${target.headSha} already has a meshready check run`);
    return;
  }
  const takeover = existing !== undefined && existing.status !== 'completed';
  if (takeover) log.info(`${target.owner}/${target.repo}#${target.number}: taking over check run ${existing.id}, left in progress`);
  const checkRunId = takeover ? existing.id : await startCheckRun(octokit, target, 'Checking mesh readiness');
  const stopTimer = analysisDuration.startTimer();
  let conclusion: Conclusion = 'neutral';
  let output: CheckOutput;
  const actions: CheckAction[] = [];
  try {
    const loaded = await loadConfig(deps);
    if (!loaded.ok) {
      output = textOutput(
        `Invalid ${CONFIG_PATH}`,
        `meshready did not run: the config file has problems.\n\n${loaded.errors.map((error) => `- ${error}`).join('\n')}`,
      );
    } else {
      const { config } = loaded;
      const fetched = await fetchChangedFiles(octokit, target, config);
      const report = await analyzeOffThread(fetched.sources, config);
      const skipped = [...fetched.skipped, ...report.skipped];
      const placed = placeFindings(report.findings, fetched.sources, fetched.changed, { suggestions: config.review.suggestions });
      const posted = await existingFingerprints(octokit, target);
      // A review GitHub refuses for now (5xx, rate limit) is posted by the next try, not dropped.
      const review = await postReview(octokit, target, placed, config, posted, (error) => !attempt.last && isTransient(error));
      const current = new Set(report.findings.map((finding) => finding.fingerprint));
      const gone = [...posted].some((fingerprint) => !current.has(fingerprint));
      const threads = gone ? await settleGoneThreads(octokit, target, current) : { notes: [] };
      if (report.findings.some((finding) => finding.fix?.safe) && applyFixesEnabled()) actions.push(APPLY_FIXES_ACTION);
      conclusion = failsGate({ findings: report.findings, skipped }, config) ? 'failure' : 'success';
      const findingList = renderFindingList(report.findings);
      output = {
        title: titleOf(report.findings, skipped),
        summary: renderSummary({
          findings: report.findings,
          skipped,
          files: report.stats.files + fetched.skipped.length,
          resources: report.stats.resources,
          headSha: target.headSha,
          commented: review.commented,
          annotationOnly: report.findings.length - review.commented,
          notes: [...fetched.notes, ...review.notes, ...threads.notes],
        }),
        ...(findingList ? { text: findingList } : {}),
        annotations: report.findings.map(annotationOf),
      };
    }
  } catch (error) {
    errors.inc({ stage: 'analysis' });
    // The run stays in progress for the next try, which takes it over.
    if (!attempt.last && isTransient(error)) throw error;
    log.error({ err: error }, 'meshready analysis failed');
    // A gate that could not look must not pass: "could not finish" fails the check (README).
    conclusion = 'failure';
    output = textOutput(
      'meshready could not finish',
      `The analysis stopped${attempt.number > 1 ? ` after ${attempt.number} tries` : ''}: ${describeError(error)}.\n\nRe-run the check to try again.`,
    );
  }
  await completeCheckRun(octokit, target, checkRunId, conclusion, output, actions).catch(async (error: unknown) => {
    // Annotations are the likeliest part to be refused: never leave the run in progress for them,
    // and keep the conclusion the findings call for.
    log.error({ err: error }, 'completing the check run failed; retrying without annotations');
    errors.inc({ stage: 'check-run' });
    await completeCheckRun(octokit, target, checkRunId, conclusion, textOutput(output.title, `${output.summary}\n\n> Annotations could not be saved: ${describeError(error)}`));
  });
  stopTimer({ conclusion });
}

/** Completes the run of a head that a newer push replaced before its analysis was done. */
export async function standDownForNewerHead(octokit: Octokit, target: PullRequestTarget, newerSha: string): Promise<void> {
  const existing = await latestCheckRun(octokit, target);
  if (!existing || existing.status === 'completed') return;
  await completeCheckRun(
    octokit,
    target,
    existing.id,
    'neutral',
    textOutput('Superseded by a newer commit', `The pull request's head moved on to \`${newerSha.slice(0, 7)}\` before this commit's analysis finished; that commit has its own run.`),
  );
}
