import { findingTexts } from '../../core/charts.js';
import { applySafeFixes } from '../../core/fix.js';
import { APPLY_FIXES_CHECK_NAME } from '../types.js';
import type { PullRequestTarget } from '../types.js';
import { branchMovedReport, commitFixes, commitMessage, committedReport, forkRefusesReport, NOTHING_TO_COMMIT, notCommittedReport } from '../writes/apply-fixes.js';
import { inCheckRun } from '../writes/check-run.js';
import { analyzeOffThread } from './analysis-thread.js';
import type { WorkerContext } from './pipeline.js';
import { changeInputOf, readPullRequest } from './read.js';

/**
 * The "Apply fixes" action: commits every safe fix of what the analysed commit's run reported in one
 * commit on the pull request's branch, if that commit is still its head and the app may
 * push there. The push brings a `synchronize` event and so a fresh analysis. The pipeline's
 * read and analyse stages, then a commit instead of a review.
 */
export async function applyFixes(context: WorkerContext, target: PullRequestTarget, analysedSha: string): Promise<void> {
  const { octokit, log } = context;
  await inCheckRun(
    octokit,
    { ...target, headSha: analysedSha },
    { name: APPLY_FIXES_CHECK_NAME, title: 'Applying fixes' },
    async () => {
      if (target.headSha !== analysedSha) return branchMovedReport(target, analysedSha);
      if (`${target.headOwner}/${target.headRepo}` !== `${target.owner}/${target.repo}` && !target.maintainerCanModify) return forkRefusesReport(target);
      const reading = await readPullRequest(octokit, target, context.reading);
      if (reading.kind === 'invalid-config') throw new Error(`the config file has problems: ${reading.errors.join('; ')}`);
      const analysis = await analyzeOffThread(changeInputOf(reading), reading.config);
      // What the run reported, wherever it is: the fix of a workload the change breaks in another file too.
      const fixed = applySafeFixes(analysis.reported, findingTexts(analysis.reported, reading.head.files, reading.head.charts));
      if (fixed.applied.length === 0) return NOTHING_TO_COMMIT;
      const sha = await commitFixes(octokit, target, fixed.files, commitMessage(fixed.applied));
      return committedReport(target, sha, fixed.applied, fixed.dropped);
    },
    (error) => {
      log.error({ err: error }, 'apply fixes failed');
      return notCommittedReport(error);
    },
    log,
  );
}
