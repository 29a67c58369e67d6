import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { analyze } from '../core/analyze.js';
import { DEFAULT_CONFIG } from '../core/config.js';
import type { MeshreadyConfig } from '../core/config.js';
import { readChartDirectory } from '../cli/template.js';
import { forgetKeptRenders } from '../core/helm/render-cache.js';

/**
 * `npm run bench -- helm`: every fixture chart (fixtures/charts/) with its defaults and with
 * each of its ci/ values files, linted by meshready in this process as `meshready lint CHART`
 * lints it (the chart read from disk, rendered, analysed, findings placed on template and
 * values lines, fixes proven by rendering again: all of it timed) against `helm template`
 * v4.1.4 run as a process per render, as a pipeline that lints charts runs it. Each round
 * runs every render with one and then every render with the other, the first of them taking
 * turns, so that the machine's noise falls on both alike; each render's figure is its median
 * over the rounds. meshready's renders follow one another, as they do in `meshready lint`
 * over a repository and in the app's worker: with a helm process between every two of them
 * (measured: about a third slower) the figure would be of the cold caches helm leaves, which
 * no real run has.
 */

const here = dirname(fileURLToPath(import.meta.url));
// From src/bench (the tests) and dist/bench (the bench) alike.
const ROOT = join(here, '../..');
export const FIXTURE_CHARTS = join(ROOT, 'fixtures/charts');
export const FIXTURE_RELEASE = 'fixture';
const ROUNDS = 5;
const TARGET = 5;

export interface FixtureRender {
  /** `chart` or `chart with ci/x-values.yaml`. */
  name: string;
  chart: string;
  /** Values files, as paths from fixtures/charts/ (`chart/ci/x-values.yaml`). */
  values: string[];
}

/** Every chart under fixtures/charts/ with its defaults, then with each of its ci/ values files, in name order. */
export function fixtureRenders(): FixtureRender[] {
  const charts = readdirSync(FIXTURE_CHARTS, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(FIXTURE_CHARTS, entry.name, 'Chart.yaml')))
    .map((entry) => entry.name)
    .sort();
  return charts.flatMap((chart) => {
    const ci = join(FIXTURE_CHARTS, chart, 'ci');
    const valuesFiles = existsSync(ci) ? readdirSync(ci).filter((name) => /\.ya?ml$/.test(name)).sort() : [];
    return [
      { name: chart, chart, values: [] },
      ...valuesFiles.map((file) => ({ name: `${chart} with ci/${file}`, chart, values: [`${chart}/ci/${file}`] })),
    ];
  });
}

/** `helm template`'s arguments for a render, from fixtures/charts/. */
export function fixtureHelmArgs(render: FixtureRender): string[] {
  return [FIXTURE_RELEASE, render.chart, ...render.values.flatMap((file) => ['-f', file])];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The config `meshready lint` runs a render with: the chart under helm's release name, with the render's values files. */
function lintConfig(render: FixtureRender): MeshreadyConfig {
  return { ...DEFAULT_CONFIG, helm: { ...DEFAULT_CONFIG.helm, charts: [{ path: render.chart, releaseName: FIXTURE_RELEASE, values: render.values }] } };
}

/** `meshready lint CHART` in process: the chart read as the CLI reads it and analysed; the findings, or why the chart was not rendered. */
function lintChart(render: FixtureRender): number | string {
  const files = readChartDirectory(join(FIXTURE_CHARTS, render.chart));
  const report = analyze([], lintConfig(render), { filterPaths: false, charts: [{ root: render.chart, files }] });
  const notRendered = report.skipped.find((skip) => skip.reason.startsWith('chart not rendered') || skip.reason.startsWith('values file'));
  return notRendered ? notRendered.reason : report.findings.length;
}

function helmPath(): string | undefined {
  const found = spawnSync('bash', [join(ROOT, 'scripts/helm.sh')], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

export function benchHelm(verdict: (ok: boolean) => string): void {
  const helm = helmPath();
  if (helm === undefined) {
    console.log('helm: scripts/helm.sh found no helm (linux-amd64 only, fetched with npm pack): comparison skipped');
    return;
  }
  const home = mkdtempSync(join(tmpdir(), 'meshready-bench-helm-'));
  const env = { ...process.env, HELM_CACHE_HOME: home, HELM_CONFIG_HOME: home, HELM_DATA_HOME: home };
  const renders = fixtureRenders();
  const ours = renders.map(() => [] as number[]);
  const theirs = renders.map(() => [] as number[]);
  const outcomes: (number | string)[] = [];
  const lintAll = (round: number) => {
    // Each round as one `meshready lint` run over the fixtures: what renders keep (trees, heads, keys) is made anew.
    forgetKeptRenders();
    renders.forEach((render, index) => {
      const start = performance.now();
      outcomes[index] = lintChart(render);
      if (round > 0) ours[index]!.push(performance.now() - start);
    });
  };
  const helmAll = (round: number) =>
    renders.forEach((render, index) => {
      const start = performance.now();
      const run = spawnSync(helm, ['template', ...fixtureHelmArgs(render)], { cwd: FIXTURE_CHARTS, env, stdio: 'ignore' });
      if (run.error) throw run.error;
      if (round > 0) theirs[index]!.push(performance.now() - start);
    });
  // Round 0 warms this process up (modules compiled, functions optimised) and is not counted.
  for (let round = 0; round <= ROUNDS; round++) {
    if (round % 2 === 0) {
      lintAll(round);
      helmAll(round);
    } else {
      helmAll(round);
      lintAll(round);
    }
  }
  rmSync(home, { recursive: true, force: true });
  const charts = new Set(renders.map((render) => render.chart));
  console.log(
    `Helm charts: ${renders.length} fixture renders of ${charts.size} charts, meshready lint (read, render, analyse, place, prove fixes) in process, one render after another, against helm template v4.1.4 as a process per render, medians of ${ROUNDS} rounds`,
  );
  const figures = renders.map((render, index) => ({ render, outcome: outcomes[index]!, meshreadyMs: median(ours[index]!), helmMs: median(theirs[index]!) }));
  const width = Math.max(...renders.map((render) => render.name.length));
  for (const { render, outcome, meshreadyMs, helmMs } of figures) {
    const result = typeof outcome === 'string' ? 'not rendered' : `${outcome} finding${outcome === 1 ? '' : 's'}`;
    console.log(`  ${render.name.padEnd(width)} ${result.padEnd(13)} meshready ${meshreadyMs.toFixed(1).padStart(6)} ms, helm ${helmMs.toFixed(1).padStart(6)} ms: ${(helmMs / meshreadyMs).toFixed(1).padStart(5)}x`);
  }
  console.log('  slowest five for meshready:');
  for (const { render, meshreadyMs, helmMs } of [...figures].sort((a, b) => b.meshreadyMs - a.meshreadyMs).slice(0, 5)) {
    console.log(`    ${render.name.padEnd(width)} meshready ${meshreadyMs.toFixed(1).padStart(6)} ms, helm ${helmMs.toFixed(1).padStart(6)} ms: ${(helmMs / meshreadyMs).toFixed(1).padStart(5)}x`);
  }
  const meshreadyTotal = figures.reduce((sum, figure) => sum + figure.meshreadyMs, 0);
  const helmTotal = figures.reduce((sum, figure) => sum + figure.helmMs, 0);
  const total = helmTotal / meshreadyTotal;
  const lowest = Math.min(...figures.map((figure) => figure.helmMs / figure.meshreadyMs));
  console.log(`  total: meshready ${meshreadyTotal.toFixed(0)} ms, helm ${helmTotal.toFixed(0)} ms: ${total.toFixed(2)}x faster, lowest render ${lowest.toFixed(1)}x (target >= ${TARGET}x overall) ${verdict(total >= TARGET)}`);
}
