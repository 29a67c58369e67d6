import { Writable } from 'node:stream';
import nock from 'nock';
import { pino } from 'pino';
import { Probot } from 'probot';
import { describe, expect, it } from 'vitest';
import { FAKE_INSTALLATION_TOKEN } from '../src/demo/fake-github.js';
import { startServer } from '../src/github/intake/server.js';
import { createService } from '../src/github/service.js';
import { readSettings } from '../src/github/settings.js';
import { signWebhook } from '../src/demo/run-demo.js';
import { PRIVATE_KEY, TestOctokit, WEBHOOK_SECRET, allRunsCompleted, eventually, interceptGitHub, pullRequestEvent, pullRequestScenario, releaseGitHub } from './support/app-harness.js';

const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: i, securityContext: {runAsGroup: 1337}}]}\n';

/** The app behind a loopback HTTP server, as it runs in production, logging everything to memory. */
async function serve() {
  const logs: string[] = [];
  const log = pino({ level: 'trace' }, new Writable({ write: (chunk, _encoding, done) => (logs.push(String(chunk)), done()) }));
  const probot = new Probot({ appId: 1, privateKey: PRIVATE_KEY, secret: WEBHOOK_SECRET, Octokit: TestOctokit, log });
  const settings = readSettings({ ...process.env, WEBHOOK_SECRET });
  await probot.load(createService(settings).app);
  const server = await startServer(probot, { server: { port: 0, host: '127.0.0.1' }, intake: settings.intake });
  const url = `http://127.0.0.1:${server.port}`;
  const deliver = (payload: unknown) => {
    const body = JSON.stringify(payload);
    return fetch(`${url}/api/github/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-github-delivery': 'd-1', 'x-hub-signature-256': signWebhook(WEBHOOK_SECRET, body) },
      body,
    });
  };
  return { url, logs, deliver, close: () => server.close() };
}

describe('operations', () => {
  it('answers /healthz and counts webhooks, analyses and GitHub requests on /metrics', async () => {
    const app = await serve();
    const { github } = pullRequestScenario({}, { 'k8s/pod.yaml': POD });
    interceptGitHub(github);
    nock.enableNetConnect('127.0.0.1');
    try {
      expect(await (await fetch(`${app.url}/healthz`)).json()).toEqual({ status: 'ok' });
      expect((await app.deliver(pullRequestEvent(github, 'opened').payload)).status).toBe(202);
      await eventually(() => allRunsCompleted(github));
      let metrics = '';
      for (let poll = 0; poll < 200 && !metrics.includes('meshready_analysis_duration_seconds_count{conclusion="failure"} 1'); poll++) {
        metrics = await (await fetch(`${app.url}/metrics`)).text();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(metrics).toMatch(/^meshready_webhooks_total\{event="pull_request",action="opened"\} [1-9]/m);
      expect(metrics).toMatch(/^meshready_analysis_duration_seconds_count\{conclusion="failure"\} [1-9]/m);
      expect(metrics).toMatch(/^meshready_github_requests_total\{method="POST",status="201"\} [1-9]/m);
      expect(metrics).toMatch(/^meshready_process_resident_memory_bytes \d+/m);
      expect(metrics).toMatch(/^meshready_jobs_total\{kind="analyze",outcome="done"\} [1-9]/m);
      expect(metrics).toMatch(/^meshready_queue_depth \d+/m);
    } finally {
      releaseGitHub();
      app.close();
    }
  });

  it('never logs the private key, the webhook secret or an installation token, even when GitHub fails', async () => {
    const app = await serve();
    const { github } = pullRequestScenario({}, { 'k8s/pod.yaml': POD });
    github.faults.push((request) => (request.path.includes('/files') ? { status: 500, body: { message: 'boom' } } : undefined));
    interceptGitHub(github);
    nock.enableNetConnect('127.0.0.1');
    try {
      await app.deliver(pullRequestEvent(github, 'opened').payload);
      await eventually(() => allRunsCompleted(github));
      await app.deliver({ ...pullRequestEvent(github, 'opened').payload, action: 'synchronize' });
      await eventually(() => app.logs.join('').includes('meshready analysis failed'));
    } finally {
      releaseGitHub();
      app.close();
    }
    const written = app.logs.join('');
    expect(written).toContain('meshready analysis failed');
    const keyBody = PRIVATE_KEY.split('\n')[1]!;
    for (const secret of [keyBody, WEBHOOK_SECRET, FAKE_INSTALLATION_TOKEN]) expect(written).not.toContain(secret);
  });

  it('refuses to start in production without a webhook secret', () => {
    expect(() => readSettings({ NODE_ENV: 'production' })).toThrow('WEBHOOK_SECRET must be set when NODE_ENV=production');
    expect(() => readSettings({ NODE_ENV: 'production', WEBHOOK_SECRET: 's' })).not.toThrow();
    expect(() => readSettings({ NODE_ENV: 'development' })).not.toThrow();
  });
});
