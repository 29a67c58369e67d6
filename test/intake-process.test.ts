import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startApp, waitUntilUp } from '../src/bench/processes.js';
import { generatePrivateKey, servePullRequest, signWebhook } from '../src/demo/run-demo.js';
import type { ServedGitHub } from '../src/demo/run-demo.js';
import { MAX_WEBHOOK_BYTES } from '../src/github/settings.js';

const SECRET = 'intake-secret';
const PAYLOAD = JSON.stringify({ action: 'opened', number: 1, installation: { id: 1 } });

/**
 * `npm start` as production runs it (dist/github/start.js, its own process, NODE_ENV=production,
 * logging JSON at `info`): each delivery it refuses gets its own status and one log line, and
 * nothing reaches the queue or GitHub. `npm test` builds dist/ first.
 */
describe('the production entry refusing deliveries', () => {
  let app: ChildProcess;
  let fake: ServedGitHub;
  let port: number;
  const lines: string[] = [];

  beforeAll(async () => {
    fake = await servePullRequest(new Map(), new Map([['k8s/pod.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n']]));
    port = await freePort();
    app = startApp({
      fakeUrl: fake.url,
      port,
      privateKey: generatePrivateKey(),
      secret: SECRET,
      env: { LOG_LEVEL: 'info', LOG_FORMAT: 'json', MESHREADY_WEBHOOK_BODY_TIMEOUT_MS: '1000' },
      stdout: 'pipe',
    });
    let pending = '';
    app.stdout!.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const complete = pending.split('\n');
      pending = complete.pop()!;
      lines.push(...complete);
    });
    await waitUntilUp(`http://127.0.0.1:${port}/healthz`);
  }, 30_000);

  afterAll(() => {
    app?.kill();
    fake?.close();
  });

  /**
   * One delivery over a raw connection: `write` sends the body (or part of it) and may stop
   * once the answer has come; the messages logged while it ran are returned with the status.
   */
  async function deliver(headers: Record<string, string>, write: (send: (chunk: string | Buffer) => Promise<void>, answered: () => boolean) => Promise<void>) {
    const before = lines.length;
    let answered = false;
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(
        { host: '127.0.0.1', port, method: 'POST', path: '/api/github/webhooks', headers: { 'content-type': 'application/json', 'x-github-event': 'pull_request', ...headers } },
        (response) => {
          answered = true;
          response.resume();
          resolve(response.statusCode!);
        },
      );
      // The server closes a refused connection: writes after the answer may fail, and do not
      // matter; a sender still writing may even see the close before the answer (status 0).
      request.on('error', (error: NodeJS.ErrnoException) => {
        if (answered) return;
        if (error.code === 'EPIPE' || error.code === 'ECONNRESET') resolve(0);
        else reject(error);
      });
      const closed = once(request, 'close');
      const send = async (chunk: string | Buffer) => {
        if (!request.write(chunk)) await Promise.race([new Promise((drained) => request.once('drain', drained)), closed]);
      };
      void write(send, () => answered).then(() => answered || request.end(), () => undefined);
    });
    // Each refusal logs one line; give a second one every chance to show.
    for (let wait = 0; wait < 40 && lines.length === before; wait++) await new Promise((resolve) => setTimeout(resolve, 25));
    await new Promise((resolve) => setTimeout(resolve, 200));
    return { status, logged: lines.slice(before).map((line) => (JSON.parse(line) as { msg: string }).msg) };
  }

  const whole = (body: string) => async (send: (chunk: string) => Promise<void>) => send(body);

  it('unsigned: 401', async () => {
    expect(await deliver({ 'x-github-delivery': 'unsigned' }, whole(PAYLOAD))).toEqual({
      status: 401,
      logged: [`webhook unsigned refused (401): signature missing or wrong; ${PAYLOAD.length} bytes`],
    });
  });

  it('signed with another secret: 401', async () => {
    expect(await deliver({ 'x-github-delivery': 'forged', 'x-hub-signature-256': signWebhook('not-the-secret', PAYLOAD) }, whole(PAYLOAD))).toEqual({
      status: 401,
      logged: [`webhook forged refused (401): signature missing or wrong; ${PAYLOAD.length} bytes`],
    });
  });

  it('declaring a body over 25 MB: 413 before the body is read', async () => {
    const declared = MAX_WEBHOOK_BYTES + 1;
    expect(await deliver({ 'x-github-delivery': 'declared', 'content-length': String(declared) }, whole('{"action":'))).toEqual({
      status: 413,
      logged: [`webhook declared refused (413): body of ${declared} bytes is over GitHub's ${MAX_WEBHOOK_BYTES}-byte cap; ${declared} bytes`],
    });
  });

  it('streaming a body over 25 MB with no length declared: 413 once the cap is passed', async () => {
    const megabyte = Buffer.alloc(1024 * 1024, 'A');
    const answer = await deliver({ 'x-github-delivery': 'streamed', 'transfer-encoding': 'chunked' }, async (send, answered) => {
      for (let sent = 0; sent < 30 && !answered(); sent++) await send(megabyte);
    });
    // Past the cap the server answers and closes while the sender is still writing: TCP may
    // reset the connection before the sender reads the answer. What must hold is the refusal.
    expect(answer.logged).toEqual([`webhook streamed refused (413): body over GitHub's ${MAX_WEBHOOK_BYTES}-byte cap; unknown bytes`]);
    expect([413, 0]).toContain(answer.status);
  });

  it('a body that trickles in slower than the time limit (1 s here): 408', async () => {
    const started = Date.now();
    const answer = await deliver({ 'x-github-delivery': 'slow', 'content-length': '1000' }, async (send, answered) => {
      for (let part = 0; part < 40 && !answered(); part++) {
        await send('{');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    });
    expect(answer).toEqual({ status: 408, logged: ['webhook slow refused (408): body did not arrive within 1 s; 1000 bytes'] });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('signed, but not JSON: 400', async () => {
    const body = 'action=opened';
    expect(await deliver({ 'x-github-delivery': 'form', 'x-hub-signature-256': signWebhook(SECRET, body) }, whole(body))).toEqual({
      status: 400,
      logged: [`webhook form refused (400): payload is not JSON; ${body.length} bytes`],
    });
  });

  it('queued nothing and asked GitHub nothing for any of them', async () => {
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/^meshready_queue_depth 0$/m);
    expect(metrics).not.toMatch(/^meshready_webhooks_total\{/m);
    expect(fake.github.requests).toEqual([]);
  });
});
