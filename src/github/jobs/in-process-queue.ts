import { HOUR_MS, LockBusyError } from './queue.js';
import type { JobProcessor, JobQueue, QueueOptions } from './queue.js';

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
  private readonly turns = new Map<string, number>();
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
      retry = (busy || (entry.attempt < this.options.attempts && this.options.retryable(error))) && !this.closing;
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

  async takeWriteTurn(key: string, spacingMs: number): Promise<number> {
    const now = Date.now();
    const turn = Math.max(now, this.turns.get(key) ?? 0);
    this.turns.set(key, turn + spacingMs);
    return turn - now;
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
