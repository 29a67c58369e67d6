import { failsGate } from '../../core/analyze.js';
import type { ChangeAnalysis } from '../../core/change.js';
import { CONFIG_PATH } from '../../core/config.js';
import { NOT_IN_PULL_REQUEST, OUTSIDE_DIFF } from '../../diff/placement.js';
import type { PlacedFinding } from '../../diff/placement.js';
import { isTransient } from '../failures.js';
import { APPLY_FIXES_ACTION } from '../types.js';
import type { Attempt, Octokit, PullRequestTarget } from '../types.js';
import { annotationOf, renderFindingList, renderSummary, textOutput, titleOf } from '../writes/check-output.js';
import type { CheckReport } from '../writes/check-run.js';
import { postReview, existingFingerprints } from '../writes/review.js';
import { commentKeysOf } from '../writes/review-comments.js';
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
 * The report stage: the review of the reported findings on the changed lines (comments not
 * yet on the pull request), the threads of findings now gone, and what the check run says —
 * its conclusion by the config's gate over the reported findings, a summary (with what the
 * change breaks elsewhere, and what was there before it), every reported finding as an
 * annotation on its own file and line.
 */
export async function reportFindings(context: ReportContext, reading: Extract<Reading, { kind: 'read' }>, analysis: ChangeAnalysis, placed: PlacedFinding[]): Promise<CheckReport> {
  const { octokit, target, attempt } = context;
  const { config } = reading;
  const skipped = analysis.reportedSkipped;
  const posted = await existingFingerprints(octokit, target);
  // A review GitHub refuses for now (5xx, rate limit) is posted by the next try, not dropped.
  const review = await postReview(octokit, target, placed, config, posted, (error) => !attempt.last && isTransient(error));
  // A thread stays open while its finding is at the head, reported or not.
  const current = new Set(analysis.head.findings.flatMap(commentKeysOf));
  const gone = [...posted].some((key) => !current.has(key));
  const threads = gone ? await settleGoneThreads(octokit, target, current) : { notes: [] };
  const introduced = new Set(analysis.introduced);
  const elsewhere = placed
    .filter(({ finding, placement }) => introduced.has(finding) && placement.kind === 'annotation' && (placement.reason === NOT_IN_PULL_REQUEST || placement.reason === OUTSIDE_DIFF))
    .map(({ finding }) => finding);
  const findingList = renderFindingList(analysis.reported);
  return {
    conclusion: failsGate({ findings: analysis.reported, skipped }, config) ? 'failure' : 'success',
    output: {
      title: titleOf(analysis.reported, skipped),
      summary: renderSummary({
        findings: analysis.reported,
        skipped,
        files: analysis.head.stats.files,
        resources: analysis.head.stats.resources,
        headSha: target.headSha,
        commented: review.commented,
        annotationOnly: analysis.reported.length - review.commented,
        notes: [...reading.notes, ...review.notes, ...threads.notes],
        ...(reading.base
          ? { change: { baseSha: reading.base.sha, filterMode: config.filterMode, elsewhere, existing: analysis.existing, gone: analysis.gone, existingSkipped: analysis.existingSkipped } }
          : {}),
      }),
      ...(findingList ? { text: findingList } : {}),
      annotations: analysis.reported.map(annotationOf),
    },
    actions: analysis.reported.some((finding) => finding.fix?.safe) && context.applyFixes ? [APPLY_FIXES_ACTION] : [],
  };
}
