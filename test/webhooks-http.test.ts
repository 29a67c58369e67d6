import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { createNodeMiddleware, Probot } from 'probot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meshreadyApp } from '../src/github/app.js';
import { signWebhook } from '../src/demo/run-demo.js';
import { HEAD_SHA, PRIVATE_KEY, TestOctokit, WEBHOOK_SECRET, allRunsCompleted, eventually, interceptGitHub, pullRequestEvent, pullRequestScenario, releaseGitHub } from './support/app-harness.js';

describe('webhooks over HTTP', () => {
  let url: string;
  let close: () => void;

  beforeAll(async () => {
    const probot = new Probot({ appId: 1, privateKey: PRIVATE_KEY, secret: WEBHOOK_SECRET, Octokit: TestOctokit, logLevel: 'fatal' });
    const middleware = await createNodeMiddleware(meshreadyApp, { probot });
    const server = createServer((request, response) => void middleware(request, response, () => response.writeHead(404).end()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
    close = () => server.close();
  });

  afterAll(() => close());

  const send = (body: string, signature: string | undefined) =>
    fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'pull_request',
        'x-github-delivery': 'delivery-1',
        ...(signature ? { 'x-hub-signature-256': signature } : {}),
      },
      body,
    });

  it('refuses unsigned and wrongly signed deliveries, and analyses a signed one', async () => {
    const { github } = pullRequestScenario({}, { 'k8s/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: i, securityContext: {runAsUser: 1337}}]}\n' });
    interceptGitHub(github);
    nock.enableNetConnect('127.0.0.1');
    try {
      const body = JSON.stringify(pullRequestEvent(github, 'opened').payload);
      expect((await send(body, undefined)).status).toBe(400);
      expect((await send(body, signWebhook('not-the-secret', body))).status).toBe(400);
      expect(github.requests).toEqual([]);
      expect((await send(body, signWebhook(WEBHOOK_SECRET, body))).status).toBe(200);
      await eventually(() => allRunsCompleted(github));
      expect(github.checkRuns).toMatchObject([{ head_sha: HEAD_SHA, status: 'completed', conclusion: 'failure' }]);
    } finally {
      releaseGitHub();
    }
  });
});
