import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { deliverOpened, generatePrivateKey, servePullRequests } from '../demo/run-demo.js';
import type { FakeGitHub } from '../demo/fake-github.js';
import { WRITES_PER_MINUTE, isContentCreating } from '../github/budgets.js';
import { CHECK_NAME } from '../github/types.js';
import { generateCorpus } from './corpus.js';
import { freePort, peakRssMb, startApp, waitUntilUp } from './processes.js';
import { startRedisServer } from './redis-server.js';

const SECRET = 'fleet-secret';
/** The /healthz prober, built: from src/bench (the tests) and dist/bench (the bench) alike. */
const PROBE = fileURLToPath(new URL('../../dist/bench/probe.js', import.meta.url));


export interface FleetOptions {
  replicas: number;
  pullRequests: number;
  filesPerPullRequest: number;
  /** Share jobs through a real redis-server (always with more than one replica). */
  redis: boolean;
  /** SIGKILL this many replicas once some check runs are in progress, and start none in their place. */
  kill?: number;
  /** SIGTERM the first replica once some check runs are in progress, then start one in its place (a rolling update). */
  rollOne?: boolean;
  /** How long a dead worker's lock holds its job (MESHREADY_LOCK_TTL_MS). */
  lockTtlMs?: number;
  /** How long SIGTERM waits for running jobs (MESHREADY_DRAIN_MS). */
  drainMs?: number;
  timeoutMs?: number;
}

export interface FleetFigures {
  answerP50Ms: number;
  answerP99Ms: number;
  /** From the first delivery until every check run completed. */
  allCompletedMs: number;
  completedRuns: number;
  reviews: number;
  duplicateRuns: number;
  duplicateReviews: number;
  leftInProgress: number;
  peakRssMb: number[];
  /** The slowest answer to GET /healthz, polled every 50 ms on every replica while the work went on (from a process of its own). */
  healthzMaxMs: number;
  /**
   * Each replica's own event-loop delay over the run (Node's monitorEventLoopDelay, from its
   * /metrics), undefined for a killed one: what the app held its loop up for, where a slow
   * /healthz may be the machine's other processes taking the CPU.
   */
  eventLoop: ({ maxMs: number; p99Ms: number } | undefined)[];
  writes: number;
  /** What GitHub's write budget allows at best for the same writes. */
  writeBoundMs: number;
  killed: number;
  /** For rollOne: how the replica sent SIGTERM ended, and after how long. */
  terminated?: { exitCode: number | null; afterMs: number };
}

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}


/**
 * Pull requests delivered at once to replicas started as in production (`probot run`,
 * each its own process), against the loopback fake GitHub: what an organisation's
 * busiest minute looks like.
 */
export async function runFleet(options: FleetOptions): Promise<FleetFigures> {
  const pullRequests = Array.from({ length: options.pullRequests }, (_, index) => {
    const files = generateCorpus(options.filesPerPullRequest * 2, 2).map((file) => [`pr-${index + 1}/${file.path}`, file.text] as const);
    return { base: new Map<string, string>(), head: new Map(files) };
  });
  const fake = await servePullRequests(pullRequests);
  const redis = options.redis ? await startRedisServer() : undefined;
  const replicas: { process: ChildProcess; url: string; pid: number }[] = [];
  const privateKey = generatePrivateKey();
  const startReplica = async () => {
    const port = await freePort();
    const child = startApp({
      fakeUrl: fake.url,
      port,
      privateKey,
      secret: SECRET,
      env: {
        ...(redis ? { REDIS_URL: redis.url } : {}),
        ...(options.lockTtlMs ? { MESHREADY_LOCK_TTL_MS: String(options.lockTtlMs) } : {}),
        ...(options.drainMs ? { MESHREADY_DRAIN_MS: String(options.drainMs) } : {}),
      },
    });
    const replica = { process: child, url: `http://127.0.0.1:${port}`, pid: child.pid! };
    replicas.push(replica);
    return replica;
  };
  try {
    for (let index = 0; index < options.replicas; index++) await startReplica();
    await Promise.all(replicas.map((replica) => waitUntilUp(`${replica.url}/healthz`)));

    // Probes while the replicas work, from a process of their own: analysis must never hold the replicas' event loops up.
    const probe = spawn(process.execPath, [PROBE, ...replicas.map((replica) => `${replica.url}/healthz`)], { stdio: ['pipe', 'pipe', 'inherit'] });
    let probed = '';
    probe.stdout.on('data', (chunk: Buffer) => (probed += chunk.toString('utf8')));
    const probeDone = new Promise<void>((resolve) => probe.once('exit', () => resolve()));

    const started = performance.now();
    const answers = await Promise.all(
      pullRequests.map(async (_, index) => {
        const replica = replicas[index % replicas.length]!;
        const sent = performance.now();
        const response = await deliverOpened(fake.github, replica.url, SECRET, index + 1);
        await response.text();
        if (!response.ok) throw new Error(`a replica refused a webhook: HTTP ${response.status}`);
        return performance.now() - sent;
      }),
    );

    let killed = 0;
    if (options.kill) {
      // Mid-analysis: some runs created and not yet completed.
      await until(() => fake.github.checkRuns.some((run) => run.status !== 'completed'), options.timeoutMs ?? 600_000);
      for (const replica of replicas.slice(0, options.kill)) {
        replica.process.kill('SIGKILL');
        killed++;
      }
    }

    let terminated: FleetFigures['terminated'];
    if (options.rollOne) {
      await until(() => fake.github.checkRuns.some((run) => run.status !== 'completed'), options.timeoutMs ?? 600_000);
      const leaving = replicas[0]!;
      const sent = performance.now();
      const exited = new Promise<number | null>((resolve) => leaving.process.once('exit', (code) => resolve(code)));
      leaving.process.kill('SIGTERM');
      terminated = { exitCode: await exited, afterMs: performance.now() - sent };
      const replacement = await startReplica();
      await waitUntilUp(`${replacement.url}/healthz`);
    }

    const done = () => completedHeads(fake.github) === options.pullRequests && fake.github.checkRuns.every((run) => run.status === 'completed');
    await until(done, options.timeoutMs ?? 600_000);
    const allCompletedMs = performance.now() - started;
    probe.stdin.end();
    await probeDone;
    const healthzMaxMs = (JSON.parse(probed) as { slowestMs: number }).slowestMs;
    const eventLoop = await Promise.all(replicas.map((replica) => eventLoopDelay(replica.url)));
    // A moment more, for anything doubled to show itself.
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    const runsByHead = countBy(
      fake.github.checkRuns.filter((run) => run.name === CHECK_NAME),
      (run) => run.head_sha,
    );
    const reviewsByCommit = countBy(fake.github.reviews, (review) => review.commit_id);
    const writes = fake.github.requests.filter((request) => isContentCreating(request.method, request.path, request.body)).length;
    return {
      answerP50Ms: percentile(answers, 0.5),
      answerP99Ms: percentile(answers, 0.99),
      allCompletedMs,
      completedRuns: fake.github.checkRuns.filter((run) => run.status === 'completed').length,
      reviews: reviewsByCommit.size,
      duplicateRuns: [...runsByHead.values()].reduce((sum, count) => sum + count - 1, 0),
      duplicateReviews: [...reviewsByCommit.values()].reduce((sum, count) => sum + count - 1, 0),
      leftInProgress: fake.github.checkRuns.filter((run) => run.status !== 'completed').length,
      peakRssMb: replicas.map((replica) => peakRssMb(replica.pid)),
      healthzMaxMs,
      eventLoop,
      writes,
      writeBoundMs: (writes / WRITES_PER_MINUTE) * 60_000,
      killed,
      ...(terminated ? { terminated } : {}),
    };
  } finally {
    for (const replica of replicas) replica.process.kill('SIGKILL');
    redis?.stop();
    fake.close();
  }
}

/** A replica's event-loop delay since its metrics were last read, or undefined when it does not answer. */
async function eventLoopDelay(url: string): Promise<{ maxMs: number; p99Ms: number } | undefined> {
  const text = await fetch(`${url}/metrics`).then((response) => response.text(), () => undefined);
  if (text === undefined) return undefined;
  const seconds = (name: string) => Number(new RegExp(`^meshready_nodejs_eventloop_lag_${name}_seconds (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  return { maxMs: seconds('max') * 1000, p99Ms: seconds('p99') * 1000 };
}

function completedHeads(github: FakeGitHub): number {
  return new Set(github.checkRuns.filter((run) => run.name === CHECK_NAME && run.status === 'completed').map((run) => run.head_sha)).size;
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('the fleet did not finish in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
