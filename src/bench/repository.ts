import { deliverOpened, generatePrivateKey, servePullRequests } from '../demo/run-demo.js';
import type { FakeGitHub, RecordedRequest } from '../demo/fake-github.js';
import { CHECK_NAME } from '../github/types.js';
import { generateCorpus } from './corpus.js';
import { freePort, startApp, waitUntilUp } from './processes.js';

const SECRET = 'repository-bench-secret';
/** Changed files GitHub's GraphQL batch held before whole-repository reads: one query for up to 300 (read.ts then). */
const CHANGED_FILES_PER_QUERY = 300;

export interface PullRequestReads {
  number: number;
  /** Every request of the pull request's analysis, and by kind. */
  requests: number;
  compare: number;
  trees: number;
  blobQueries: number;
  restBlobs: number;
  /** Bytes of every answer GitHub (the fake) sent for it, and of the blobs it read. */
  answerBytes: number;
  blobBytes: number;
  /** Blobs found in the app's cache, and read from GitHub. */
  cacheHits: number;
  cacheMisses: number;
  /** What the same pull request cost before whole-repository reads: the same requests, with the changed files' text in one query per 300 files instead of the trees and blobs. */
  before: number;
  conclusion: string;
}

type Kind = 'compare' | 'trees' | 'blobQueries' | 'restBlobs' | 'other';

function kindOf(request: RecordedRequest): Kind {
  if (/\/compare\//.test(request.path)) return 'compare';
  if (/\/git\/trees\//.test(request.path) && request.method === 'GET') return 'trees';
  if (/\/git\/blobs\/[0-9a-f]{40}/.test(request.path) && request.method === 'GET') return 'restBlobs';
  if (request.path === '/graphql' && /\bobject\s*\(/.test(JSON.stringify(request.body))) return 'blobQueries';
  return 'other';
}

/** The app's counters at /metrics, by name and labels (`meshready_blob_cache_lookups_total{result="miss"}`). */
async function metrics(appUrl: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${appUrl}/metrics`)).text();
  return new Map(
    text
      .split('\n')
      .filter((line) => line.startsWith('meshready_'))
      .map((line) => {
        const at = line.lastIndexOf(' ');
        return [line.slice(0, at), Number(line.slice(at + 1))] as const;
      }),
  );
}

async function completed(github: FakeGitHub, headSha: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = github.checkRuns.find((candidate) => candidate.name === CHECK_NAME && candidate.head_sha === headSha && candidate.status === 'completed');
    if (run) return run.conclusion ?? 'none';
    if (Date.now() > deadline) return 'did not complete';
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * A repository of `manifests` files (two documents each, as most repos have), and two pull
 * requests from its default branch, each changing one file, reviewed one after the other
 * by the app as production starts it (its own process, its blob cache in memory): what the
 * first pull request reads of the repository, and what the next one adds.
 */
export async function readRepository(manifests: number): Promise<PullRequestReads[]> {
  const config = 'failOn: error\n';
  const base = new Map<string, string>([['.github/meshready.yml', config], ...generateCorpus(manifests * 2, 2).map((file) => [file.path, file.text] as const)]);
  // Each pull request sets a Deployment's pod to run as the sidecar's UID: a finding on its changed line.
  const changedPaths = [...base].filter(([path, text]) => path.endsWith('.yaml') && /runAsUser: (?!1337)\d+/.test(text)).slice(0, 2).map(([path]) => path);
  const changeOf = (path: string) => new Map([...base, [path, base.get(path)!.replace(/runAsUser: (?!1337)\d+/, 'runAsUser: 1337')]]);
  const fake = await servePullRequests(changedPaths.map((path) => ({ base, head: changeOf(path) })));
  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  const app = startApp({ fakeUrl: fake.url, port, privateKey: generatePrivateKey(), secret: SECRET, stderr: 'inherit' });
  try {
    await waitUntilUp(`${appUrl}/healthz`);
    const figures: PullRequestReads[] = [];
    for (const number of [1, 2]) {
      const before = await metrics(appUrl);
      const from = fake.github.requests.length;
      const delivery = await deliverOpened(fake.github, appUrl, SECRET, number);
      await delivery.text();
      const conclusion = await completed(fake.github, fake.github.pulls.get(number)!.headSha, 600_000);
      const after = await metrics(appUrl);
      const counter = (name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);
      const requests = fake.github.requests.slice(from);
      const count = (kind: Kind) => requests.filter((request) => kindOf(request) === kind).length;
      const changedManifests = fake.github.pulls.get(number)!.files.filter((file) => file.filename.endsWith('.yaml')).length;
      figures.push({
        number,
        requests: requests.length,
        compare: count('compare'),
        trees: count('trees'),
        blobQueries: count('blobQueries'),
        restBlobs: count('restBlobs'),
        answerBytes: fake.github.answerBytes.slice(from).reduce((sum, bytes) => sum + (bytes ?? 0), 0),
        blobBytes: counter('meshready_blob_bytes_read_total'),
        cacheHits: counter('meshready_blob_cache_lookups_total{result="memory"}') + counter('meshready_blob_cache_lookups_total{result="redis"}'),
        cacheMisses: counter('meshready_blob_cache_lookups_total{result="miss"}'),
        before: count('other') + Math.ceil(changedManifests / CHANGED_FILES_PER_QUERY),
        conclusion,
      });
    }
    return figures;
  } finally {
    app.kill();
    fake.close();
  }
}
