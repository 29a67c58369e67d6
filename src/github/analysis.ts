import { analyze, failsGate } from '../core/analyze.js';
import { CONFIG_PATH } from '../core/config.js';
import { annotationOf, renderFindingList, renderSummary, textOutput, titleOf } from './check-output.js';
import type { CheckOutput, Conclusion } from './check-output.js';
import { completeCheckRun, hasCheckRun, startCheckRun } from './check-run.js';
import type { CheckAction } from './check-run.js';
import { APPLY_FIXES_ACTION, applyFixesEnabled } from './apply-fixes.js';
import { settleGoneThreads } from './threads.js';
import { fetchChangedFiles } from './changed-files.js';
import { describeError } from './errors.js';
import { analysisDuration, errors } from './metrics.js';
import { existingFingerprints, placeFindings, postReview } from './review.js';
import { loadConfig } from './deps.js';
import type { AnalysisDeps } from './deps.js';
import type { PullRequestTarget } from './types.js';

/**
 * `fresh`: an event that analyses a commit once (a redelivery, or the check suite and pull
 * request events of one push, must not analyse it twice). `rerun`: someone asked again.
 */
export type AnalysisMode = 'fresh' | 'rerun';

/** Analyses in flight, by pull request and head commit: concurrent events for one commit share one run. */
const inFlight = new Map<string, Promise<void>>();

export function analyzePullRequest(deps: AnalysisDeps, target: PullRequestTarget, mode: AnalysisMode): Promise<void> {
  const key = `${target.owner}/${target.repo}#${target.number}@${target.headSha}`;
  const running = inFlight.get(key);
  if (running) return running;
  const started = runAnalysis(deps, target, mode).finally(() => inFlight.delete(key));
  inFlight.set(key, started);
  return started;
}

async function runAnalysis(deps: AnalysisDeps, target: PullRequestTarget, mode: AnalysisMode): Promise<void> {
  const { octokit, log } = deps;
  if (mode === 'fresh' && (await hasCheckRun(octokit, target))) {
    log.info(`${target.owner}/${target.repo}#${target.number}: ${target.headSha} already has a meshready check run`);
    return;
  }
  const checkRunId = await startCheckRun(octokit, target, 'Checking mesh readiness');
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
      const report = analyze(fetched.sources, config);
      const skipped = [...fetched.skipped, ...report.skipped];
      const placed = placeFindings(report.findings, fetched.sources, fetched.changed, { suggestions: config.review.suggestions });
      const existing = await existingFingerprints(octokit, target);
      const review = await postReview(octokit, target, placed, config, existing);
      const current = new Set(report.findings.map((finding) => finding.fingerprint));
      const gone = [...existing].some((fingerprint) => !current.has(fingerprint));
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
    log.error({ err: error }, 'meshready analysis failed');
    errors.inc({ stage: 'analysis' });
    conclusion = 'neutral';
    output = textOutput('meshready could not finish', `The analysis stopped: ${describeError(error)}.\n\nRe-run the check to try again.`);
  }
  await completeCheckRun(octokit, target, checkRunId, conclusion, output, actions).catch(async (error: unknown) => {
    // Annotations are the likeliest part to be refused: never leave the run in progress for them.
    log.error({ err: error }, 'completing the check run failed; retrying without annotations');
    errors.inc({ stage: 'check-run' });
    await completeCheckRun(octokit, target, checkRunId, 'neutral', textOutput(output.title, `${output.summary}\n\n> Annotations could not be saved: ${describeError(error)}`));
  });
  stopTimer({ conclusion });
}
