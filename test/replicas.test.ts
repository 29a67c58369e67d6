import { describe, expect, it } from 'vitest';
import { runFleet } from '../src/bench/fleet.js';

/**
 * The service as it runs in production: three replicas (`probot run` of the built app,
 * each its own process) sharing a real redis-server, pull requests delivered at once, and
 * one replica killed with SIGKILL while it analyses. `npm test` builds dist/ first.
 */
describe('three replicas sharing Redis', () => {
  it('complete every check run exactly once, and post one review a pull request, though one is killed mid-analysis', async () => {
    const figures = await runFleet({ replicas: 3, pullRequests: 6, filesPerPullRequest: 3, redis: true, kill: 1, lockTtlMs: 3_000, timeoutMs: 150_000 });
    expect(figures).toMatchObject({ killed: 1, completedRuns: 6, reviews: 6, duplicateRuns: 0, duplicateReviews: 0, leftInProgress: 0 });
  }, 200_000);

  it('a replica sent SIGTERM mid-analysis drains and exits inside the grace period; its replacement finishes the rest, once', async () => {
    const figures = await runFleet({ replicas: 1, pullRequests: 4, filesPerPullRequest: 3, redis: true, rollOne: true, lockTtlMs: 3_000, drainMs: 10_000, timeoutMs: 150_000 });
    expect(figures.terminated?.exitCode).toBe(0);
    // deploy/deployment.yaml gives a pod 60 s between SIGTERM and SIGKILL.
    expect(figures.terminated!.afterMs).toBeLessThan(60_000);
    expect(figures).toMatchObject({ completedRuns: 4, reviews: 4, duplicateRuns: 0, duplicateReviews: 0, leftInProgress: 0 });
  }, 200_000);
});
