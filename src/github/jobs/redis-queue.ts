import { DelayedError, Queue, UnrecoverableError, Worker } from 'bullmq';
import type { ConnectionOptions, Job as BullJob } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { HOUR_MS, LockBusyError } from './queue.js';
import type { JobProcessor, JobQueue, QueueOptions } from './queue.js';

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
// The next free turn of writes spaced ARGV[2] apart: taken, and the wait until it returned.
const TAKE_TURN = `local now = tonumber(ARGV[1])
local spacing = tonumber(ARGV[2])
local turn = math.max(now, tonumber(redis.call('get', KEYS[1]) or '0'))
redis.call('set', KEYS[1], turn + spacing, 'PX', turn - now + spacing + 60000)
return turn - now`;
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
          if (error instanceof LockBusyError) {
            // Another worker has this head (or a dead one's lock has yet to lapse): come back later.
            await job.moveToDelayed(Date.now() + Math.min(this.options.backoffMs, this.options.lockTtlMs), token);
            throw new DelayedError();
          }
          if (!this.options.retryable(error)) throw new UnrecoverableError((error as Error).message);
          throw error;
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

  async takeWriteTurn(key: string, spacingMs: number): Promise<number> {
    return Number(await this.client.eval(TAKE_TURN, 1, `${this.options.name}:turns:${key}`, String(Date.now()), String(spacingMs)));
  }

  async latest(key: string): Promise<string | undefined> {
    const stored = await this.client.get(`${this.options.name}:latest:${key}`);
    return stored === null ? undefined : stored.slice(stored.indexOf('|') + 1);
  }
}
