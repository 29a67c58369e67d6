import type { Finding } from '../../core/types.js';
import { failureOf } from '../failures.js';
import type { Octokit, PullRequestTarget } from '../types.js';
import { textOutput } from './check-output.js';
import type { CheckReport } from './check-run.js';
import { codeSpan, escapeMarkdown } from './markdown.js';
import { plural } from '../../core/words.js';

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
  return `meshready: apply ${plural(applied.length, 'mesh readiness fix', 'mesh readiness fixes')}\n\n${lines.join('\n')}\n`;
}

/**
 * One commit of the fixed files on the pull request's branch, through the Git Data API.
 * The ref update is not forced: if the branch moved since it was read, GitHub refuses and nothing is lost.
 */
export async function commitFixes(octokit: Octokit, target: PullRequestTarget, files: Map<string, string>, message: string): Promise<string> {
  const repo = { owner: target.headOwner, repo: target.headRepo };
  const { data: head } = await octokit.rest.git.getCommit({ ...repo, commit_sha: target.headSha });
  const tree = [];
  for (const [path, text] of files) {
    const { data: blob } = await octokit.rest.git.createBlob({ ...repo, content: Buffer.from(text, 'utf8').toString('base64'), encoding: 'base64' });
    tree.push({ path, mode: '100644' as const, type: 'blob' as const, sha: blob.sha });
  }
  const { data: newTree } = await octokit.rest.git.createTree({ ...repo, base_tree: head.tree.sha, tree });
  const { data: commit } = await octokit.rest.git.createCommit({ ...repo, message, tree: newTree.sha, parents: [target.headSha] });
  await octokit.rest.git.updateRef({ ...repo, ref: `heads/${target.headRef}`, sha: commit.sha, force: false });
  return commit.sha;
}

export function branchMovedReport(target: PullRequestTarget, analysedSha: string): CheckReport {
  return {
    conclusion: 'neutral',
    output: textOutput(
      'Nothing committed: the branch has moved on',
      `The fixes were found at \`${analysedSha.slice(0, 7)}\`, but the pull request's head is now \`${target.headSha.slice(0, 7)}\`. Nothing was committed; the new head gets its own analysis and its own "Apply fixes".`,
    ),
  };
}

export function forkRefusesReport(target: PullRequestTarget): CheckReport {
  return {
    conclusion: 'neutral',
    output: textOutput(
      'Nothing committed: the fork does not allow edits',
      `This pull request comes from the fork \`${target.headOwner}/${target.headRepo}\`, which does not allow edits from maintainers, so meshready cannot push to it. ${REVIEW_INSTEAD}`,
    ),
  };
}

export const NOTHING_TO_COMMIT: CheckReport = { conclusion: 'neutral', output: textOutput('Nothing to commit', 'No finding at this commit has a safe fix.') };

export function committedReport(target: PullRequestTarget, sha: string, applied: Finding[], dropped: Finding[]): CheckReport {
  const left = dropped.map((finding) => fixLine(finding, true));
  return {
    conclusion: 'success',
    output: textOutput(
      `Committed ${plural(applied.length, 'fix', 'fixes')}`,
      [
        `Commit \`${sha.slice(0, 7)}\` on \`${target.headRef}\`:`,
        '',
        ...applied.map((finding) => fixLine(finding, true)),
        ...(left.length > 0 ? ['', 'Left for a later run, because an earlier fix edits the same lines:', '', ...left] : []),
      ].join('\n'),
    ),
  };
}

export function notCommittedReport(error: unknown): CheckReport {
  const failure = failureOf(error);
  const status = failure.kind === 'refused' ? failure.status : undefined;
  const why =
    status === 422
      ? 'the branch changed while the commit was being made, so GitHub refused to move it'
      : status === 403 || status === 404
        ? 'GitHub refused the push (the app needs contents: write, and a fork must allow edits from maintainers)'
        : 'the fixes could not be committed';
  return { conclusion: 'neutral', output: textOutput('Nothing committed', `Nothing was committed: ${why}.\n\n${failure.reason}\n\n${REVIEW_INSTEAD}`) };
}
