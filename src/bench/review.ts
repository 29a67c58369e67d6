import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { deliverAndWait, generatePrivateKey, servePullRequest } from '../demo/run-demo.js';
import { generateCorpus } from './corpus.js';

export interface ReviewFigures {
  files: number;
  requests: number;
  wallMs: number;
  peakRssMb: number;
  conclusion: string;
  annotations: number;
  comments: number;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SECRET = 'bench-secret';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Peak resident set of a process, from Linux's /proc (VmHWM). */
function peakRssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((entry) => entry.startsWith('VmHWM:'));
  return Math.round(Number(line?.match(/(\d+)/)?.[1] ?? 0) / 1024);
}

async function waitUntilUp(url: string): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (await fetch(url).then((response) => response.ok, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the app did not start at ${url}`);
}

/**
 * Reviews a generated pull request of `fileCount` files with the app started as in
 * production (`probot run`, its own process, GHE_HOST pointing at the fake GitHub served
 * here), so that the peak RSS measured is the app's alone.
 */
export async function reviewPullRequest(fileCount: number): Promise<ReviewFigures> {
  // Two documents a file (a Deployment and its Service, or a ConfigMap), as most repos have.
  const head = new Map(generateCorpus(fileCount * 2, 2).map((file) => [file.path, file.text]));
  const config = 'failOn: error\n';
  head.set('.github/meshready.yml', config);
  const fake = await servePullRequest(new Map([['.github/meshready.yml', config]]), head);
  const port = await freePort();
  const app = spawn(process.execPath, [`${ROOT}/dist/github/start.js`], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      APP_ID: '1',
      PRIVATE_KEY: generatePrivateKey(),
      WEBHOOK_SECRET: SECRET,
      PORT: String(port),
      HOST: '127.0.0.1',
      GHE_HOST: new URL(fake.url).host,
      GHE_PROTOCOL: 'http',
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitUntilUp(`http://127.0.0.1:${port}/healthz`);
    const started = performance.now();
    const checkRun = await deliverAndWait(fake.github, `http://127.0.0.1:${port}`, SECRET, 600_000);
    const wallMs = Math.round(performance.now() - started);
    return {
      files: fileCount,
      requests: fake.github.requests.length,
      wallMs,
      peakRssMb: peakRssMb(app.pid!),
      conclusion: checkRun?.conclusion ?? 'did not complete',
      annotations: checkRun?.output.annotations.length ?? 0,
      comments: fake.github.reviewComments.length,
    };
  } finally {
    app.kill();
    fake.close();
  }
}
