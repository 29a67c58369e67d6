import { runPullRequest } from '../demo/run-demo.js';
import { generateCorpus } from './corpus.js';

/**
 * One end-to-end review of a generated pull request of N files against the loopback
 * fake GitHub, in a process of its own so that its peak RSS is its own. Prints JSON.
 */
const fileCount = Number(process.argv[2] ?? 300);
// Two documents a file (a Deployment and its Service, or a ConfigMap), as most repos have.
const files = generateCorpus(fileCount * 2, 2);
const head = new Map(files.map((file) => [file.path, file.text]));
const base = new Map([['.github/meshready.yml', 'failOn: error\n']]);
head.set('.github/meshready.yml', 'failOn: error\n');

const started = performance.now();
const result = await runPullRequest({ base, head, timeoutMs: 600_000 });
const wallMs = performance.now() - started;
const checkRun = result.checkRun;
console.log(
  JSON.stringify({
    files: fileCount,
    requests: result.github.requests.length,
    requestList: result.github.requests.map((request) => `${request.method} ${request.path.split('?')[0]}`),
    wallMs: Math.round(wallMs),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    conclusion: checkRun?.conclusion ?? 'did not complete',
    annotations: checkRun?.output.annotations.length ?? 0,
    comments: result.github.reviewComments.length,
  }),
);
