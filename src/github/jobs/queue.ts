import type { WriteSlots } from '../client.js';
import type { QueueSettings } from '../settings.js';
import type { Attempt, Logger } from '../types.js';

/**
 * Where webhook intake leaves work for the workers: BullMQ on Redis when several replicas
 * share it (REDIS_URL), or a queue in this process. Both keep one semantics:
 * - a job id is added once while it is waiting, delayed or running (duplicate events are one job);
 * - a job whose failure may pass (`retryable`) is tried again after a backoff, up to
 *   `attempts`; the processor is told which attempt it runs, so the last one can settle
 *   what retries could not cure; any other failure ends the job at once;
 * - a lock per key keeps two workers off one pull request head (across replicas in Redis);
 *   a job that finds its key locked waits and comes back, without spending an attempt;
 * - the newest head of each pull request is remembered, so older work can stand down.
 */
export interface JobQueue<T> extends WriteSlots {
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
}

export const HOUR_MS = 3_600_000;

export type JobProcessor<T> = (data: T, attempt: Attempt) => Promise<void>;

export class LockBusyError extends Error {
  constructor(key: string) {
    super(`another worker is at work on ${key}`);
  }
}

export interface QueueOptions extends QueueSettings {
  name: string;
  log: Logger;
  /** Whether a failure may pass if the job is tried again (the service's answer: only a transient one). */
  retryable(error: unknown): boolean;
}
