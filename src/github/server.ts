import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createProbot } from 'probot';
import type { Probot } from 'probot';
import { meshreadyApp } from './app.js';
import type { Logger } from './types.js';

/** GitHub caps a webhook payload at 25 MB: a larger body is no delivery of GitHub's. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;
/** How long a delivery's body may take to arrive. */
const BODY_TIME_LIMIT_MS = 10_000;

export interface IntakeLimits {
  maxBytes: number;
  bodyTimeMs: number;
}

const GITHUB_LIMITS: IntakeLimits = { maxBytes: MAX_WEBHOOK_BYTES, bodyTimeMs: BODY_TIME_LIMIT_MS };
export const WEBHOOK_PATH = '/api/github/webhooks';

type Handler = (request: IncomingMessage, response: ServerResponse) => boolean | void | Promise<boolean | void>;

class RefusedDelivery extends Error {
  constructor(
    readonly status: number,
    reason: string,
  ) {
    super(reason);
  }
}

/** The raw body, refused (413) as soon as it passes the cap, or (408) when it comes too slowly: never buffered whole first. */
function readBoundedBody(request: IncomingMessage, { maxBytes, bodyTimeMs }: IntakeLimits): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      reject(new RefusedDelivery(413, `body of ${declared} bytes is over GitHub's ${maxBytes}-byte cap`));
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    const timer = setTimeout(() => {
      request.pause();
      reject(new RefusedDelivery(408, `body did not arrive within ${bodyTimeMs / 1000} s`));
    }, bodyTimeMs);
    request.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes) {
        clearTimeout(timer);
        request.pause();
        reject(new RefusedDelivery(413, `body over GitHub's ${maxBytes}-byte cap`));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

export function signatureMatches(secret: string, body: Buffer, signature: string | undefined): boolean {
  if (!signature?.startsWith('sha256=')) return false;
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Webhook intake in front of Probot: the body is bounded while it streams, the signature
 * is verified before anything else (no answer, no queueing, no parsing before it), and a
 * refused delivery is logged as one short line — its id, size and why — never its payload.
 * A verified event is handed to the app, which only queues it, and answered at once.
 */
export function webhookHandler(probot: Probot, secret: string, log: Logger, limits: IntakeLimits = GITHUB_LIMITS): Handler {
  return async (request, response) => {
    if ((request.url ?? '').split('?')[0] !== WEBHOOK_PATH) return false;
    const delivery = header(request, 'x-github-delivery') ?? '(no delivery id)';
    const refuse = (status: number, reason: string, size: number | string) => {
      log.warn(`webhook ${delivery} refused (${status}): ${reason}; ${size} bytes`);
      response.writeHead(status, { 'content-type': 'text/plain', connection: 'close' }).end(`${reason}\n`);
    };
    if (request.method !== 'POST') {
      response.writeHead(405, { allow: 'POST' }).end();
      return true;
    }
    let body: Buffer;
    try {
      body = await readBoundedBody(request, limits);
    } catch (error) {
      refuse(error instanceof RefusedDelivery ? error.status : 400, (error as Error).message, header(request, 'content-length') ?? 'unknown');
      return true;
    }
    if (!signatureMatches(secret, body, header(request, 'x-hub-signature-256'))) {
      refuse(401, 'signature missing or wrong', body.length);
      return true;
    }
    const name = header(request, 'x-github-event');
    let payload: unknown;
    try {
      payload = JSON.parse(body.toString('utf8'));
    } catch {
      refuse(400, 'payload is not JSON', body.length);
      return true;
    }
    if (!name || typeof payload !== 'object' || payload === null) {
      refuse(400, 'no event name or no payload', body.length);
      return true;
    }
    try {
      await probot.receive({ id: delivery, name, payload } as Parameters<Probot['receive']>[0]);
      response.writeHead(202, { 'content-type': 'text/plain' }).end('queued\n');
    } catch (error) {
      log.error(`webhook ${delivery} (${name}) could not be queued: ${(error as Error).message}`);
      response.writeHead(500, { 'content-type': 'text/plain' }).end('could not queue the event\n');
    }
    return true;
  };
}

/**
 * `npm start`: the app behind its own HTTP server, configured as `probot run` is (APP_ID,
 * PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, GHE_HOST/GHE_PROTOCOL, PORT, HOST,
 * LOG_LEVEL) plus REDIS_URL; `/ping`, `/healthz`, `/metrics` beside the webhook path.
 */
export async function startServer(env: NodeJS.ProcessEnv = process.env): Promise<{ close: () => void; port: number }> {
  const secret = env.WEBHOOK_SECRET || (env.NODE_ENV === 'production' ? '' : 'development');
  const probot = createProbot({ env: { ...env, WEBHOOK_SECRET: secret } });
  const handlers: Handler[] = [webhookHandler(probot, secret, probot.log)];
  await probot.load(meshreadyApp, { cwd: process.cwd(), addHandler: (handler: Handler) => handlers.push(handler) });
  const server = createServer((request, response) => {
    void (async () => {
      if (request.method === 'GET' && request.url === '/ping') {
        response.writeHead(200, { 'content-type': 'text/plain' }).end('PONG');
        return;
      }
      for (const handler of handlers) if (await handler(request, response)) return;
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    })().catch((error: unknown) => {
      probot.log.error(`request failed: ${(error as Error).message}`);
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  const port = Number(env.PORT ?? 3000);
  await new Promise<void>((resolve) => server.listen(port, env.HOST ?? '0.0.0.0', resolve));
  probot.log.info(`meshready listening on ${env.HOST ?? '0.0.0.0'}:${port}`);
  return { close: () => server.close(), port };
}
