import type { MeshreadyConfig } from '../../core/config.js';
import { SEVERITY_RANK } from '../../core/types.js';
import type { Placement, PlacedFinding } from '../../diff/placement.js';
import { describeFailure } from '../failures.js';
import type { Octokit, PullRequestTarget } from '../types.js';
import { commentBody, commentKeysOf, fingerprintIn, reviewBody } from './review-comments.js';

type CommentPlacedFinding = PlacedFinding & { placement: Extract<Placement, { kind: 'comment' }> };

export interface ReviewOutcome {
  /** Findings with a review comment: posted now or by an earlier analysis. */
  commented: number;
  /** What went wrong, for the check run's summary. */
  notes: string[];
}

/** The keys (commentKeysOf) of the comments the bot already left on the pull request. */
export async function existingFingerprints(octokit: Octokit, target: PullRequestTarget): Promise<Set<string>> {
  const comments = await octokit.paginate(octokit.rest.pulls.listReviewComments, {
    owner: target.owner,
    repo: target.repo,
    pull_number: target.number,
    per_page: 100,
  });
  return new Set(comments.map((comment) => fingerprintIn(comment.body)).filter((fingerprint): fingerprint is string => fingerprint !== undefined));
}

function byImportance(a: PlacedFinding, b: PlacedFinding): number {
  return SEVERITY_RANK[b.finding.severity] - SEVERITY_RANK[a.finding.severity];
}

/**
 * One review for the analysis, holding a comment for each finding on the diff (at
 * `review.minSeverity` or above) that has none yet (by its key: a moved file's finding
 * keeps its comment), the most severe
 * first, up to the configured cap for the whole pull request: comments of earlier
 * analyses count against it, so re-runs never pile more on.
 */
export async function postReview(
  octokit: Octokit,
  target: PullRequestTarget,
  placed: PlacedFinding[],
  config: MeshreadyConfig,
  existing: Set<string>,
  /** Whether a failure to post should fail the job, to be tried again, rather than be noted. */
  retryLater: (error: unknown) => boolean = () => false,
): Promise<ReviewOutcome> {
  const least = SEVERITY_RANK[config.review.minSeverity];
  const onDiff = placed.filter(
    (entry): entry is CommentPlacedFinding => entry.placement.kind === 'comment' && SEVERITY_RANK[entry.finding.severity] >= least,
  );
  if (!config.review.enabled || onDiff.length === 0) return { commented: 0, notes: [] };
  const fresh = onDiff.filter((entry) => !commentKeysOf(entry.finding).some((key) => existing.has(key))).sort(byImportance);
  const posted = fresh.slice(0, Math.max(0, config.review.maxComments - existing.size));
  const capped = fresh.length - posted.length;
  const alreadyCommented = onDiff.length - fresh.length;
  if (posted.length === 0) {
    const notes = capped > 0 ? [`${capped} findings got no review comment: this pull request has reached the limit of ${config.review.maxComments} comments (review.maxComments); they are in the annotations.`] : [];
    return { commented: alreadyCommented, notes };
  }

  const comments = posted.map(({ finding, placement }) => ({
    path: finding.file,
    line: placement.line,
    side: 'RIGHT' as const,
    ...(placement.startLine !== undefined ? { start_line: placement.startLine, start_side: 'RIGHT' as const } : {}),
    body: commentBody(finding, placement.suggestion),
  }));
  try {
    await octokit.rest.pulls.createReview({
      owner: target.owner,
      repo: target.repo,
      pull_number: target.number,
      commit_id: target.headSha,
      event: config.review.event,
      body: reviewBody(posted.length, onDiff.length, capped),
      comments,
    });
  } catch (error) {
    if (retryLater(error)) throw error;
    return { commented: alreadyCommented, notes: [`The review could not be posted (${describeFailure(error)}); every finding is in the annotations.`] };
  }
  return { commented: alreadyCommented + posted.length, notes: [] };
}
