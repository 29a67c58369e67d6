import { deliverAndWait, generatePrivateKey, servePullRequest } from '../demo/run-demo.js';
import { generateCorpus } from './corpus.js';
import { freePort, peakRssMb, startApp, waitUntilUp } from './processes.js';

export interface ReviewFigures {
  files: number;
  requests: number;
  wallMs: number;
  peakRssMb: number;
  conclusion: string;
  annotations: number;
  comments: number;
}

const SECRET = 'bench-secret';

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
  const app = startApp({ fakeUrl: fake.url, port, privateKey: generatePrivateKey(), secret: SECRET, stderr: 'inherit' });
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
