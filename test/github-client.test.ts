import { Probot } from 'probot';
import { afterEach, describe, expect, it } from 'vitest';
import { WRITES_PER_HOUR, WRITES_PER_MINUTE } from '../src/github/budgets.js';
import { GitHubClients } from '../src/github/client.js';
import type { WriteSlots } from '../src/github/client.js';
import { InProcessJobQueue } from '../src/github/jobs/in-process-queue.js';
import { HEAD_SHA, OWNER, PRIVATE_KEY, REPO, WEBHOOK_SECRET, interceptGitHub, pullRequestScenario, releaseGitHub } from './support/app-harness.js';

afterEach(() => releaseGitHub());

/** The in-process queue's budgets, as a single replica counts them. */
function budgets(): WriteSlots {
  return new InProcessJobQueue({ name: 'test', concurrency: 1, attempts: 1, backoffMs: 1, lockTtlMs: 1_000, log: console, retryable: () => false });
}

/** Probot's own Octokit (the tests' TestOctokit turns its throttling off), as production runs it; at github.com unless `baseUrl` names a GHES. */
function productionClients(slots: WriteSlots = budgets(), baseUrl?: string) {
  const probot = new Probot({ appId: 1, privateKey: PRIVATE_KEY, secret: WEBHOOK_SECRET, logLevel: 'fatal', ...(baseUrl ? { baseUrl } : {}) });
  return new GitHubClients(probot, { timeoutMs: 10_000, slots, writesPerMinute: WRITES_PER_MINUTE, writesPerHour: WRITES_PER_HOUR });
}

const BLOB_QUERY = 'query ($owner: String!, $name: String!, $e0: String!) { repository(owner: $owner, name: $name) { f0: object(expression: $e0) { ... on Blob { text } } } }';

describe("an installation's GitHub client", () => {
  it.each([
    ['github.com', 'https://api.github.com', undefined],
    // Octokit sends GraphQL to GHES's /api/graphql by an absolute URL.
    ['GitHub Enterprise Server', 'https://ghe.example', 'https://ghe.example/api/v3'],
  ])('paces writes to GitHub\'s 80 a minute, evenly, and sends a GraphQL query past them at once (%s)', async (_name, origin, baseUrl) => {
    const { github } = pullRequestScenario({}, { 'k8s/pod.yaml': 'kind: Pod\n' });
    interceptGitHub(github, origin);
    const octokit = await productionClients(budgets(), baseUrl).for(1);
    const started = Date.now();
    const since = () => Date.now() - started;
    const write = (index: number) =>
      octokit.rest.checks.create({ owner: OWNER, repo: REPO, name: `write-${index}`, head_sha: HEAD_SHA, status: 'in_progress', output: { title: 't', summary: 's' } }).then(since);
    const writes = Promise.all([write(1), write(2), write(3)]);
    const read = octokit.graphql<{ repository: { f0: { text: string } } }>(BLOB_QUERY, { owner: OWNER, name: REPO, e0: `${HEAD_SHA}:k8s/pod.yaml` }).then((answer) => ({ answer, at: since() }));
    const { answer, at } = await read;
    const written = await writes;
    expect(answer.repository.f0.text).toBe('kind: Pod\n');
    // 750 ms apart (80 a minute), not Probot's throttling's second (three for a review); the query waited for none of them.
    expect(written[2]! - written[1]!).toBeGreaterThanOrEqual(700);
    expect(written[2]!).toBeGreaterThanOrEqual(1_450);
    expect(written[2]!).toBeLessThan(1_900);
    expect(at).toBeLessThan(written[1]!);
    expect(at).toBeLessThan(700);
  });

  it.each([
    ['github.com', 'https://api.github.com', undefined],
    ['GitHub Enterprise Server', 'https://ghe.example', 'https://ghe.example/api/v3'],
  ])('is built once per installation, and draws only content-creating requests from the hourly budget (%s)', async (_name, origin, baseUrl) => {
    const { github } = pullRequestScenario({}, { 'k8s/pod.yaml': 'kind: Pod\n' });
    interceptGitHub(github, origin);
    const taken: string[] = [];
    const clients = productionClients({ takeHourlySlot: async (key) => (taken.push(key), 0), takeWriteTurn: async () => 0 }, baseUrl);
    const octokit = await clients.for(7);
    expect(await clients.for(7)).toBe(octokit);
    expect(await clients.for(8)).not.toBe(octokit);
    await octokit.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 2 });
    await octokit.graphql(BLOB_QUERY, { owner: OWNER, name: REPO, e0: `${HEAD_SHA}:k8s/pod.yaml` });
    await octokit.rest.checks.create({ owner: OWNER, repo: REPO, name: 'meshready', head_sha: HEAD_SHA, status: 'in_progress', output: { title: 't', summary: 's' } });
    expect(taken).toEqual(['writes:7']);
  });
});
