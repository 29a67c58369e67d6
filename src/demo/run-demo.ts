import { createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { Probot } from 'probot';
import { startServer } from '../github/intake/server.js';
import { createService } from '../github/service.js';
import { readSettings } from '../github/settings.js';
import { CHECK_NAME } from '../github/types.js';
import { FakeGitHub } from './fake-github.js';
import type { CheckRun } from './fake-github.js';
import { changedFiles, commitShaOf } from './pull-request.js';

export interface DemoOptions {
  baseDir: string;
  headDir: string;
  requestsFile?: string;
  /** How long to wait for the check run to complete. */
  timeoutMs?: number;
}

export interface PullRequestRun {
  base: Map<string, string>;
  head: Map<string, string>;
  timeoutMs?: number;
}

export interface DemoResult {
  github: FakeGitHub;
  account: string;
  checkRun: CheckRun | undefined;
}

const OWNER = 'demo-org';
const REPO = 'mesh-app';
const WEBHOOK_SECRET = 'meshready-demo-secret';

async function readTree(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (directory: string): Promise<void> => {
    for (const entry of await readdir(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) files.set(relative(root, path).split(sep).join('/'), await readFile(path, 'utf8'));
    }
  };
  await walk(root);
  return files;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function listen(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  });
}

/** Serves the fake GitHub over loopback HTTP, answering JSON (or raw file text) as GitHub does. */
function serveFake(github: FakeGitHub) {
  return listen((request, response) => {
    void readBody(request).then((text) => {
      const answer = github.handle(request.method ?? 'GET', request.url ?? '/', text ? JSON.parse(text) : undefined);
      const index = github.requests.length - 1;
      setTimeout(() => {
        if (answer.drop) {
          request.socket.destroy();
          return;
        }
        const raw = typeof answer.body === 'string';
        const body = raw ? (answer.body as string) : JSON.stringify(answer.body);
        github.answerBytes[index] = Buffer.byteLength(body);
        response.writeHead(answer.status, { 'content-type': raw ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8', ...answer.headers });
        response.end(body);
      }, answer.delayMs ?? 0);
    });
  });
}

export function signWebhook(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return undefined;
}

/**
 * Runs the real app against the loopback fake GitHub: a pull request from `baseDir` to
 * `headDir`, a signed `pull_request.opened` webhook over HTTP, then an account of what the
 * app posted.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const result = await runPullRequest({
    base: await readTree(options.baseDir),
    head: await readTree(options.headDir),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  if (options.requestsFile) {
    await writeFile(options.requestsFile, result.github.requests.map((request) => JSON.stringify(request)).join('\n') + '\n');
  }
  return result;
}

/** The demo's machinery on file trees held in memory: also what the benchmark drives. */
/** The fake GitHub holding pull request #1 from `base` to `head`, served on loopback. */
export function servePullRequest(base: Map<string, string>, head: Map<string, string>): Promise<ServedGitHub> {
  return servePullRequests([{ base, head }]);
}

export interface ServedGitHub {
  github: FakeGitHub;
  url: string;
  close: () => void;
}

/** The fake GitHub holding pull requests #1, #2, ... one for each base and head, served on loopback. */
export async function servePullRequests(pullRequests: { base: Map<string, string>; head: Map<string, string> }[]): Promise<ServedGitHub> {
  const github = new FakeGitHub(OWNER, REPO);
  pullRequests.forEach(({ base, head }, index) => {
    const number = index + 1;
    const headRef = number === 1 ? 'mesh-onboarding' : `mesh-onboarding-${number}`;
    const baseSha = commitShaOf(base);
    // Pull requests of the same files still need heads of their own.
    const headSha = commitShaOf(number === 1 ? head : new Map([...head, ['.meshready-pull-request', String(number)]]));
    github.addCommit(baseSha, Object.fromEntries(base));
    github.addCommit(headSha, Object.fromEntries(head), [baseSha]);
    github.refs.set(`${OWNER}/${REPO}:${headRef}`, headSha);
    for (const [path, text] of base) if (path.startsWith('.github/')) github.defaultBranchFiles.set(path, text);
    github.pulls.set(number, {
      number,
      state: 'open',
      draft: false,
      headSha,
      headRef,
      headRepo: `${OWNER}/${REPO}`,
      baseRef: 'main',
      maintainerCanModify: false,
      files: changedFiles(base, head),
    });
  });
  const fake = await serveFake(github);
  github.baseUrl = fake.url;
  return { github, url: fake.url, close: () => fake.server.close() };
}

/** Sends the signed `pull_request.opened` webhook of a pull request to an app; resolves with the HTTP answer. */
export async function deliverOpened(github: FakeGitHub, appUrl: string, secret: string, number = 1): Promise<Response> {
  const payload = JSON.stringify({
    action: 'opened',
    number,
    pull_request: github.pullJson(github.pulls.get(number)!),
    repository: { name: REPO, full_name: `${OWNER}/${REPO}`, owner: { login: OWNER }, private: false },
    installation: { id: 1 },
    sender: { login: 'octocat', type: 'User' },
  });
  return fetch(`${appUrl}/api/github/webhooks`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'pull_request',
      'x-github-delivery': randomUUID(),
      'x-hub-signature-256': signWebhook(secret, payload),
    },
    body: payload,
  });
}

/** Sends the signed `pull_request.opened` webhook to an app and waits for its check run to complete. */
export async function deliverAndWait(github: FakeGitHub, appUrl: string, secret: string, timeoutMs = 60_000): Promise<CheckRun | undefined> {
  const delivery = await deliverOpened(github, appUrl, secret);
  if (!delivery.ok) throw new Error(`the app refused the webhook: HTTP ${delivery.status} ${await delivery.text()}`);
  return waitFor(() => github.checkRuns.find((run) => run.name === CHECK_NAME && run.status === 'completed'), timeoutMs);
}

export function generatePrivateKey(): string {
  return generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } })
    .privateKey;
}

/** The real app, in this process, against the fake GitHub serving the pull request. */
export async function runPullRequest({ base, head, timeoutMs }: PullRequestRun): Promise<DemoResult> {
  const fake = await servePullRequest(base, head);
  const probot = new Probot({ appId: 1, privateKey: generatePrivateKey(), secret: WEBHOOK_SECRET, baseUrl: fake.url, logLevel: 'warn' });
  const settings = readSettings({ WEBHOOK_SECRET });
  const service = createService(settings);
  await probot.load(service.app);
  // The production intake (what `npm start` serves) in front of the app.
  const app = await startServer(probot, { server: { port: 0, host: '127.0.0.1' }, intake: settings.intake });
  try {
    const checkRun = await deliverAndWait(fake.github, `http://127.0.0.1:${app.port}`, WEBHOOK_SECRET, timeoutMs);
    return { github: fake.github, checkRun, account: describeOutcome(fake.github, checkRun) };
  } finally {
    app.close();
    await service.close(5_000);
    fake.close();
  }
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n');
}

/** What a person would see on the pull request, as text. */
export function describeOutcome(github: FakeGitHub, checkRun: CheckRun | undefined): string {
  const pull = github.pulls.get(1)!;
  const lines = [`Pull request #1 ${github.owner}/${github.repo}: ${pull.files.length} changed files (${pull.files.map((file) => `${file.filename} ${file.status}`).join(', ')})`, ''];
  if (!checkRun) {
    lines.push('The check run did not complete in time.');
    return lines.join('\n');
  }
  lines.push(`Check run "${checkRun.name}": ${checkRun.status}, conclusion ${checkRun.conclusion}`, `  ${checkRun.output.title ?? ''}`, '', indent(checkRun.output.summary ?? '', '  '), '');
  lines.push(`Annotations (${checkRun.output.annotations.length}):`);
  for (const annotation of checkRun.output.annotations as { path: string; start_line: number; annotation_level: string; title: string; message: string }[]) {
    lines.push(`  ${annotation.path}:${annotation.start_line} ${annotation.annotation_level} ${annotation.title}`, `    ${annotation.message}`);
  }
  lines.push('');
  for (const review of github.reviews) {
    lines.push(`Review (${review.event}): ${review.body}`);
    for (const comment of github.reviewComments) {
      const where = comment.start_line !== null ? `${comment.start_line}-${comment.line}` : `${comment.line}`;
      lines.push(`  ${comment.path}:${where} (${comment.side})`, indent(comment.body.replace(/\n<!-- meshready:fingerprint=[0-9a-f]+ -->$/, ''), '    '), '');
    }
  }
  if (github.reviews.length === 0) lines.push('No review: no finding on the changed lines.');
  lines.push('', `${github.requests.length} API requests: ${github.requests.map((request) => `${request.method} ${request.path.split('?')[0]}`).join(', ')}`);
  return lines.join('\n');
}
