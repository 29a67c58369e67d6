import { request as httpRequest, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '../src/demo/run-demo.js';
import { webhookHandler } from '../src/github/intake/webhook.js';
import { HEAD_SHA, WEBHOOK_SECRET, allRunsCompleted, createProbot, eventually, interceptGitHub, pullRequestEvent, pullRequestScenario, releaseGitHub } from './support/app-harness.js';

/**
 * meshready's webhook intake (`npm start` serves it) over loopback HTTP, with small limits
 * so that the tests need not send 25 MB: 1 MB and half a second for a body.
 */
describe('webhook intake over HTTP', () => {
  let port: number;
  let close: () => void;
  const logged: string[] = [];

  beforeAll(async () => {
    const probot = await createProbot();
    const log = { info: () => undefined, warn: (line: unknown) => logged.push(String(line)), error: (line: unknown) => logged.push(String(line)) };
    const handler = webhookHandler(probot, log, { webhookSecret: WEBHOOK_SECRET, maxBytes: 1024 * 1024, bodyTimeMs: 500 });
    const server = createServer((request, response) => void handler(request, response).then((handled) => handled || response.writeHead(404).end()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    close = () => server.close();
  });

  afterAll(() => close());

  /** One delivery; `chunks` are written one after another, `end: false` leaves the body unfinished. */
  const send = (headers: Record<string, string>, chunks: (string | Buffer)[], end = true) =>
    new Promise<{ status: number; body: string; at: number }>((resolve) => {
      const started = Date.now();
      const request = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/api/github/webhooks', headers: { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-github-delivery': 'delivery-1', ...headers } }, (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, body, at: Date.now() - started }));
      });
      request.on('error', () => resolve({ status: 0, body: '', at: Date.now() - started }));
      for (const chunk of chunks) request.write(chunk);
      if (end) request.end();
    });

  it('refuses unsigned and wrongly signed deliveries before queueing anything, and queues a signed one', async () => {
    const { github } = pullRequestScenario({}, { 'k8s/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: i, securityContext: {runAsGroup: 1337}}]}\n' });
    interceptGitHub(github);
    nock.enableNetConnect('127.0.0.1');
    try {
      const body = JSON.stringify(pullRequestEvent(github, 'opened').payload);
      expect((await send({}, [body])).status).toBe(401);
      expect((await send({ 'x-hub-signature-256': signWebhook('not-the-secret', body) }, [body])).status).toBe(401);
      expect(github.requests).toEqual([]);
      expect(await send({ 'x-hub-signature-256': signWebhook(WEBHOOK_SECRET, body) }, [body])).toMatchObject({ status: 202, body: 'queued\n' });
      await eventually(() => allRunsCompleted(github));
      expect(github.checkRuns).toMatchObject([{ head_sha: HEAD_SHA, status: 'completed', conclusion: 'failure' }]);
    } finally {
      releaseGitHub();
    }
  });

  it('refuses a body over the cap while it streams (413), declared or not, and logs one short line, never the payload', async () => {
    logged.length = 0;
    const forged = `{"x":"${'A'.repeat(3 * 1024 * 1024)}"}`;
    expect((await send({ 'content-length': String(forged.length), 'x-hub-signature-256': 'sha256=00' }, [forged])).status).toBe(413);
    // Chunked, with no length declared: refused once 1 MB has come.
    const chunk = Buffer.alloc(256 * 1024, 'B');
    expect((await send({ 'transfer-encoding': 'chunked' }, [chunk, chunk, chunk, chunk, chunk, chunk, chunk, chunk])).status).toBe(413);
    const unsigned = `{"action":"opened","secret":"${'C'.repeat(10_000)}"}`;
    expect((await send({}, [unsigned])).status).toBe(401);
    expect(logged).toHaveLength(3);
    for (const line of logged) {
      expect(line.length).toBeLessThan(200);
      expect(line).not.toMatch(/AAAA|BBBB|CCCC/);
    }
    expect(logged[2]).toBe(`webhook delivery-1 refused (401): signature missing or wrong; ${unsigned.length} bytes`);
  });

  it('never answers 2xx to a slow body before it is whole and verified', async () => {
    const answer = await send({ 'content-length': '1000' }, ['{"action":'], false);
    expect(answer.status).toBe(408);
  });
});
