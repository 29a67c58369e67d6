import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { analyze } from '../core/analyze.js';
import type { SourceFile } from '../core/types.js';
import { renderTemplateCommand } from '../cli/template.js';
import type { TemplateCommandOptions } from '../cli/template.js';

/**
 * `npm run bench -- helm`: every fixture chart (fixtures/charts/) with its defaults and with
 * each of its ci/ values files, rendered and linted by meshready in this process against
 * `helm template` v4.1.4 run as a process per render, as a pipeline that lints charts runs
 * it. The two alternate render by render, round after round, so that the machine's noise
 * falls on both alike; each render's figure is its median over the rounds.
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

/** meshready's render of a fixture, and a lint of what it rendered: the findings, or helm's error. */
function renderAndLint(render: FixtureRender): number | string {
  const options: TemplateCommandOptions = { values: render.values, set: [], setString: [], setJson: [], setFile: [], setLiteral: [], apiVersions: [], includeCrds: false, isUpgrade: false };
  const result = renderTemplateCommand([FIXTURE_RELEASE, render.chart], options, FIXTURE_CHARTS);
  if (!result.ok) return result.error;
  // Each template's documents as one file, as the user's chart has them.
  const byTemplate = new Map<string, string[]>();
  for (const manifest of result.manifests) byTemplate.set(manifest.name, [...(byTemplate.get(manifest.name) ?? []), manifest.text.text]);
  const files: SourceFile[] = [...byTemplate].map(([path, documents]) => ({ path, text: documents.join('\n---\n') }));
  return analyze(files).findings.length;
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
  // Round 0 warms this process up (modules compiled, functions optimised) and is not counted.
  for (let round = 0; round <= ROUNDS; round++) {
    renders.forEach((render, index) => {
      let start = performance.now();
      outcomes[index] = renderAndLint(render);
      const meshreadyMs = performance.now() - start;
      start = performance.now();
      const run = spawnSync(helm, ['template', ...fixtureHelmArgs(render)], { cwd: FIXTURE_CHARTS, env, stdio: 'ignore' });
      const helmMs = performance.now() - start;
      if (run.error) throw run.error;
      if (round > 0) {
        ours[index]!.push(meshreadyMs);
        theirs[index]!.push(helmMs);
      }
    });
  }
  rmSync(home, { recursive: true, force: true });
  const charts = [...new Set(renders.map((render) => render.chart))];
  const ratios: number[] = [];
  let meshreadyTotal = 0;
  let helmTotal = 0;
  console.log(`Helm charts: ${renders.length} fixture renders of ${charts.length} charts, meshready render + lint in process against helm template v4.1.4 as a process per render, medians of ${ROUNDS} rounds`);
  for (const chart of charts) {
    const indexes = renders.flatMap((render, index) => (render.chart === chart ? [index] : []));
    const meshreadyMs = indexes.reduce((sum, index) => sum + median(ours[index]!), 0);
    const helmMs = indexes.reduce((sum, index) => sum + median(theirs[index]!), 0);
    const failed = indexes.filter((index) => typeof outcomes[index] === 'string').length;
    meshreadyTotal += meshreadyMs;
    helmTotal += helmMs;
    ratios.push(helmMs / meshreadyMs);
    const renderCount = `${indexes.length} render${indexes.length === 1 ? '' : 's'}${failed > 0 ? ` (${failed} helm's error)` : ''}`;
    console.log(`  ${chart.padEnd(32)} ${renderCount.padEnd(28)} meshready ${meshreadyMs.toFixed(0).padStart(5)} ms, helm ${helmMs.toFixed(0).padStart(6)} ms: ${(helmMs / meshreadyMs).toFixed(1).padStart(5)}x`);
  }
  const total = helmTotal / meshreadyTotal;
  console.log(`  total: meshready ${meshreadyTotal.toFixed(0)} ms, helm ${helmTotal.toFixed(0)} ms: ${total.toFixed(1)}x faster, slowest chart ${Math.min(...ratios).toFixed(1)}x (target >= ${TARGET}x overall) ${verdict(total >= TARGET)}`);
}
