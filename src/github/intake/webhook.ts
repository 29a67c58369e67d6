import type { IncomingMessage, ServerResponse } from 'node:http';
import { verify } from '@octokit/webhooks-methods';
import type { Probot } from 'probot';
import type { IntakeSettings } from '../settings.js';
import type { Logger } from '../types.js';

export const WEBHOOK_PATH = '/api/github/webhooks';

export type Handler = (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;

type WebhookEvent = Parameters<Probot['receive']>[0];

class RefusedDelivery extends Error {
  constructor(
    readonly status: number,
    reason: string,
  ) {
    super(reason);
  }
}

/** The raw body, refused (413) as soon as it passes the cap, or (408) when it comes too slowly: never buffered whole first. */
function readBoundedBody(request: IncomingMessage, { maxBytes, bodyTimeMs }: IntakeSettings): Promise<Buffer> {
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

/** GitHub's `X-Hub-Signature-256` over the raw body; `verify` refuses what it cannot check (no signature, an empty body). */
async function signatureMatches(secret: string, body: Buffer, signature: string | undefined): Promise<boolean> {
  if (!signature || body.length === 0) return false;
  return verify(secret, body.toString('utf8'), signature).catch(() => false);
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
export function webhookHandler(probot: Probot, log: Logger, settings: IntakeSettings): Handler {
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
      body = await readBoundedBody(request, settings);
    } catch (error) {
      refuse(error instanceof RefusedDelivery ? error.status : 400, (error as Error).message, header(request, 'content-length') ?? 'unknown');
      return true;
    }
    if (!(await signatureMatches(settings.webhookSecret, body, header(request, 'x-hub-signature-256')))) {
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
      // Signed by GitHub: the payload is the event its name says (Probot routes it by that name).
      await probot.receive({ id: delivery, name, payload } as WebhookEvent);
      response.writeHead(202, { 'content-type': 'text/plain' }).end('queued\n');
    } catch (error) {
      log.error(`webhook ${delivery} (${name}) could not be queued: ${(error as Error).message}`);
      response.writeHead(500, { 'content-type': 'text/plain' }).end('could not queue the event\n');
    }
    return true;
  };
}
