import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import type { Probot as ProbotType } from 'probot';
import { Probot } from 'probot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService } from '../src/github/service.js';
import type { MeshreadyService } from '../src/github/service.js';
import { readSettings } from '../src/github/settings.js';
import { HEAD_SHA, PRIVATE_KEY, WEBHOOK_SECRET, allRunsCompleted, eventually, interceptGitHub, pullRequestEvent, pullRequestScenario, releaseGitHub, webhookExample } from './support/app-harness.js';

/** A real Redis on loopback (Debian's redis-server; .ci/run installs it). */
describe('several replicas with REDIS_URL', () => {
  let server: ChildProcess;
  let url: string;

  beforeAll(async () => {
    if (spawnSync('redis-server', ['--version']).error) throw new Error('redis-server is not installed: apt-get install redis-server (.ci/run does)');
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    url = `redis://127.0.0.1:${port}`;
    // Wait until it accepts connections.
    for (let attempt = 0; ; attempt++) {
      const client = new Redis(url, { lazyConnect: true, retryStrategy: () => null });
      client.on('error', () => undefined);
      const ready = await client.connect().then(() => true, () => false);
      client.disconnect();
      if (ready) break;
      if (attempt > 100) throw new Error(`redis-server did not start on ${url}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  afterAll(() => {
    server?.kill();
  });

  it('share one job for one pull request head, and their GitHub rate-limit state, through the one Redis', async () => {
    // Two replicas, each with Probot's real throttling (not the tests' disabled one) and the BullMQ queue.
    const replicas: ProbotType[] = [];
    const services: MeshreadyService[] = [];
    for (let index = 0; index < 2; index++) {
      const probot = new Probot({ appId: 1, privateKey: PRIVATE_KEY, secret: WEBHOOK_SECRET, redisConfig: url, logLevel: 'fatal' });
      const service = createService(readSettings({ ...process.env, REDIS_URL: url }));
      await probot.load(service.app);
      replicas.push(probot);
      services.push(service);
    }
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: i, securityContext: {runAsGroup: 1337}}]}\n';
    const { github } = pullRequestScenario({}, { 'k8s/pod.yaml': pod });
    interceptGitHub(github);
    try {
      // pull_request.opened on one replica, check_suite.requested for the same head on the other.
      const suite = webhookExample('check_suite', 'requested');
      Object.assign(suite.check_suite as object, { head_sha: HEAD_SHA, pull_requests: [{ number: 2 }] });
      await Promise.all([
        replicas[0]!.receive(pullRequestEvent(github, 'opened') as never),
        replicas[1]!.receive({ id: 'suite', name: 'check_suite', payload: suite } as never),
        replicas[1]!.receive(pullRequestEvent(github, 'opened') as never),
      ]);
      await eventually(() => allRunsCompleted(github) && github.reviews.length > 0);
      // Nothing more comes: every job of that head is done.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
    } finally {
      releaseGitHub();
      await Promise.all(services.map((service) => service.close(5_000)));
    }
    expect(github.checkRuns).toMatchObject([{ status: 'completed', conclusion: 'failure' }]);
    expect(github.reviews).toHaveLength(1);
    // Their writes drew on one hourly budget for the installation: create, review, complete.
    const counted = new Redis(url);
    expect(await counted.zcard('meshready-jobs:slots:writes:1')).toBe(3);
    await counted.quit();
    const client = new Redis(url);
    const keys = await client.keys('*');
    await client.quit();
    // Bottleneck's limiter state ("b_<id>_...") for Octokit's throttling groups.
    expect(keys.some((key) => key.startsWith('b_octokit'))).toBe(true);
  });
});
