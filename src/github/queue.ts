import { DelayedError, Queue, Worker } from 'bullmq';
import type { ConnectionOptions, Job as BullJob } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from './types.js';

/**
 * Where webhook intake leaves work for the workers: BullMQ on Redis when several replicas
 * share it (REDIS_URL), or a queue in this process. Both keep one semantics:
 * - a job id is added once while it is waiting, delayed or running (duplicate events are one job);
 * - a failed job is tried again after a backoff, up to `attempts`; the processor is told
 *   which attempt it runs, so the last one can settle what retries could not cure;
 * - a lock per key keeps two workers off one pull request head (across replicas in Redis);
 *   a job that finds its key locked waits and comes back, without spending an attempt;
 * - the newest head of each pull request is remembered, so older work can stand down.
 */
export interface JobQueue<T> {
  readonly mode: 'redis' | 'in-process';
  add(id: string, data: T): Promise<void>;
  start(processor: JobProcessor<T>): void;
  /** Stops taking jobs and waits for those running, at most `graceMs`; unfinished ones are handed back. */
  close(graceMs: number): Promise<void>;
  /** Jobs waiting, delayed for a retry, or running. */
  depth(): Promise<number>;
  /** Runs `work` holding the lock of `key`, or throws LockBusyError when another worker holds it. */
  withLock<R>(key: string, work: () => Promise<R>): Promise<R>;
  /** Records `value` as the newest of `key` unless one of a later `order` is there (an ISO time: a late redelivery does not win). */
  setLatest(key: string, value: string, order: string): Promise<void>;
  latest(key: string): Promise<string | undefined>;
  /**
   * Takes one of `limit` slots of `key` in the last hour (across replicas in Redis): 0
   * when taken, else how many milliseconds until one frees.
   */
  takeHourlySlot(key: string, limit: number): Promise<number>;
}

const HOUR_MS = 3_600_000;

export type JobProcessor<T> = (data: T, attempt: { number: number; last: boolean }) => Promise<void>;

export class LockBusyError extends Error {
  constructor(key: string) {
    super(`another worker is at work on ${key}`);
  }
}

export interface QueueOptions {
  name: string;
  concurrency: number;
  attempts: number;
  /** First retry delay; it doubles with each attempt. */
  backoffMs: number;
  /** How long a lock outlives a worker that stopped renewing it (killed, frozen). */
  lockTtlMs: number;
  log: Logger;
}

export function queueOptionsFromEnv(log: Logger, env: NodeJS.ProcessEnv = process.env): QueueOptions {
  const number = (name: string, fallback: number) => {
    const value = Number(env[name]);
    return Number.isFinite(value) && value > 0 ? value : fallback;
  };
  return {
    name: 'meshready-jobs',
    concurrency: number('MESHREADY_CONCURRENCY', 4),
    attempts: number('MESHREADY_JOB_ATTEMPTS', 5),
    backoffMs: number('MESHREADY_RETRY_DELAY_MS', 2_000),
    lockTtlMs: number('MESHREADY_LOCK_TTL_MS', 30_000),
    log,
  };
}

export function createQueue<T>(redisUrl: string | undefined, options: QueueOptions): JobQueue<T> {
  return redisUrl ? new RedisJobQueue<T>(redisUrl, options) : new InProcessJobQueue<T>(options);
}

interface Entry<T> {
  id: string;
  data: T;
  attempt: number;
}

/** The single-replica default: the same semantics, kept in memory (lost with the process). */
export class InProcessJobQueue<T> implements JobQueue<T> {
  readonly mode = 'in-process' as const;
  private readonly waiting: Entry<T>[] = [];
  private readonly known = new Set<string>();
  private readonly locks = new Set<string>();
  private readonly latestValues = new Map<string, { value: string; order: string }>();
  private readonly slots = new Map<string, number[]>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private running = 0;
  private processor: JobProcessor<T> | undefined;
  private closing = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: QueueOptions) {}

  async add(id: string, data: T): Promise<void> {
    if (this.known.has(id) || this.closing) return;
    this.known.add(id);
    this.waiting.push({ id, data, attempt: 1 });
    this.pump();
  }

  start(processor: JobProcessor<T>): void {
    this.processor = processor;
    this.pump();
  }

  private pump(): void {
    while (this.processor && !this.closing && this.running < this.options.concurrency && this.waiting.length > 0) {
      void this.run(this.waiting.shift()!);
    }
    if (this.running === 0 && this.waiting.length === 0 && this.timers.size === 0) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  private async run(entry: Entry<T>): Promise<void> {
    this.running++;
    let retry = false;
    try {
      await this.processor!(entry.data, { number: entry.attempt, last: entry.attempt >= this.options.attempts });
    } catch (error) {
      const busy = error instanceof LockBusyError;
      retry = (busy || entry.attempt < this.options.attempts) && !this.closing;
      this.options.log.warn(`job ${entry.id} failed (attempt ${entry.attempt} of ${this.options.attempts}): ${(error as Error).message}`);
      if (retry) {
        const timer = setTimeout(
          () => {
            this.timers.delete(timer);
            this.waiting.push({ ...entry, attempt: busy ? entry.attempt : entry.attempt + 1 });
            this.pump();
          },
          busy ? this.options.backoffMs : this.options.backoffMs * 2 ** (entry.attempt - 1),
        );
        this.timers.add(timer);
      }
    } finally {
      this.running--;
      if (!retry) this.known.delete(entry.id);
      this.pump();
    }
  }

  async close(graceMs: number): Promise<void> {
    this.closing = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.waiting.length = 0;
    const deadline = Date.now() + graceMs;
    while (this.running > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  async depth(): Promise<number> {
    return this.waiting.length + this.running + this.timers.size;
  }

  /** Resolves when nothing waits, runs or waits for a retry. */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.pump();
    });
  }

  async withLock<R>(key: string, work: () => Promise<R>): Promise<R> {
    if (this.locks.has(key)) throw new LockBusyError(key);
    this.locks.add(key);
    try {
      return await work();
    } finally {
      this.locks.delete(key);
    }
  }

  async setLatest(key: string, value: string, order: string): Promise<void> {
    const current = this.latestValues.get(key);
    if (!current || current.order <= order) this.latestValues.set(key, { value, order });
  }

  async latest(key: string): Promise<string | undefined> {
    return this.latestValues.get(key)?.value;
  }

  async takeHourlySlot(key: string, limit: number): Promise<number> {
    const now = Date.now();
    const taken = (this.slots.get(key) ?? []).filter((time) => time > now - HOUR_MS);
    this.slots.set(key, taken);
    if (taken.length >= limit) return taken[0]! + HOUR_MS - now;
    taken.push(now);
    return 0;
  }
}

function connectionOf(redisUrl: string): ConnectionOptions {
  const url = new URL(redisUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(url.pathname.length > 1 ? { db: Number(url.pathname.slice(1)) } : {}),
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
    // BullMQ's workers block on Redis: their commands must not give up after a few retries.
    maxRetriesPerRequest: null,
  };
}

// Releases a lock only if it is still ours, and renews it likewise (a lapsed lock may have a new owner).
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
const RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
// A sorted set of the last hour's slots: taken when fewer than the limit, else the wait for the oldest to lapse.
const TAKE_SLOT = `local now = tonumber(ARGV[1])
redis.call('zremrangebyscore', KEYS[1], 0, now - ${HOUR_MS})
if redis.call('zcard', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('zadd', KEYS[1], now, ARGV[3])
  redis.call('pexpire', KEYS[1], ${HOUR_MS})
  return 0
end
local oldest = redis.call('zrange', KEYS[1], 0, 0, 'WITHSCORES')
return tonumber(oldest[2]) + ${HOUR_MS} - now`;
// Stored as "<order>|<value>"; replaced only by an order as late or later.
const SET_LATEST = `local current = redis.call('get', KEYS[1])
if current and string.sub(current, 1, string.find(current, '|', 1, true) - 1) > ARGV[2] then return 0 end
redis.call('set', KEYS[1], ARGV[2] .. '|' .. ARGV[1], 'EX', ARGV[3])
return 1`;

/** Several replicas share jobs, locks and the newest heads through Redis (BullMQ). */
export class RedisJobQueue<T> implements JobQueue<T> {
  readonly mode = 'redis' as const;
  private readonly queue: Queue;
  private worker: Worker | undefined;
  private readonly connection: ConnectionOptions;
  /** Locks and newest heads: plain keys beside BullMQ's. */
  private readonly client: Redis;

  constructor(
    redisUrl: string,
    private readonly options: QueueOptions,
  ) {
    this.connection = connectionOf(redisUrl);
    this.queue = new Queue(options.name, { connection: this.connection });
    this.queue.on('error', (error) => options.log.error(`job queue: ${error.message}`));
    this.client = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
    this.client.on('error', (error) => options.log.error(`job queue Redis: ${error.message}`));
  }

  async add(id: string, data: T): Promise<void> {
    await this.queue.add('job', data, {
      jobId: id,
      attempts: this.options.attempts,
      backoff: { type: 'exponential', delay: this.options.backoffMs },
      // Gone once done: a later event for the same head (a re-run) may add the id again.
      removeOnComplete: true,
      removeOnFail: { age: 24 * 3600 },
    });
  }

  start(processor: JobProcessor<T>): void {
    this.worker = new Worker(
      this.options.name,
      async (job: BullJob, token?: string) => {
        const attempts = job.opts.attempts ?? 1;
        try {
          await processor(job.data as T, { number: job.attemptsMade + 1, last: job.attemptsMade + 1 >= attempts });
        } catch (error) {
          if (!(error instanceof LockBusyError)) throw error;
          // Another worker has this head (or a dead one's lock has yet to lapse): come back later.
          await job.moveToDelayed(Date.now() + Math.min(this.options.backoffMs, this.options.lockTtlMs), token);
          throw new DelayedError();
        }
      },
      {
        connection: this.connection,
        concurrency: this.options.concurrency,
        // A killed replica's jobs go back to the queue once their lock lapses.
        lockDuration: this.options.lockTtlMs,
        stalledInterval: this.options.lockTtlMs,
        maxStalledCount: 3,
      },
    );
    this.worker.on('error', (error) => this.options.log.error(`job worker: ${error.message}`));
    this.worker.on('failed', (job, error) => this.options.log.warn(`job ${job?.id} failed (attempt ${job?.attemptsMade}): ${error.message}`));
  }

  async close(graceMs: number): Promise<void> {
    // Worker.close waits for running jobs; past the grace period they are left to their
    // lock, which lapses, and another replica takes them up.
    if (this.worker) {
      const closing = this.worker.close();
      await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, graceMs))]);
    }
    await this.queue.close();
    this.client.disconnect();
  }

  async depth(): Promise<number> {
    const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    return Object.values(counts).reduce((sum, count) => sum + count, 0);
  }

  async withLock<R>(key: string, work: () => Promise<R>): Promise<R> {
    const client = this.client;
    const lockKey = `${this.options.name}:lock:${key}`;
    const token = randomUUID();
    if ((await client.set(lockKey, token, 'PX', this.options.lockTtlMs, 'NX')) !== 'OK') throw new LockBusyError(key);
    const renewal = setInterval(() => {
      client.eval(RENEW, 1, lockKey, token, String(this.options.lockTtlMs)).catch(() => undefined);
    }, Math.max(1_000, this.options.lockTtlMs / 3));
    try {
      return await work();
    } finally {
      clearInterval(renewal);
      await client.eval(RELEASE, 1, lockKey, token).catch(() => undefined);
    }
  }

  async setLatest(key: string, value: string, order: string): Promise<void> {
    await this.client.eval(SET_LATEST, 1, `${this.options.name}:latest:${key}`, value, order, String(7 * 24 * 3600));
  }

  async takeHourlySlot(key: string, limit: number): Promise<number> {
    return Number(await this.client.eval(TAKE_SLOT, 1, `${this.options.name}:slots:${key}`, String(Date.now()), String(limit), randomUUID()));
  }

  async latest(key: string): Promise<string | undefined> {
    const stored = await this.client.get(`${this.options.name}:latest:${key}`);
    return stored === null ? undefined : stored.slice(stored.indexOf('|') + 1);
  }
}
