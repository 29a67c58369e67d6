import type { ApplicationFunction } from 'probot';
import { GitHubClients } from './client.js';
import { isTransient } from './failures.js';
import { routeEvents } from './intake/routes.js';
import { InProcessJobQueue } from './jobs/in-process-queue.js';
import type { MeshreadyJob } from './jobs/job.js';
import type { JobQueue, QueueOptions } from './jobs/queue.js';
import { RedisJobQueue } from './jobs/redis-queue.js';
import { runJob } from './jobs/run-job.js';
import { observeQueueDepth } from './metrics.js';
import type { Settings } from './settings.js';
import { MemoryBlobCache, RedisBlobCache } from './worker/blob-cache.js';
import type { BlobCache } from './worker/blob-cache.js';

/** The app as Probot loads it, with a handle on its jobs for whoever runs it (the entry, the demo, tests). */
export interface MeshreadyService {
  readonly app: ApplicationFunction;
  /** Resolves when an in-process queue has nothing left to do, nor to try again. */
  settled(): Promise<void>;
  /** No new jobs; running ones finished within `graceMs` or handed back (to Redis). */
  close(graceMs: number): Promise<void>;
}

/**
 * The composition root: the stages wired together from the settings. Intake routes events
 * to the queue (BullMQ on Redis with REDIS_URL, in-process otherwise); unless this replica
 * is intake only, its workers take jobs from it, each with its installation's GitHub
 * client. Only a transient failure is tried again.
 */
export function createService(settings: Settings): MeshreadyService {
  let queue: JobQueue<MeshreadyJob> | undefined;
  let cache: BlobCache | undefined;
  const app: ApplicationFunction = (probot) => {
    if (queue) throw new Error('a meshready service is loaded into one Probot only');
    const options: QueueOptions = { name: 'meshready-jobs', ...settings.queue, log: probot.log, retryable: isTransient };
    const jobs: JobQueue<MeshreadyJob> = settings.redisUrl ? new RedisJobQueue(settings.redisUrl, options) : new InProcessJobQueue(options);
    queue = jobs;
    observeQueueDepth(() => jobs.depth());
    if (settings.role !== 'intake') {
      const clients = new GitHubClients(probot, { ...settings.github, slots: jobs });
      const blobs: BlobCache = settings.redisUrl
        ? new RedisBlobCache(settings.redisUrl, settings.reading.cache, (error) => probot.log.warn(`blob cache Redis: ${error.message}`))
        : new MemoryBlobCache(settings.reading.cache.memoryBytes);
      cache = blobs;
      const reading = { cache: blobs, budget: settings.reading.budget };
      jobs.start((job, attempt) => runJob(job, attempt, { queue: jobs, log: probot.log, clientFor: (installationId) => clients.for(installationId), applyFixes: settings.applyFixes, reading }));
    }
    routeEvents(probot, jobs);
  };
  return {
    app,
    settled: async () => {
      if (queue instanceof InProcessJobQueue) await queue.idle();
    },
    close: async (graceMs) => {
      await queue?.close(graceMs);
      await cache?.close();
    },
  };
}
