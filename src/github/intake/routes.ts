import type { Probot } from 'probot';
import { jobIdOf, queueAnalysis } from '../jobs/job.js';
import type { MeshreadyJob } from '../jobs/job.js';
import type { JobQueue } from '../jobs/queue.js';
import { webhooksHandled } from '../metrics.js';
import { APPLY_FIXES_ACTION, CHECK_NAME } from '../types.js';
import type { AnalysisMode } from '../types.js';

function installationOf(payload: { installation?: { id: number } }): number {
  return payload.installation?.id ?? 0;
}

/**
 * Event routing: each event the app subscribes to (app.yml) becomes a job, and nothing
 * else happens here — no GitHub request, no analysis: the delivery is answered at once.
 */
export function routeEvents(app: Probot, queue: JobQueue<MeshreadyJob>): void {
  const enqueue = async (job: MeshreadyJob): Promise<void> => {
    await queue.add(jobIdOf(job), job);
  };

  app.onAny(async (context) => {
    webhooksHandled.inc({ event: context.name, action: 'action' in context.payload ? String(context.payload.action) : '' });
  });

  app.on(['pull_request.opened', 'pull_request.synchronize', 'pull_request.reopened'], async (context) => {
    // Drafts wait for ready_for_review: authors push half-done work there.
    if (context.payload.pull_request.draft) return;
    await queueAnalysis(queue, context.repo(), context.payload.pull_request, { installationId: installationOf(context.payload), mode: 'fresh', deliveryId: context.id });
  });

  app.on('pull_request.ready_for_review', async (context) => {
    await queueAnalysis(queue, context.repo(), context.payload.pull_request, { installationId: installationOf(context.payload), mode: 'fresh', deliveryId: context.id });
  });

  /** A check suite or check run names a commit; the worker asks which open pull requests have it as head. */
  const resolve = async (
    context: { id: string; payload: { installation?: { id: number } }; repo(): { owner: string; repo: string } },
    headSha: string,
    listed: { number: number }[],
    mode: AnalysisMode,
  ) => {
    const { owner, repo } = context.repo();
    const pullRequests = listed.map((pullRequest) => pullRequest.number);
    await enqueue({ kind: 'resolve', installationId: installationOf(context.payload), owner, repo, headSha, pullRequests, mode, deliveryId: context.id });
  };

  app.on(['check_suite.requested', 'check_suite.rerequested'], async (context) => {
    const suite = context.payload.check_suite;
    await resolve(context, suite.head_sha, suite.pull_requests, context.payload.action === 'rerequested' ? 'rerun' : 'fresh');
  });

  app.on('check_run.rerequested', async (context) => {
    const run = context.payload.check_run;
    if (run.name !== CHECK_NAME) return;
    await resolve(context, run.head_sha, run.pull_requests, 'rerun');
  });

  app.on('check_run.requested_action', async (context) => {
    const run = context.payload.check_run;
    if (run.name !== CHECK_NAME || context.payload.requested_action?.identifier !== APPLY_FIXES_ACTION.identifier) return;
    const { owner, repo } = context.repo();
    const pullRequests = run.pull_requests.map((pullRequest) => pullRequest.number);
    await enqueue({ kind: 'apply-fixes', installationId: installationOf(context.payload), owner, repo, headSha: run.head_sha, pullRequests, deliveryId: context.id });
  });
}
