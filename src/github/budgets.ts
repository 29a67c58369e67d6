import type { JobQueue } from './queue.js';
import type { Octokit } from './types.js';

/** GitHub's secondary limits on content-creating requests, per installation (its REST docs). */
export const WRITES_PER_MINUTE = 80;
export const WRITES_PER_HOUR = 500;

/** Whether a request counts against the content-creation budget (GraphQL reads and token requests do not). */
export function isContentCreating(method: string, path: string, body: unknown): boolean {
  if (method === 'GET' || method === 'HEAD') return false;
  if (/\/access_tokens$/.test(path)) return false;
  if (path === '/graphql') return /^\s*mutation\b/.test((body as { query?: string } | undefined)?.query ?? '');
  return true;
}

/**
 * Holds an installation's content-creating requests to GitHub's hourly budget, counted in
 * the queue's store so that every replica draws on one budget. The minute's budget is
 * Probot's throttling (a write a second per installation); a request's time limit starts
 * only when it is sent, so the wait here is no time-out.
 */
export function paceHourlyWrites(octokit: Octokit, installationId: number, queue: JobQueue<unknown>, perHour = WRITES_PER_HOUR): Octokit {
  octokit.hook.before('request', async (options) => {
    if (!isContentCreating(options.method, options.url, { query: (options as { query?: string }).query })) return;
    for (let wait = await queue.takeHourlySlot(`writes:${installationId}`, perHour); wait > 0; wait = await queue.takeHourlySlot(`writes:${installationId}`, perHour)) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 60_000)));
    }
  });
  return octokit;
}
