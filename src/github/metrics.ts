import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one process; every replica serves its own at /metrics. */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'meshready_' });

export const webhooksHandled = new Counter({
  name: 'meshready_webhooks_total',
  help: 'Webhook deliveries handled, by event name and action',
  labelNames: ['event', 'action'] as const,
  registers: [registry],
});

export const analysisDuration = new Histogram({
  name: 'meshready_analysis_duration_seconds',
  help: 'Time from creating the check run to completing it, by conclusion',
  labelNames: ['conclusion'] as const,
  buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
  registers: [registry],
});

export const githubRequests = new Counter({
  name: 'meshready_github_requests_total',
  help: 'Requests sent to GitHub, by method and response status',
  labelNames: ['method', 'status'] as const,
  registers: [registry],
});

export const errors = new Counter({
  name: 'meshready_errors_total',
  help: 'Failures, by where they happened',
  labelNames: ['stage'] as const,
  registers: [registry],
});

export const jobsProcessed = new Counter({
  name: 'meshready_jobs_total',
  help: 'Jobs run by this replica, by kind and outcome (done, retried, failed)',
  labelNames: ['kind', 'outcome'] as const,
  registers: [registry],
});

export const blobCacheLookups = new Counter({
  name: 'meshready_blob_cache_lookups_total',
  help: 'Blobs looked up in the blob cache, by where they were found (memory, redis) or not (miss)',
  labelNames: ['result'] as const,
  registers: [registry],
});

export const repositoryReads = new Counter({
  name: 'meshready_repository_reads_total',
  help: 'Requests reading repositories, by what they read (compare, tree, blobs: a GraphQL batch, blob: one REST blob)',
  labelNames: ['kind'] as const,
  registers: [registry],
});

export const blobBytesRead = new Counter({
  name: 'meshready_blob_bytes_read_total',
  help: 'Bytes of blobs read from GitHub (what the blob cache did not hold)',
  registers: [registry],
});

let depthOfQueue: (() => Promise<number>) | undefined;

export const queueDepth = new Gauge({
  name: 'meshready_queue_depth',
  help: 'Jobs waiting, delayed for a retry, or running (all replicas, with REDIS_URL)',
  registers: [registry],
  async collect() {
    if (depthOfQueue) this.set(await depthOfQueue().catch(() => Number.NaN));
  },
});

export function observeQueueDepth(depth: () => Promise<number>): void {
  depthOfQueue = depth;
}
