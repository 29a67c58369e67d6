import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

/** A loopback port nothing listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Peak resident set of a process, from Linux's /proc (VmHWM); 0 once it is gone. */
export function peakRssMb(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((entry) => entry.startsWith('VmHWM:'));
    return Math.round(Number(line?.match(/(\d+)/)?.[1] ?? 0) / 1024);
  } catch {
    return 0;
  }
}

/** Resolves once `url` answers 2xx (the app's /healthz), or throws after 20 s. */
export async function waitUntilUp(url: string): Promise<void> {
  for (let attempt = 0; attempt < 400; attempt++) {
    if (await fetch(url).then((response) => response.ok, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the app did not start at ${url}`);
}

// From src/bench (the tests) and dist/bench (the bench) alike: the built entry.
const START = fileURLToPath(new URL('../../dist/github/start.js', import.meta.url));

/**
 * The app as production starts it (`npm start`: dist/github/start.js, its own process),
 * configured by Probot's environment and pointed at the loopback fake GitHub.
 */
export function startApp(options: { fakeUrl: string; port: number; privateKey: string; secret: string; env?: Record<string, string>; stdout?: 'pipe' | 'ignore'; stderr?: 'inherit' | 'ignore' }): ChildProcess {
  return spawn(process.execPath, [START], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      APP_ID: '1',
      PRIVATE_KEY: options.privateKey,
      WEBHOOK_SECRET: options.secret,
      PORT: String(options.port),
      HOST: '127.0.0.1',
      GHE_HOST: new URL(options.fakeUrl).host,
      GHE_PROTOCOL: 'http',
      LOG_LEVEL: 'error',
      ...options.env,
    },
    stdio: ['ignore', options.stdout ?? 'ignore', options.stderr ?? 'ignore'],
  });
}
