import { analyzeOffThread } from './analysis-thread.js';
import { applySafeFixes } from '../core/fix.js';
import type { Finding } from '../core/types.js';
import { loadConfig } from './deps.js';
import type { AnalysisDeps } from './deps.js';
import { fetchChangedFiles } from './changed-files.js';
import { completeCheckRun, startCheckRun } from './check-run.js';
import type { CheckAction } from './check-run.js';
import type { CheckOutput, Conclusion } from './check-output.js';
import { textOutput } from './check-output.js';
import { describeError, statusOf } from './errors.js';
import { codeSpan, escapeMarkdown } from './markdown.js';
import type { Octokit, PullRequestTarget } from './types.js';

export const APPLY_FIXES_ACTION: CheckAction = {
  label: 'Apply fixes',
  description: 'Commit every safe fix to the branch',
  identifier: 'apply-fixes',
};

/** The check run that reports what "Apply fixes" did. */
export const APPLY_FIXES_CHECK_NAME = 'meshready / apply fixes';

/**
 * Off when the app is installed without `contents: write` (MESHREADY_APPLY_FIXES=off):
 * the button is then not offered, and suggestions in the review remain.
 */
export function applyFixesEnabled(): boolean {
  return process.env.MESHREADY_APPLY_FIXES !== 'off';
}

const REVIEW_INSTEAD = 'The suggestions in the review can be committed from the pull request page instead.';

/** One fix as a line: plain for the commit message, Markdown (names escaped) for the check run. */
function fixLine(finding: Finding, markdown = false): string {
  const where = `${finding.file}:${finding.span.startLine}`;
  return markdown
    ? `- ${codeSpan(where)} \`${finding.ruleId}\`: ${escapeMarkdown(finding.fix!.description)}`
    : `- ${where} ${finding.ruleId}: ${finding.fix!.description}`;
}

export function commitMessage(applied: Finding[]): string {
  const lines = applied.map((finding) => fixLine(finding));
  return `meshready: apply ${applied.length} mesh readiness fix${applied.length === 1 ? '' : 'es'}\n\n${lines.join('\n')}\n`;
}

async function commitFixes(octokit: Octokit, target: PullRequestTarget, files: Map<string, string>, message: string): Promise<string> {
  const repo = { owner: target.headOwner, repo: target.headRepo };
  const { data: head } = await octokit.rest.git.getCommit({ ...repo, commit_sha: target.headSha });
  const tree = [];
  for (const [path, text] of files) {
    const { data: blob } = await octokit.rest.git.createBlob({ ...repo, content: Buffer.from(text, 'utf8').toString('base64'), encoding: 'base64' });
    tree.push({ path, mode: '100644' as const, type: 'blob' as const, sha: blob.sha });
  }
  const { data: newTree } = await octokit.rest.git.createTree({ ...repo, base_tree: head.tree.sha, tree });
  const { data: commit } = await octokit.rest.git.createCommit({ ...repo, message, tree: newTree.sha, parents: [target.headSha] });
  // Not forced: if the branch moved since it was read, GitHub refuses and nothing is lost.
  await octokit.rest.git.updateRef({ ...repo, ref: `heads/${target.headRef}`, sha: commit.sha, force: false });
  return commit.sha;
}

/**
 * The "Apply fixes" action: commits every safe fix found at the analysed commit in one
 * commit on the pull request's branch, if that commit is still its head and the app may
 * push there. The push brings a `synchronize` event and so a fresh analysis.
 */
export async function applyFixes(deps: AnalysisDeps, target: PullRequestTarget, analysedSha: string): Promise<void> {
  const { octokit, log } = deps;
  const reportOn = { ...target, headSha: analysedSha };
  const checkRunId = await startCheckRun(octokit, reportOn, 'Applying fixes', APPLY_FIXES_CHECK_NAME);
  let conclusion: Conclusion = 'neutral';
  let output: CheckOutput;
  try {
    if (target.headSha !== analysedSha) {
      output = textOutput(
        'Nothing committed: the branch has moved on',
        `The fixes were found at \`${analysedSha.slice(0, 7)}\`, but the pull request's head is now \`${target.headSha.slice(0, 7)}\`. Nothing was committed; the new head gets its own analysis and its own "Apply fixes".`,
      );
    } else if (`${target.headOwner}/${target.headRepo}` !== `${target.owner}/${target.repo}` && !target.maintainerCanModify) {
      output = textOutput(
        'Nothing committed: the fork does not allow edits',
        `This pull request comes from the fork \`${target.headOwner}/${target.headRepo}\`, which does not allow edits from maintainers, so meshready cannot push to it. ${REVIEW_INSTEAD}`,
      );
    } else {
      const loaded = await loadConfig(deps);
      if (!loaded.ok) throw new Error(`the config file has problems: ${loaded.errors.join('; ')}`);
      const fetched = await fetchChangedFiles(octokit, target, loaded.config);
      const report = await analyzeOffThread(fetched.sources, loaded.config);
      const fixed = applySafeFixes(report.findings, new Map(fetched.sources.map((source) => [source.path, source.text])));
      if (fixed.applied.length === 0) {
        output = textOutput('Nothing to commit', 'No finding at this commit has a safe fix.');
      } else {
        const sha = await commitFixes(octokit, target, fixed.files, commitMessage(fixed.applied));
        conclusion = 'success';
        const dropped = fixed.dropped.map((finding) => fixLine(finding, true));
        output = textOutput(
          `Committed ${fixed.applied.length} fix${fixed.applied.length === 1 ? '' : 'es'}`,
          [
            `Commit \`${sha.slice(0, 7)}\` on \`${target.headRef}\`:`,
            '',
            ...fixed.applied.map((finding) => fixLine(finding, true)),
            ...(dropped.length > 0 ? ['', 'Left for a later run, because an earlier fix edits the same lines:', '', ...dropped] : []),
          ].join('\n'),
        );
      }
    }
  } catch (error) {
    log.error({ err: error }, 'apply fixes failed');
    const status = statusOf(error);
    const why =
      status === 422
        ? 'the branch changed while the commit was being made, so GitHub refused to move it'
        : status === 403 || status === 404
          ? 'GitHub refused the push (the app needs contents: write, and a fork must allow edits from maintainers)'
          : 'the fixes could not be committed';
    output = textOutput('Nothing committed', `Nothing was committed: ${why}.\n\n${describeError(error)}\n\n${REVIEW_INSTEAD}`);
  }
  await completeCheckRun(octokit, reportOn, checkRunId, conclusion, output);
}
