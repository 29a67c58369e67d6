import { findingTexts } from '../../core/charts.js';
import { placeFindings } from '../../diff/placement.js';
import { describeFailure, isTransient } from '../failures.js';
import { analysisDuration, errors } from '../metrics.js';
import { CHECK_NAME } from '../types.js';
import type { AnalysisMode, Attempt, Logger, Octokit, PullRequestTarget } from '../types.js';
import { textOutput } from '../writes/check-output.js';
import { inCheckRun, latestCheckRun } from '../writes/check-run.js';
import type { CheckReport } from '../writes/check-run.js';
import { analyzeOffThread } from './analysis-thread.js';
import { changeInputOf, readPullRequest } from './read.js';
import type { ReadSettings } from './read.js';
import { invalidConfigReport, reportFindings } from './report.js';

export interface WorkerContext {
  octokit: Octokit;
  log: Logger;
  /** Whether the check run may offer "Apply fixes" (MESHREADY_APPLY_FIXES). */
  applyFixes: boolean;
  /** The blob cache and the reading budget. */
  reading: ReadSettings;
}

const ONLY_ATTEMPT: Attempt = { number: 1, last: true };

/**
 * What a failed analysis leaves: nothing yet when GitHub may cure it and tries remain (the
 * run stays in progress; the next try takes it over), else a run that fails, saying why —
 * a gate that could not look must not pass.
 */
function failedAnalysis(log: Logger, attempt: Attempt): (error: unknown) => CheckReport {
  return (error) => {
    errors.inc({ stage: 'analysis' });
    if (!attempt.last && isTransient(error)) throw error;
    log.error({ err: error }, 'meshready analysis failed');
    return {
      conclusion: 'failure',
      output: textOutput(
        'meshready could not finish',
        `The analysis stopped${attempt.number > 1 ? ` after ${attempt.number} tries` : ''}: ${describeFailure(error)}.\n\nRe-run the check to try again.`,
      ),
    };
  };
}

/**
 * The pipeline for one pull request head, into its check run: read (config, changed files,
 * the head's and the base's trees and blobs) → analyse both and compare (off the event loop)
 * → place what is reported against the diff → report (review, threads, the run's output). The caller holds the head's lock, so a run of this commit
 * still in progress is an orphan (its worker died, or its process restarted): it is taken
 * over and completed, never doubled.
 */
export async function analyseHead(context: WorkerContext, target: PullRequestTarget, mode: AnalysisMode, attempt: Attempt = ONLY_ATTEMPT): Promise<void> {
  const { octokit, log } = context;
  const existing = await latestCheckRun(octokit, target);
  if (mode === 'fresh' && existing?.status === 'completed') {
    log.info(`${target.owner}/${target.repo}#${target.number}: ${target.headSha} already has a meshready check run`);
    return;
  }
  const takeover = existing !== undefined && existing.status !== 'completed';
  if (takeover) log.info(`${target.owner}/${target.repo}#${target.number}: taking over check run ${existing.id}, left in progress`);
  const stopTimer = analysisDuration.startTimer();
  const report = await inCheckRun(
    octokit,
    target,
    takeover ? { takeOver: existing.id } : { name: CHECK_NAME, title: 'Checking mesh readiness' },
    async () => {
      const reading = await readPullRequest(octokit, target, context.reading);
      if (reading.kind === 'invalid-config') return invalidConfigReport(reading.errors);
      const { counts } = reading;
      log.info(
        `${target.owner}/${target.repo}#${target.number}: read ${reading.head.files.length} files at ${target.headSha.slice(0, 7)}${reading.base ? ` and ${reading.base.files.length} at ${reading.base.sha.slice(0, 7)}` : ''}: ` +
          `${counts.compare + counts.trees + counts.requests} requests (${counts.trees} trees, ${counts.requests} blob reads), ${counts.bytes} bytes, ${counts.fromMemory + counts.fromRedis} blobs from the cache, ${counts.fromGitHub} from GitHub`,
      );
      const analysis = await analyzeOffThread(changeInputOf(reading), reading.config);
      const texts = findingTexts(analysis.reported, reading.head.files, reading.head.charts);
      const placed = placeFindings(analysis.reported, reading.diff, texts, { suggestions: reading.config.review.suggestions });
      return reportFindings({ octokit, target, attempt, applyFixes: context.applyFixes }, reading, analysis, placed);
    },
    failedAnalysis(log, attempt),
    log,
  );
  stopTimer({ conclusion: report.conclusion });
}
