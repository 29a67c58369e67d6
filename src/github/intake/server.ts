import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Probot } from 'probot';
import { registry } from '../metrics.js';
import type { IntakeSettings, Settings } from '../settings.js';
import { webhookHandler } from './webhook.js';
import type { Handler } from './webhook.js';

/** `/ping` (the Dockerfile's health check), `/healthz` for probes and `/metrics` for Prometheus. */
async function operations(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
  const path = (request.url ?? '').split('?')[0];
  if (request.method !== 'GET') return false;
  if (path === '/ping') response.writeHead(200, { 'content-type': 'text/plain' }).end('PONG');
  else if (path === '/healthz') response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
  else if (path === '/metrics') response.writeHead(200, { 'content-type': registry.contentType }).end(await registry.metrics());
  else return false;
  return true;
}

export interface RunningServer {
  port: number;
  close(): void;
}

/**
 * The HTTP side of the service: webhooks (verified, bounded, answered at once) and the
 * operations endpoints. `probot` must have the app loaded: Probot creates its logger only
 * when it has initialised, and a refusal logged before then would throw instead.
 */
export async function startServer(probot: Probot, settings: { server: Settings['server']; intake: IntakeSettings }): Promise<RunningServer> {
  await probot.ready();
  const log = probot.log;
  const handlers: Handler[] = [operations, webhookHandler(probot, log, settings.intake)];
  const server = createServer((request, response) => {
    void (async () => {
      for (const handler of handlers) if (await handler(request, response)) return;
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    })().catch((error: unknown) => {
      log.error({ err: error }, `request failed: ${(error as Error).message}`);
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(settings.server.port, settings.server.host, resolve));
  const { port } = server.address() as AddressInfo;
  log.info(`meshready listening on ${settings.server.host}:${port}`);
  return { port, close: () => server.close() };
}
