import type { Probot } from 'probot';
import { configSizeProblem } from '../core/config.js';
import { checkNesting } from '../core/cst-compose.js';
import { isContentCreating } from './budgets.js';
import { githubRequests } from './metrics.js';
import type { Octokit } from './types.js';

/** Where an installation's write budgets are counted: the queue's store, so that every replica draws on one. */
export interface WriteSlots {
  /** 0 when a slot of the last hour was taken, else how many milliseconds until one frees. */
  takeHourlySlot(key: string, limit: number): Promise<number>;
  /** Takes the next turn of writes spaced `spacingMs` apart: how many milliseconds until it comes (0: now). */
  takeWriteTurn(key: string, spacingMs: number): Promise<number>;
}

export interface ClientOptions {
  /** How long one request may take once sent. */
  timeoutMs: number;
  slots: WriteSlots;
  writesPerMinute: number;
  writesPerHour: number;
}

/** What the hooks below read of a request (Octokit's endpoint options) and of its answer. */
interface RequestOptions {
  method: string;
  url: string;
  headers: { accept?: string | number | undefined };
  mediaType?: { format?: string };
  /** A GraphQL request's query. */
  query?: unknown;
}

interface Response {
  status: number;
  data: unknown;
}

/**
 * The API path a request goes to, as GitHub documents it: without host, GitHub Enterprise
 * Server's `/api/v3` or query, and GHES's GraphQL endpoint `/api/graphql` as `/graphql`
 * (Octokit's GraphQL client sends absolute URLs there).
 */
function pathOf(url: string): string {
  return url.replace(/^https?:\/\/[^/]+/, '').split('?')[0]!.replace(/^\/api\/v3(?=\/)/, '').replace(/^\/api\/graphql$/, '/graphql');
}

function isWrite(options: RequestOptions): boolean {
  return isContentCreating(options.method, pathOf(options.url), { query: options.query });
}

/** Bounds a request's time once it is sent: the wait for a write's budget is no hang. */
function limitTime(octokit: Octokit, timeoutMs: number): void {
  octokit.hook.before('request', (options) => {
    // The clock starts when fetch is called, not when the request is queued: the pacing may
    // hold a write back for its installation's budget.
    const send = options.request?.fetch ?? globalThis.fetch;
    options.request = {
      ...options.request,
      fetch: (url: string, init: RequestInit = {}) => {
        const limit = AbortSignal.timeout(timeoutMs);
        return send(url, { ...init, signal: init.signal ? AbortSignal.any([init.signal, limit]) : limit });
      },
    };
  });
}

function countRequests(octokit: Octokit): void {
  octokit.hook.error('request', (error, options) => {
    githubRequests.inc({ method: options.method, status: String((error as { status?: number }).status ?? 'network') });
    throw error;
  });
  octokit.hook.after('request', (response, options) => {
    githubRequests.inc({ method: options.method, status: String(response.status) });
  });
}

/**
 * A JSON body of 8 MB or more reaches Octokit's caller as a string (its JSON parser gives
 * up on a string that long): it is read as JSON all the same, so that no size of answer
 * makes a run "could not finish". Raw media types (a config file's text) stay text.
 */
function readJson(response: Response, options: RequestOptions): void {
  if (typeof response.data !== 'string' || options.mediaType?.format || !/json/.test(String(options.headers.accept ?? ''))) return;
  try {
    response.data = JSON.parse(response.data);
  } catch {
    throw new Error(`GitHub's answer to ${options.method} ${options.url} is not the JSON it was asked for`);
  }
}

/**
 * Probot's config loader parses the file with yaml's recursive composer, which a 20 MB
 * file or thousands of nested levels can bring down with the whole process (see
 * MAX_NESTING): such a file is refused as it arrives, and the loader's failure becomes a
 * config error like any other (a neutral run naming it).
 */
function guardConfig(response: Response, options: RequestOptions): void {
  if (typeof response.data !== 'string' || !options.url.includes('/contents/')) return;
  const tooLarge = configSizeProblem(Buffer.byteLength(response.data, 'utf8'));
  if (tooLarge) throw new Error(tooLarge);
  checkNesting(response.data);
}

function decorate(octokit: Octokit, timeoutMs: number): Octokit {
  limitTime(octokit, timeoutMs);
  countRequests(octokit);
  octokit.hook.after('request', (response, options) => {
    readJson(response, options);
    guardConfig(response, options);
  });
  return octokit;
}

/**
 * Holds an installation's content-creating requests to GitHub's budgets: spaced to its 80 a
 * minute (no burst GitHub could take for abuse), within its 500 an hour. Both are counted
 * in the queue's store, so that every replica draws on the same budget. Nothing else waits:
 * reads, GraphQL queries and token requests go at once.
 */
function paceWrites(octokit: Octokit, installationId: number, slots: WriteSlots, perMinute: number, perHour: number): void {
  const key = `writes:${installationId}`;
  const spacingMs = 60_000 / perMinute;
  octokit.hook.before('request', async (options) => {
    if (!isWrite(options)) return;
    for (let wait = await slots.takeHourlySlot(key, perHour); wait > 0; wait = await slots.takeHourlySlot(key, perHour)) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 60_000)));
    }
    const turn = await slots.takeWriteTurn(key, spacingMs);
    if (turn > 0) await new Promise((resolve) => setTimeout(resolve, turn));
  });
}

/**
 * The installation's client as Probot makes it (its authentication, retries, logging and
 * config loader), without Probot's throttling plugin: that spaces every write a second
 * apart and every review three (as "notification-triggering"), GraphQL queries included —
 * slower than GitHub's budget, and per replica rather than per installation. meshready paces
 * the writes itself (paceWrites).
 */
async function unthrottledClient(app: Probot, installationId: number): Promise<Octokit> {
  const asApp = await app.auth();
  const client = await asApp.auth({
    type: 'installation',
    installationId,
    factory: ({ octokit, octokitOptions }: { octokit: Octokit; octokitOptions: { auth?: object } }) => {
      const Client = octokit.constructor as new (options: object) => Octokit;
      return new Client({ ...octokitOptions, throttle: { enabled: false }, auth: { ...octokitOptions.auth, installationId } });
    },
  });
  return client as Octokit;
}

/**
 * One installation's client: each request's time bounded, counted in /metrics, long JSON
 * answers read, a hostile config file refused; writes paced to GitHub's budgets.
 */
async function buildClient(app: Probot, installationId: number, options: ClientOptions): Promise<Octokit> {
  const client = decorate(await unthrottledClient(app, installationId), options.timeoutMs);
  paceWrites(client, installationId, options.slots, options.writesPerMinute, options.writesPerHour);
  return client;
}

/** Clients kept at most: an app installed in thousands of organisations keeps those at work lately. */
const KEPT_CLIENTS = 500;

/** The GitHub clients of a service: one per installation, built on first use and kept (the most recently used). */
export class GitHubClients {
  /** In order of last use, oldest first. */
  private readonly clients = new Map<number, Promise<Octokit>>();

  constructor(
    private readonly app: Probot,
    private readonly options: ClientOptions,
  ) {}

  for(installationId: number): Promise<Octokit> {
    let client = this.clients.get(installationId);
    this.clients.delete(installationId);
    if (!client) {
      const built = buildClient(this.app, installationId, this.options);
      // A client that could not be built is not kept: the next job builds it again.
      built.catch(() => this.clients.get(installationId) === built && this.clients.delete(installationId));
      client = built;
    }
    this.clients.set(installationId, client);
    for (const oldest of this.clients.keys()) {
      if (this.clients.size <= KEPT_CLIENTS) break;
      this.clients.delete(oldest);
    }
    return client;
  }
}
