import type { ApplicationFunction, ApplicationFunctionOptions, Context, Probot } from 'probot';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { closeAnalysisThreads } from './analysis-thread.js';
import { APPLY_FIXES_ACTION } from './apply-fixes.js';
import type { AnalysisMode } from './analysis.js';
import { jobIdOf } from './jobs.js';
import type { MeshreadyJob } from './jobs.js';
import { observeQueueDepth, registry, webhooksHandled } from './metrics.js';
import { createQueue, InProcessJobQueue, queueOptionsFromEnv } from './queue.js';
import type { JobQueue } from './queue.js';
import { CHECK_NAME } from './types.js';
import type { Octokit } from './types.js';
import { processJob, queueAnalysis } from './worker.js';
import type { PullRequestLike } from './worker.js';

/** `/healthz` for probes and `/metrics` for Prometheus, beside Probot's own `/ping`. */
async function operationsHandler(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
  const path = (request.url ?? '').split('?')[0];
  if (request.method !== 'GET' || (path !== '/metrics' && path !== '/healthz')) return false;
  if (path === '/healthz') {
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
  } else {
    response.writeHead(200, { 'content-type': registry.contentType }).end(await registry.metrics());
  }
  return true;
}

/** Refuses to start in production without a webhook secret: anyone could post events. */
export function assertProductionSecret(env: NodeJS.ProcessEnv = process.env): void {
  if (env.NODE_ENV === 'production' && !env.WEBHOOK_SECRET) {
    throw new Error('WEBHOOK_SECRET must be set when NODE_ENV=production: unsigned webhooks would be accepted otherwise');
  }
}

/** How long SIGTERM waits for running jobs: inside the pod's grace period in deploy/ (60 s). */
function drainMs(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.MESHREADY_DRAIN_MS);
  return Number.isFinite(value) && value > 0 ? value : 45_000;
}

const queues = new WeakMap<Probot, JobQueue<MeshreadyJob>>();
const running = new Set<JobQueue<MeshreadyJob>>();

/** SIGTERM (every rollout, a node drain) drains: no new jobs, running ones finished or handed back, then exit. */
function drainOnSigterm(queue: JobQueue<MeshreadyJob>, log: Probot['log']): void {
  if (running.size === 0) {
    process.once('SIGTERM', () => {
      log.info('SIGTERM: no new jobs; finishing or handing back those running');
      void Promise.all([...running].map((each) => each.close(drainMs())))
        .then(closeAnalysisThreads)
        .finally(() => process.exit(0));
    });
  }
  running.add(queue);
}

/** Resolves when the in-process queue of an app has nothing left to do (for tests and the demo). */
export async function jobsSettled(app: Probot): Promise<void> {
  const queue = queues.get(app);
  if (queue instanceof InProcessJobQueue) await queue.idle();
}

/** Stops an app's workers and closes its queue (for tests that start several in one process). */
export async function jobsClosed(app: Probot): Promise<void> {
  const queue = queues.get(app);
  running.delete(queue!);
  await queue?.close(5_000);
}

/**
 * Webhook intake: the signature is verified before this runs (server.ts); the event becomes
 * a job and the delivery is answered at once. No GitHub request is made here: the workers do them.
 */
export const meshreadyApp: ApplicationFunction = (app: Probot, options: ApplicationFunctionOptions) => {
  assertProductionSecret();
  options.addHandler(operationsHandler);
  const queue = createQueue<MeshreadyJob>(process.env.REDIS_URL, queueOptionsFromEnv(app.log));
  queues.set(app, queue);
  observeQueueDepth(() => queue.depth());
  if (process.env.MESHREADY_ROLE !== 'intake') {
    queue.start((job, attempt) =>
      processJob(job, attempt, { queue, log: app.log, octokitFor: (installationId) => app.auth(installationId) as Promise<Octokit> }),
    );
  }
  drainOnSigterm(queue, app.log);

  const enqueue = async (job: MeshreadyJob): Promise<void> => {
    await queue.add(jobIdOf(job), job);
  };
  const installationOf = (context: Context): number => (context.payload as { installation?: { id: number } }).installation?.id ?? 0;

  app.onAny(async (context) => {
    const action = (context.payload as { action?: string }).action ?? '';
    webhooksHandled.inc({ event: context.name, action });
  });

  const analyzePullRequestEvent = (context: Context, pullRequest: PullRequestLike) =>
    queueAnalysis(queue, pullRequest, { installationId: installationOf(context), mode: 'fresh', deliveryId: context.id });

  app.on(['pull_request.opened', 'pull_request.synchronize', 'pull_request.reopened'], async (context) => {
    // Drafts wait for ready_for_review: authors push half-done work there.
    if (context.payload.pull_request.draft) return;
    await analyzePullRequestEvent(context as unknown as Context, context.payload.pull_request as PullRequestLike);
  });

  app.on('pull_request.ready_for_review', async (context) => {
    await analyzePullRequestEvent(context as unknown as Context, context.payload.pull_request as PullRequestLike);
  });

  const resolve = async (context: Context, headSha: string, listed: { number: number }[], mode: AnalysisMode) => {
    const { owner, repo } = context.repo();
    const pullRequests = listed.map((pullRequest) => pullRequest.number);
    await enqueue({ kind: 'resolve', installationId: installationOf(context), owner, repo, headSha, pullRequests, mode, deliveryId: context.id });
  };

  app.on(['check_suite.requested', 'check_suite.rerequested'], async (context) => {
    const suite = context.payload.check_suite;
    await resolve(context as unknown as Context, suite.head_sha, suite.pull_requests, context.payload.action === 'rerequested' ? 'rerun' : 'fresh');
  });

  app.on('check_run.rerequested', async (context) => {
    const run = context.payload.check_run;
    if (run.name !== CHECK_NAME) return;
    await resolve(context as unknown as Context, run.head_sha, run.pull_requests, 'rerun');
  });

  app.on('check_run.requested_action', async (context) => {
    const run = context.payload.check_run;
    if (run.name !== CHECK_NAME || context.payload.requested_action?.identifier !== APPLY_FIXES_ACTION.identifier) return;
    const { owner, repo } = context.repo();
    const pullRequests = run.pull_requests.map((pullRequest) => pullRequest.number);
    await enqueue({ kind: 'apply-fixes', installationId: installationOf(context), owner, repo, headSha: run.head_sha, pullRequests, deliveryId: context.id });
  });
};

export default meshreadyApp;
