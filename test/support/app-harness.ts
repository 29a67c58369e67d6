import { generateKeyPairSync } from 'node:crypto';
import nock from 'nock';
import { Probot, ProbotOctokit } from 'probot';
import { createService } from '../../src/github/service.js';
import { readSettings } from '../../src/github/settings.js';
import { FakeGitHub } from '../../src/demo/fake-github.js';
import type { FakeFile } from '../../src/demo/fake-github.js';
import type { GitDataLimits } from '../../src/demo/github-rules.js';
import { changedFiles } from '../../src/demo/pull-request.js';
import examples from '@octokit/webhooks-examples';

export const { privateKey: PRIVATE_KEY } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

export const WEBHOOK_SECRET = 'test-secret';

/** Probot 14 merges defaults shallowly: throttling is turned off with the function form. */
export const TestOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { ...(options.throttle as object), enabled: false },
}));

type Example = { action?: string; installation?: unknown; [key: string]: unknown };

/** A real payload from @octokit/webhooks-examples, deep-copied so a test may change it. */
export function webhookExample(name: string, action: string): Example {
  const entry = (examples as unknown as { name: string; examples: Example[] }[]).find((candidate) => candidate.name === name);
  const example = entry?.examples.find((candidate) => candidate.action === action && candidate.installation);
  if (!example) throw new Error(`no ${name}.${action} example with an installation`);
  return structuredClone(example);
}

/** Puts the fake GitHub behind nock, so the app's real Octokit talks to it (at github.com, or a GitHub Enterprise Server's `origin`). */
export function interceptGitHub(github: FakeGitHub, origin = 'https://api.github.com'): void {
  nock.disableNetConnect();
  for (const method of ['GET', 'POST', 'PATCH', 'PUT', 'DELETE']) {
    nock(origin)
      .persist()
      .intercept(/.*/, method)
      .reply((uri, requestBody, callback) => {
        const body = typeof requestBody === 'string' && requestBody !== '' ? JSON.parse(requestBody) : requestBody === '' ? undefined : requestBody;
        const answer = github.handle(method, uri, body);
        const raw = typeof answer.body === 'string';
        setTimeout(() => {
          if (answer.drop) callback(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), [0, '']);
          else callback(null, [answer.status, raw ? (answer.body as string) : JSON.stringify(answer.body), { 'content-type': raw ? 'text/plain' : 'application/json; charset=utf-8', ...answer.headers }]);
        }, answer.delayMs ?? 0);
      });
  }
}

export function releaseGitHub(): void {
  nock.cleanAll();
  nock.enableNetConnect();
}

/** The app in a Probot of its own, its settings read from `env` (the test process's environment by default). */
export async function createProbot(env: NodeJS.ProcessEnv = process.env): Promise<Probot> {
  const probot = new Probot({ appId: 1, privateKey: PRIVATE_KEY, secret: WEBHOOK_SECRET, Octokit: TestOctokit, logLevel: 'fatal' });
  const service = createService(readSettings(env));
  await probot.load(service.app);
  // Intake answers at once and leaves the work to the queue: a delivery is done when its jobs are.
  const receive = probot.receive.bind(probot);
  probot.receive = async (event) => {
    await receive(event);
    await service.settled();
  };
  return probot;
}

/** Markdown as GitHub shows it, for comparing prose: backslash escapes and entities undone. */
export function rendered(markdown: string | undefined): string {
  return (markdown ?? '').replace(/\\([\\`*_{}[\]()#+\-.!|<>@:~&])/g, '$1').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

/** Waits until `done()` holds, polling: the app answers webhooks at once and works after. */
export async function eventually(done: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the app to finish its work');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Every check run there is has completed, and there is at least one. */
export function allRunsCompleted(github: FakeGitHub): boolean {
  return github.checkRuns.length > 0 && github.checkRuns.every((run) => run.status === 'completed');
}

export const OWNER = 'Codertocat';
export const REPO = 'Hello-World';
/** The head commit of pull request #2 in the webhook examples. */
export const HEAD_SHA = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
export const BASE_SHA = 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e';

export interface Scenario {
  github: FakeGitHub;
  files: FakeFile[];
}

/** The fake GitHub holding pull request #2 of the examples, from `base` to `head` file trees. */
export function pullRequestScenario(
  base: Record<string, string>,
  head: Record<string, string>,
  options: { headRepo?: string; maintainerCanModify?: boolean; limits?: Partial<GitDataLimits> } = {},
): Scenario {
  const github = new FakeGitHub(OWNER, REPO, options.limits);
  github.addCommit(BASE_SHA, base);
  github.addCommit(HEAD_SHA, head, [BASE_SHA]);
  const files = changedFiles(new Map(Object.entries(base)), new Map(Object.entries(head)));
  github.pulls.set(2, {
    number: 2,
    state: 'open',
    draft: false,
    headSha: HEAD_SHA,
    headRef: 'changes',
    headRepo: options.headRepo ?? `${OWNER}/${REPO}`,
    baseRef: 'master',
    // The base branch's tip, as GitHub's `base.sha` names it: not the parent of a later head.
    baseSha: BASE_SHA,
    maintainerCanModify: options.maintainerCanModify ?? false,
    files,
  });
  github.refs.set(`${options.headRepo ?? `${OWNER}/${REPO}`}:changes`, HEAD_SHA);
  return { github, files };
}

/** The examples' `pull_request` payload, made to agree with the fake's pull request. */
export function pullRequestEvent(github: FakeGitHub, action: string, number = 2): { id: string; name: 'pull_request'; payload: Example } {
  const payload = webhookExample('pull_request', action === 'ready_for_review' || action === 'synchronize' || action === 'reopened' ? action : 'opened');
  payload.action = action;
  payload.number = number;
  const pull = github.pullJson(github.pulls.get(number)!) as { head: unknown; base: { sha?: string }; changed_files: number; maintainer_can_modify: boolean; draft: boolean };
  const pullRequest = payload.pull_request as Record<string, unknown>;
  Object.assign(pullRequest, {
    number,
    head: { ...(pullRequest.head as object), ...(pull.head as object) },
    base: { ...(pullRequest.base as object), ...(pull.base.sha !== undefined ? { sha: pull.base.sha } : {}) },
    changed_files: pull.changed_files,
    maintainer_can_modify: pull.maintainer_can_modify,
    draft: pull.draft,
  });
  return { id: `delivery-${action}-${number}`, name: 'pull_request', payload };
}
