import type { Octokit, PullRequestLike } from '../types.js';

/**
 * The open pull requests whose head is a commit. Check suite and check run payloads list
 * only same-repository pull requests; for forks GitHub is asked which pull requests hold the commit.
 */
export async function openPullRequestsWith(octokit: Octokit, owner: string, repo: string, headSha: string, listed: number[]): Promise<PullRequestLike[]> {
  const numbers = [...listed];
  if (numbers.length === 0) {
    const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ owner, repo, commit_sha: headSha });
    numbers.push(...data.filter((pullRequest) => pullRequest.state === 'open').map((pullRequest) => pullRequest.number));
  }
  const pullRequests: PullRequestLike[] = [];
  for (const number of numbers) {
    const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: number });
    if (data.state === 'open') pullRequests.push(data);
  }
  return pullRequests;
}
