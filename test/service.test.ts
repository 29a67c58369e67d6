import type { Probot } from 'probot';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InProcessJobQueue } from '../src/github/jobs/in-process-queue.js';
import { LockBusyError } from '../src/github/jobs/queue.js';
import { isTransient } from '../src/github/failures.js';
import type { FakeGitHub } from '../src/demo/fake-github.js';
import { HEAD_SHA, createProbot, interceptGitHub, pullRequestEvent, pullRequestScenario, releaseGitHub, webhookExample } from './support/app-harness.js';

const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: i, securityContext: {runAsGroup: 1337}}]}\n';
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

let probot: Probot;
beforeEach(async () => {
  probot = await createProbot();
});
afterEach(() => releaseGitHub());

async function deliver(github: FakeGitHub, event: { id: string; name: string; payload: unknown }): Promise<void> {
  interceptGitHub(github);
  await probot.receive(event as Parameters<Probot['receive']>[0]);
  releaseGitHub();
}

/** A run a killed worker left behind: created, never completed. */
function orphanRun(github: FakeGitHub, headSha: string): void {
  github.checkRuns.push({ id: 1, name: 'meshready', head_sha: headSha, status: 'in_progress', conclusion: null, output: { annotations: [] }, actions: [] });
}

describe('the review service', () => {
  it('takes over a run left in progress by a worker that died, on the next event for that commit', async () => {
    const { github } = pullRequestScenario({}, { 'k8s/pod.yaml': POD });
    orphanRun(github, HEAD_SHA);
    // A redelivery: before, a run "existing" made the app skip the commit for ever.
    await deliver(github, pullRequestEvent(github, 'opened'));
    expect(github.checkRuns.map((run) => [run.id, run.status, run.conclusion])).toEqual([[1, 'completed', 'failure']]);
    expect(github.requests.filter((request) => request.method === 'POST' && request.path.endsWith('/check-runs'))).toEqual([]);
  });

  it("completes an older head's orphaned run as superseded once the pull request has moved on", async () => {
    const { github } = pullRequestScenario({}, { 'k8s/pod.yaml': POD });
    orphanRun(github, HEAD_SHA);
    const newer = 'e'.repeat(40);
    github.addCommit(newer, { 'k8s/pod.yaml': POD.replace('1337', '1000') }, [HEAD_SHA]);
    const older = pullRequestEvent(github, 'synchronize');
    (older.payload.pull_request as { updated_at: string }).updated_at = '2026-11-25T10:00:00Z';
    github.pulls.get(2)!.headSha = newer;
    const newerEvent = pullRequestEvent(github, 'synchronize');
    (newerEvent.payload.pull_request as { updated_at: string }).updated_at = '2026-11-25T10:01:00Z';
    await deliver(github, newerEvent);
    // The older head's event arrives late (redelivered): its work stands down.
    await deliver(github, { ...older, id: 'late' });
    expect(github.checkRuns.map((run) => [run.head_sha, run.status, run.conclusion, run.output.title])).toEqual([
      [HEAD_SHA, 'completed', 'neutral', 'Superseded by a newer commit'],
      [newer, 'completed', 'success', '2 notices'],
    ]);
  });

  it('a re-run makes a new run; redeliveries and the check suite of the same push make none', async () => {
    const { github } = pullRequestScenario({}, { 'k8s/pod.yaml': POD });
    const opened = pullRequestEvent(github, 'opened');
    const suite = webhookExample('check_suite', 'requested');
    Object.assign(suite.check_suite as object, { head_sha: HEAD_SHA, pull_requests: [{ number: 2 }] });
    await Promise.all([deliver(github, opened), deliver(github, { id: 'suite', name: 'check_suite', payload: suite }), deliver(github, opened)]);
    expect(github.checkRuns).toHaveLength(1);
    expect(github.reviews).toHaveLength(1);
    const rerun = webhookExample('check_run', 'rerequested');
    Object.assign(rerun.check_run as object, { name: 'meshready', head_sha: HEAD_SHA, pull_requests: [{ number: 2 }] });
    rerun.repository = webhookExample('pull_request', 'opened').repository;
    await deliver(github, { id: 'rerun', name: 'check_run', payload: rerun });
    expect(github.checkRuns.map((run) => run.conclusion)).toEqual(['failure', 'failure']);
    expect(github.reviews).toHaveLength(1);
  });
});

describe('the in-process queue', () => {
  const options = { name: 'test', concurrency: 2, attempts: 3, backoffMs: 1, lockTtlMs: 1_000, log: silent, retryable: isTransient };
  /** A failure as Octokit throws it when GitHub answers 502. */
  const badGateway = () => Object.assign(new Error('Bad Gateway'), { status: 502, request: { method: 'GET', url: '/repos/o/r/pulls/2/files' }, response: { headers: {} } });

  it('adds a job id once while it waits or runs, and again once it is done', async () => {
    const queue = new InProcessJobQueue<string>(options);
    const seen: string[] = [];
    queue.start(async (data) => {
      seen.push(data);
      await new Promise((resolve) => setTimeout(resolve, 10));
    });
    await Promise.all([queue.add('a', 'first'), queue.add('a', 'duplicate'), queue.add('b', 'other')]);
    await queue.idle();
    await queue.add('a', 'later');
    await queue.idle();
    expect(seen).toEqual(['first', 'other', 'later']);
  });

  it('tries a failing job again, telling the processor which try is the last', async () => {
    const queue = new InProcessJobQueue<string>(options);
    const tries: string[] = [];
    queue.start(async (data, attempt) => {
      tries.push(`${data}:${attempt.number}:${attempt.last}`);
      if (data === 'broken' || attempt.number < 2) throw badGateway();
    });
    await queue.add('x', 'flaky');
    await queue.add('y', 'broken');
    await queue.idle();
    expect(tries.sort()).toEqual(['broken:1:false', 'broken:2:false', 'broken:3:true', 'flaky:1:false', 'flaky:2:false']);
  });

  it('never tries again a failure that will not pass: a refusal, or a defect', async () => {
    const queue = new InProcessJobQueue<string>(options);
    const tries: string[] = [];
    queue.start(async (data, attempt) => {
      tries.push(`${data}:${attempt.number}`);
      if (data === 'refused') throw Object.assign(badGateway(), { status: 422, message: 'Validation Failed' });
      throw new TypeError("Cannot read properties of null (reading 'filename')");
    });
    await queue.add('x', 'refused');
    await queue.add('y', 'defect');
    await queue.idle();
    expect(tries.sort()).toEqual(['defect:1', 'refused:1']);
  });

  it('brings a job back while its key is locked elsewhere, without spending its tries', async () => {
    const queue = new InProcessJobQueue<string>(options);
    const tries: number[] = [];
    let busy = 5;
    queue.start(async (_data, attempt) => {
      tries.push(attempt.number);
      if (busy-- > 0) throw new LockBusyError('pr@sha');
    });
    await queue.add('x', 'waits');
    await queue.idle();
    expect(tries).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it("counts an installation's writes against GitHub's hourly budget, and says how long until a slot frees", async () => {
    const queue = new InProcessJobQueue<string>(options);
    expect([await queue.takeHourlySlot('writes:1', 3), await queue.takeHourlySlot('writes:1', 3), await queue.takeHourlySlot('writes:1', 3)]).toEqual([0, 0, 0]);
    const wait = await queue.takeHourlySlot('writes:1', 3);
    expect(wait).toBeGreaterThan(3_590_000);
    expect(wait).toBeLessThanOrEqual(3_600_000);
    // Another installation has a budget of its own.
    expect(await queue.takeHourlySlot('writes:2', 3)).toBe(0);
  });

  it('keeps two workers off one key', async () => {
    const queue = new InProcessJobQueue<string>(options);
    let release!: () => void;
    const holding = queue.withLock('pr@sha', () => new Promise<void>((resolve) => (release = resolve)));
    await expect(queue.withLock('pr@sha', async () => 'second')).rejects.toBeInstanceOf(LockBusyError);
    expect(await queue.withLock('pr@other', async () => 'other')).toBe('other');
    release();
    await holding;
    expect(await queue.withLock('pr@sha', async () => 'after')).toBe('after');
  });

  it('on close, takes no more jobs and waits for the running ones', async () => {
    const queue = new InProcessJobQueue<string>({ ...options, concurrency: 1 });
    const done: string[] = [];
    queue.start(async (data) => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      done.push(data);
    });
    await queue.add('a', 'running');
    await queue.add('b', 'waiting');
    await queue.close(5_000);
    await queue.add('c', 'after close');
    expect(done).toEqual(['running']);
  });
});
