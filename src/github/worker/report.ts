import { failsGate } from '../../core/analyze.js';
import { CONFIG_PATH } from '../../core/config.js';
import type { AnalysisReport } from '../../core/types.js';
import type { PlacedFinding } from '../../diff/placement.js';
import { isTransient } from '../failures.js';
import { APPLY_FIXES_ACTION } from '../types.js';
import type { Attempt, Octokit, PullRequestTarget } from '../types.js';
import { annotationOf, renderFindingList, renderSummary, textOutput, titleOf } from '../writes/check-output.js';
import type { CheckReport } from '../writes/check-run.js';
import { existingFingerprints, postReview } from '../writes/review.js';
import { settleGoneThreads } from '../writes/threads.js';
import type { Reading } from './read.js';

export interface ReportContext {
  octokit: Octokit;
  target: PullRequestTarget;
  attempt: Attempt;
  /** Whether the check run may offer "Apply fixes" (the app may push). */
  applyFixes: boolean;
}

export function invalidConfigReport(errors: string[]): CheckReport {
  return {
    conclusion: 'neutral',
    output: textOutput(`Invalid ${CONFIG_PATH}`, `meshready did not run: the config file has problems.\n\n${errors.map((error) => `- ${error}`).join('\n')}`),
  };
}

/**
 * The report stage: the review of the placed findings (comments not yet on the pull request),
 * the threads of findings now gone, and what the check run says — its conclusion by the
 * config's gate, a summary, every finding as an annotation.
 */
export async function reportFindings(
  context: ReportContext,
  reading: Extract<Reading, { kind: 'read' }>,
  analysis: AnalysisReport,
  placed: PlacedFinding[],
): Promise<CheckReport> {
  const { octokit, target, attempt } = context;
  const { config } = reading;
  const skipped = [...reading.skipped, ...analysis.skipped];
  const posted = await existingFingerprints(octokit, target);
  // A review GitHub refuses for now (5xx, rate limit) is posted by the next try, not dropped.
  const review = await postReview(octokit, target, placed, config, posted, (error) => !attempt.last && isTransient(error));
  const current = new Set(analysis.findings.map((finding) => finding.fingerprint));
  const gone = [...posted].some((fingerprint) => !current.has(fingerprint));
  const threads = gone ? await settleGoneThreads(octokit, target, current) : { notes: [] };
  const findingList = renderFindingList(analysis.findings);
  return {
    conclusion: failsGate({ findings: analysis.findings, skipped }, config) ? 'failure' : 'success',
    output: {
      title: titleOf(analysis.findings, skipped),
      summary: renderSummary({
        findings: analysis.findings,
        skipped,
        files: analysis.stats.files + reading.skipped.length,
        resources: analysis.stats.resources,
        headSha: target.headSha,
        commented: review.commented,
        annotationOnly: analysis.findings.length - review.commented,
        notes: [...reading.notes, ...review.notes, ...threads.notes],
      }),
      ...(findingList ? { text: findingList } : {}),
      annotations: analysis.findings.map(annotationOf),
    },
    actions: analysis.findings.some((finding) => finding.fix?.safe) && context.applyFixes ? [APPLY_FIXES_ACTION] : [],
  };
}
