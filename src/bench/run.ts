import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseAllDocuments } from 'yaml';
import { analyze } from '../core/analyze.js';
import { generateCorpus } from './corpus.js';
import { readRepository } from './repository.js';
import { reviewPullRequest } from './review.js';
import { runFleet } from './fleet.js';
import { benchHelm } from './helm.js';

const DOCUMENTS = 20_000;
const ROUNDS = 7;
const here = dirname(fileURLToPath(import.meta.url));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(work: () => void): number {
  const start = performance.now();
  work();
  return performance.now() - start;
}

function verdict(ok: boolean): string {
  return ok ? 'OK' : 'MISSED';
}

/** `npm run bench -- cli helm engine review repository service` runs only the sections named; none named, all of them. */
const SECTIONS = ['cli', 'helm', 'engine', 'review', 'repository', 'service'];
const named = process.argv.slice(2);
const unknown = named.filter((name) => !SECTIONS.includes(name));
if (unknown.length > 0) {
  console.error(`unknown bench section ${unknown.join(', ')}: the sections are ${SECTIONS.join(', ')}`);
  process.exit(2);
}
const selected = (section: string) => named.length === 0 || named.includes(section);

// The generated corpus is the cli and engine sections' alone: `bench -- helm` does not build it.
const corpusNeeded = selected('cli') || selected('engine');
const files = corpusNeeded ? generateCorpus(DOCUMENTS) : [];
const megabytes = files.reduce((sum, file) => sum + Buffer.byteLength(file.text), 0) / (1024 * 1024);

if (corpusNeeded) console.log(`corpus: ${DOCUMENTS} documents in ${files.length} files, ${megabytes.toFixed(1)} MB`);

// 1. The CLI against yamllint on the same files on disk, each as a whole command: first, before
// the in-process rounds below leave this process a large heap to collect, and alternating, so
// that the machine's noise falls on both alike. Wall time and CPU time (user + system, the
// command and its children, from the shell's `times`), on large files and on many small ones.
const yamllint = spawnSync('yamllint', ['--version'], { encoding: 'utf8' });

/** Wall and CPU milliseconds of a command, CPU time as the shell's `times` counts its children. */
function measure(command: string[]): { wallMs: number; cpuMs: number } {
  const quoted = command.map((word) => `'${word.replaceAll("'", "'\\''")}'`).join(' ');
  let output = '';
  const wallMs = time(() => {
    output = spawnSync('bash', ['-c', `${quoted} >/dev/null 2>&1; times`], { encoding: 'utf8' }).stdout;
  });
  // The second line of `times`: the children's user and system time, as 0m1.234s 0m0.056s.
  const seconds = [...(output.trim().split('\n')[1] ?? '').matchAll(/(\d+)m([\d.]+)s/g)].map((match) => Number(match[1]) * 60 + Number(match[2]));
  return { wallMs, cpuMs: seconds.reduce((sum, value) => sum + value, 0) * 1000 };
}

/** The CLI against yamllint on a directory, each as a whole command, alternating. */
function compareWithYamllint(label: string, directory: string): void {
  const cli = join(here, '../cli/main.js');
  const runs = { cli: [] as { wallMs: number; cpuMs: number }[], yamllint: [] as { wallMs: number; cpuMs: number }[] };
  for (let round = 0; round < 3; round++) {
    runs.cli.push(measure([process.execPath, cli, 'lint', directory, '--format', 'json']));
    runs.yamllint.push(measure(['yamllint', '-d', 'relaxed', directory]));
  }
  // As many runs of each, the fastest of each: noise only ever adds time.
  const best = (list: { wallMs: number; cpuMs: number }[], key: 'wallMs' | 'cpuMs') => Math.min(...list.map((run) => run[key]));
  const wall = best(runs.yamllint, 'wallMs') / best(runs.cli, 'wallMs');
  const cpu = best(runs.yamllint, 'cpuMs') / best(runs.cli, 'cpuMs');
  console.log(`CLI vs ${yamllint.stdout.trim()}, ${label}`);
  console.log(`  meshready lint  wall ${best(runs.cli, 'wallMs').toFixed(0)} ms, CPU ${best(runs.cli, 'cpuMs').toFixed(0)} ms`);
  console.log(`  yamllint        wall ${best(runs.yamllint, 'wallMs').toFixed(0)} ms, CPU ${best(runs.yamllint, 'cpuMs').toFixed(0)} ms`);
  console.log(`  meshready is ${wall.toFixed(1)}x faster by wall time, ${cpu.toFixed(1)}x by CPU time (target >= 10x each) ${verdict(wall >= 10 && cpu >= 10)}`);
}

/** The fixture charts (fixtures/charts/): in the corpus, meshready renders each and lints its render, where yamllint reads the templates as text. */
const FIXTURE_CHARTS = join(here, '../../fixtures/charts');

function compareOnCorpus(label: string, corpus: { path: string; text: string }[], withCharts = false): void {
  const size = corpus.reduce((sum, file) => sum + Buffer.byteLength(file.text), 0) / (1024 * 1024);
  const corpusDir = mkdtempSync(join(tmpdir(), 'meshready-bench-'));
  for (const file of corpus) {
    mkdirSync(dirname(join(corpusDir, file.path)), { recursive: true });
    writeFileSync(join(corpusDir, file.path), file.text);
  }
  if (withCharts) cpSync(FIXTURE_CHARTS, join(corpusDir, 'charts'), { recursive: true });
  const charts = withCharts ? `, and the ${readdirSync(FIXTURE_CHARTS, { withFileTypes: true }).filter((entry) => entry.isDirectory()).length} fixture charts rendered` : '';
  compareWithYamllint(`${label}: ${corpus.length} files, ${size.toFixed(1)} MB${charts}`, corpusDir);
  rmSync(corpusDir, { recursive: true, force: true });
}

/** A checkout named by MESHREADY_BENCH_REPOSITORY (Istio's, say): real files, where the generated ones are uniform. */
const repository = process.env.MESHREADY_BENCH_REPOSITORY;

if (!selected('cli')) {
  // not asked for
} else if (yamllint.error) {
  console.log('yamllint: not installed (apt-get install yamllint): throughput comparison skipped');
} else {
  compareOnCorpus('400 large files', files, true);
  compareOnCorpus('many small files (1 to 3 documents each)', generateCorpus(6_000, [1, 2, 3]));
  if (repository) compareWithYamllint(`the repository at ${repository}`, repository);
}

// 2. The engine against a plain parse of the same text, alternating so that noise falls on both.
function benchEngine(): void {
  let findings = 0;
  const parseTimes: number[] = [];
  const lintTimes: number[] = [];
  for (let round = 0; round <= ROUNDS; round++) {
    const parse = time(() => {
      for (const file of files) parseAllDocuments(file.text);
    });
    const lint = time(() => {
      findings = analyze(files).findings.length;
    });
    if (round > 0) {
      parseTimes.push(parse);
      lintTimes.push(lint);
    }
  }
  // The fastest round of each is the least disturbed by the machine's noise (noise only adds
  // time); the medians are printed too.
  const parseMs = Math.min(...parseTimes);
  const lintMs = Math.min(...lintTimes);
  const parseRatio = lintMs / parseMs;
  const medianRatio = median(lintTimes) / median(parseTimes);
  console.log(`engine in process: ${findings} findings`);
  console.log(`  yaml parseAllDocuments  ${parseMs.toFixed(0)} ms (${(megabytes / (parseMs / 1000)).toFixed(1)} MB/s)`);
  console.log(`  meshready analyze       ${lintMs.toFixed(0)} ms (${(megabytes / (lintMs / 1000)).toFixed(1)} MB/s)`);
  console.log(`  ratio lint/parse ${parseRatio.toFixed(2)} fastest rounds, ${medianRatio.toFixed(2)} medians (target <= 1.25) ${verdict(parseRatio <= 1.25)}`);
}

// 3. End-to-end reviews: the app in its own process against the loopback fake GitHub.
async function benchReviews(): Promise<void> {
  for (const [fileCount, target] of [
    // 12 before whole-repository reads; they may add 4 (the merge base and two trees take 3).
    [300, { requests: 12 + 4 }],
    [3000, { rssMb: 250 }],
  ] as const) {
    const run = await reviewPullRequest(fileCount);
    console.log(`review of a ${fileCount}-file pull request: ${run.requests} API requests, ${run.wallMs} ms, app peak RSS ${run.peakRssMb} MB; check ${run.conclusion}, ${run.annotations} annotations, ${run.comments} comments`);
    if ('requests' in target) console.log(`  requests ${run.requests} (target <= ${target.requests}) ${verdict(run.requests <= target.requests)}`);
    if ('rssMb' in target) console.log(`  peak RSS ${run.peakRssMb} MB (target <= ${target.rssMb} MB) ${verdict(run.peakRssMb <= target.rssMb)}`);
  }
}

// 4. Reading a repository whole: a first pull request, and the next one with the blob cache warm.
async function benchRepository(): Promise<void> {
  const manifests = 3_000;
  const [first, next] = await readRepository(manifests);
  console.log(`repository of ${manifests} manifests, two pull requests of one changed file each, one after the other (the app's own process, its blob cache in memory):`);
  for (const run of [first!, next!]) {
    const other = run.requests - run.compare - run.trees - run.blobQueries - run.restBlobs;
    console.log(
      `  pull request #${run.number}: ${run.requests} requests (compare ${run.compare}, trees ${run.trees}, blobs ${run.blobQueries} GraphQL + ${run.restBlobs} REST, other ${other}); ` +
        `${(run.answerBytes / (1024 * 1024)).toFixed(2)} MB answered, ${(run.blobBytes / 1024).toFixed(1)} KB of blobs read; blob cache ${run.cacheHits} hits, ${run.cacheMisses} misses; check ${run.conclusion}`,
    );
  }
  const firstReads = first!.trees + first!.blobQueries + first!.restBlobs;
  console.log(`  first pull request, trees and blobs of both commits: ${firstReads} requests (target <= 40) ${verdict(firstReads <= 40)}`);
  const added = next!.requests - next!.before;
  console.log(`  next pull request: ${next!.requests} requests, ${added >= 0 ? '+' : ''}${added} on the ${next!.before} it cost before whole-repository reads (target <= +4) ${verdict(added <= 4)}`);
}

// 5. The service under load: 50 pull requests of 20 files delivered at once, to one replica
// (the in-process queue) and to three sharing a real Redis (BullMQ); then the same three
// with one killed by SIGKILL while it analyses.
async function benchService(): Promise<void> {
  for (const fleet of [
    { label: '1 replica, in-process queue', replicas: 1, redis: false },
    { label: '3 replicas, BullMQ on Redis', replicas: 3, redis: true },
    { label: '3 replicas, one SIGKILLed mid-analysis', replicas: 3, redis: true, kill: 1 },
  ]) {
    const figures = await runFleet({ replicas: fleet.replicas, redis: fleet.redis, pullRequests: 50, filesPerPullRequest: 20, ...(fleet.kill ? { kill: fleet.kill } : {}) });
    console.log(`service, 50 pull requests of 20 files at once, ${fleet.label}:`);
    console.log(`  webhook answer p50 ${figures.answerP50Ms.toFixed(0)} ms, p99 ${figures.answerP99Ms.toFixed(0)} ms (target p99 <= 1000 ms) ${verdict(figures.answerP99Ms <= 1000)}`);
    console.log(
      `  every check run completed after ${(figures.allCompletedMs / 1000).toFixed(1)} s; GitHub's write budget (${figures.writes} writes at 80 a minute) allows ${(figures.writeBoundMs / 1000).toFixed(1)} s at best: ratio ${(figures.allCompletedMs / figures.writeBoundMs).toFixed(2)}` +
        (fleet.kill ? ' (a replica killed: its jobs wait for their locks to lapse)' : ` (target <= 1.2) ${verdict(figures.allCompletedMs / figures.writeBoundMs <= 1.2)}`),
    );
    console.log(`  reviews posted ${figures.reviews}/50 (target 50/50) ${verdict(figures.reviews === 50)}`);
    console.log(`  duplicate runs ${figures.duplicateRuns}, duplicate reviews ${figures.duplicateReviews}, runs left in progress ${figures.leftInProgress} (target 0) ${verdict(figures.duplicateRuns + figures.duplicateReviews + figures.leftInProgress === 0)}`);
    console.log(`  peak RSS per replica: ${figures.peakRssMb.map((mb) => (mb === 0 ? 'killed' : `${mb} MB`)).join(', ')}`);
    console.log(`  slowest /healthz answer while working ${figures.healthzMaxMs.toFixed(0)} ms (target <= 100 ms) ${verdict(figures.healthzMaxMs <= 100)}`);
    console.log(
      `  each replica's event-loop delay, max / p99: ${figures.eventLoop.map((delay) => (delay ? `${delay.maxMs.toFixed(0)} / ${delay.p99Ms.toFixed(0)} ms` : 'killed')).join(', ')}`,
    );
  }
}

// 2b. Helm charts: meshready's render and lint against helm template, a process per chart.
if (selected('helm')) benchHelm(verdict);
if (selected('engine')) benchEngine();
if (selected('review')) await benchReviews();
if (selected('repository')) await benchRepository();
if (selected('service')) await benchService();
