import { describeFailure } from '../failures.js';
import type { Octokit, PullRequestTarget } from '../types.js';
import { fingerprintIn } from './review-comments.js';

/** Marks the bot's "this finding is gone" reply, so a thread gets it once. */
const GONE_MARKER = '<!-- meshready:gone -->';

const THREADS_QUERY = `query ($owner: String!, $name: String!, $number: Int!, $after: String) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      reviewThreads(first: 100, after: $after) {
        nodes { id isResolved comments(first: 50) { nodes { databaseId body } } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
}`;

const RESOLVE_MUTATION = `mutation ($threadId: ID!) {
  resolveReviewThread(input: { threadId: $threadId }) { thread { id isResolved } }
}`;

interface Thread {
  id: string;
  isResolved: boolean;
  comments: { nodes: { databaseId: number; body: string }[] };
}

interface ThreadsPage {
  repository: { pullRequest: { reviewThreads: { nodes: Thread[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } | null } | null;
}

export interface ThreadOutcome {
  resolved: number;
  replied: number;
  notes: string[];
}

async function listThreads(octokit: Octokit, target: PullRequestTarget): Promise<Thread[]> {
  const threads: Thread[] = [];
  let after: string | null = null;
  do {
    const page: ThreadsPage = await octokit.graphql<ThreadsPage>(THREADS_QUERY, { owner: target.owner, name: target.repo, number: target.number, after });
    const connection = page.repository?.pullRequest?.reviewThreads;
    if (!connection) break;
    threads.push(...connection.nodes);
    after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
  } while (after);
  return threads;
}

/** A reply a person wrote: anything in the thread the bot did not write. */
function hasHumanReply(thread: Thread): boolean {
  return thread.comments.nodes.slice(1).some((comment) => !comment.body.includes('<!-- meshready:'));
}

/**
 * Keeps the bot's threads honest after an analysis: a thread whose finding is gone is
 * resolved, unless a person replied there; then it stays open with a reply saying so.
 */
export async function settleGoneThreads(octokit: Octokit, target: PullRequestTarget, current: Set<string>): Promise<ThreadOutcome> {
  const outcome: ThreadOutcome = { resolved: 0, replied: 0, notes: [] };
  try {
    for (const thread of await listThreads(octokit, target)) {
      const [first] = thread.comments.nodes;
      const fingerprint = fingerprintIn(first?.body);
      if (thread.isResolved || !first || !fingerprint || current.has(fingerprint)) continue;
      if (hasHumanReply(thread)) {
        if (thread.comments.nodes.some((comment) => comment.body.includes(GONE_MARKER))) continue;
        await octokit.rest.pulls.createReplyForReviewComment({
          owner: target.owner,
          repo: target.repo,
          pull_number: target.number,
          comment_id: first.databaseId,
          body: `meshready no longer finds this problem at ${target.headSha.slice(0, 7)}. Left open because of the discussion here.\n\n${GONE_MARKER}`,
        });
        outcome.replied++;
      } else {
        await octokit.graphql(RESOLVE_MUTATION, { threadId: thread.id });
        outcome.resolved++;
      }
    }
  } catch (error) {
    outcome.notes.push(`Review threads of fixed findings could not be updated (${describeFailure(error)}).`);
  }
  return outcome;
}
