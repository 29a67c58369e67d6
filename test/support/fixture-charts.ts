import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { ROOT } from '../helpers.js';
import { helmBinary } from './helm-goldens.js';
import { FIXTURE_CHARTS as CHARTS_DIR, fixtureHelmArgs as helmArgs, fixtureRenders } from '../../src/bench/helm.js';
import type { FixtureRender } from '../../src/bench/helm.js';

export { CHARTS_DIR, fixtureRenders, helmArgs };
export type { FixtureRender };

/**
 * What real helm prints for every chart under fixtures/charts/, with its defaults and with
 * each of its `ci/*values.yaml` files, kept as goldens under
 * test/goldens/helm/fixture-charts/ (helm's stdout as it is, or its error), with the places
 * where two runs of helm differ (random names, generated certificates) listed in
 * `masks.json`. `MESHREADY_HELM_GOLDENS=update` renders them with real helm (twice, to find
 * the masks) and rewrites the files; `=check` renders them once and fails when helm no longer
 * prints what the goldens hold; `=read` reads the files as they are. Unset, they are checked
 * when the helm of scripts/helm.sh is there (`npm test`, and so `.ci/run`, fetches it first),
 * else read: the comparison runs where the binary cannot.
 */

const GOLDENS_DIR = join(ROOT, 'test/goldens/helm/fixture-charts');
const HELM_VERSION = 'v4.1.4';
/** Where scripts/helm.sh keeps the binary it fetched. */
const CACHED_HELM = join(ROOT, '.cache/helm', HELM_VERSION, 'helm');
/** How this run takes the goldens (see fixtureGoldens). */
const goldensMode = () => process.env.MESHREADY_HELM_GOLDENS ?? (existsSync(CACHED_HELM) ? 'check' : 'read');
/** Whether this run renders the fixtures with real helm, checking the goldens or refreshing them. */
export const checksGoldens = () => ['check', 'update'].includes(goldensMode());
const execFileAsync = promisify(execFile);

export interface HelmRenderOutcome {
  stdout?: string;
  error?: string;
}

/** A document of helm's output by its `# Source:` and its place among that source's documents; masked paths within it. */
export type Masks = Record<string, string[][]>;

async function renderWithHelm(helm: string, render: FixtureRender, home: string): Promise<HelmRenderOutcome> {
  const env = { ...process.env, HELM_CACHE_HOME: home, HELM_CONFIG_HOME: home, HELM_DATA_HOME: home };
  try {
    const { stdout } = await execFileAsync(helm, ['template', ...helmArgs(render)], { cwd: CHARTS_DIR, env, encoding: 'utf8', maxBuffer: 1 << 28 });
    return { stdout };
  } catch (failure) {
    const stderr = String((failure as { stderr?: string }).stderr ?? failure);
    return { error: stderr.slice(stderr.indexOf('Error: ')).trim() };
  }
}

/** helm's output as documents keyed by source and place, each parsed. */
export function documentsOf(stdout: string): Map<string, unknown> {
  const documents = new Map<string, unknown>();
  const counts = new Map<string, number>();
  for (const chunk of stdout.split(/^---\n/m)) {
    const source = /^# Source: (.*)$/m.exec(chunk)?.[1] ?? '(no source)';
    const index = counts.get(source) ?? 0;
    counts.set(source, index + 1);
    const parsed = parseAllDocuments(chunk).map((document) => document.toJS({ maxAliasCount: -1 }) as unknown);
    documents.set(`${source}#${index}`, parsed.length === 1 ? parsed[0] : parsed);
  }
  return documents;
}

/** The paths (keys and indexes) at which two parsed values differ. */
function differences(a: unknown, b: unknown, path: string[] = []): string[][] {
  if (a === b) return [];
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((key) => differences((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], [...path, key]));
  }
  return [path];
}

/** Masks where two renders by helm differ: documents present in only one, and paths within the others. */
function masksBetween(first: string, second: string): Masks {
  const a = documentsOf(first);
  const b = documentsOf(second);
  const masks: Masks = {};
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const paths = a.has(key) && b.has(key) ? differences(a.get(key), b.get(key)) : [[]];
    if (paths.length > 0) masks[key] = paths;
  }
  return masks;
}

/** A parsed document with its masked paths replaced by a marker, so that two renders compare equal where helm itself varies. */
export function masked(value: unknown, paths: string[][] = []): unknown {
  if (paths.some((path) => path.length === 0)) return '<masked>';
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> | unknown[] = Array.isArray(value) ? [] : {};
  for (const [key, child] of Object.entries(value)) {
    const below = paths.filter((path) => path[0] === key).map((path) => path.slice(1));
    (out as Record<string, unknown>)[key] = below.length > 0 ? masked(child, below) : child;
  }
  return out;
}

function goldenFile(render: FixtureRender): string {
  const variant = render.values.length === 0 ? 'defaults' : render.values.map((file) => file.split('/').at(-1)!.replace(/\.ya?ml$/, '')).join('+');
  return join(GOLDENS_DIR, render.chart, `${variant}.yaml`);
}

export interface FixtureGolden extends HelmRenderOutcome {
  masks: Masks;
}

function readGolden(render: FixtureRender, allMasks: Record<string, Masks>): FixtureGolden {
  const path = goldenFile(render);
  const errorPath = path.replace(/\.yaml$/, '.error.txt');
  if (existsSync(errorPath)) return { error: readFileSync(errorPath, 'utf8').trimEnd(), masks: {} };
  if (!existsSync(path)) throw new Error(`${path} is missing: run with MESHREADY_HELM_GOLDENS=update (needs scripts/helm.sh)`);
  return { stdout: readFileSync(path, 'utf8'), masks: allMasks[render.name] ?? {} };
}

function sameModuloMasks(stdout: string, golden: FixtureGolden): boolean {
  const ours = documentsOf(stdout);
  const theirs = documentsOf(golden.stdout ?? '');
  if (ours.size !== theirs.size) return false;
  for (const [key, value] of theirs) {
    if (!ours.has(key) || JSON.stringify(masked(ours.get(key), golden.masks[key])) !== JSON.stringify(masked(value, golden.masks[key]))) return false;
  }
  return true;
}

/** helm's outcome for every fixture render, as the goldens hold it (refreshed or checked against real helm, see the module's comment). */
export async function fixtureGoldens(renders: FixtureRender[]): Promise<Map<string, FixtureGolden>> {
  const mode = goldensMode();
  const masksPath = join(GOLDENS_DIR, 'masks.json');
  const stored = existsSync(masksPath) ? (JSON.parse(readFileSync(masksPath, 'utf8')) as { helm: string; masks: Record<string, Masks> }) : undefined;
  if (mode !== 'update' && mode !== 'check') {
    if (!stored) throw new Error(`${masksPath} is missing: run with MESHREADY_HELM_GOLDENS=update (needs scripts/helm.sh)`);
    return new Map(renders.map((render) => [render.name, readGolden(render, stored.masks)]));
  }
  const helm = helmBinary();
  const home = join(tmpdir(), `meshready-helm-home-${process.pid}`);
  const outcomes = new Map<string, FixtureGolden>();
  let next = 0;
  const worker = async () => {
    while (next < renders.length) {
      const render = renders[next++]!;
      const first = await renderWithHelm(helm, render, home);
      // Where helm varies is known from the goldens' own two runs: a check needs one.
      const second = first.stdout !== undefined && mode === 'update' ? await renderWithHelm(helm, render, home) : first;
      outcomes.set(render.name, { ...first, masks: first.stdout !== undefined && second.stdout !== undefined ? masksBetween(first.stdout, second.stdout) : {} });
    }
  };
  await Promise.all([worker(), worker()]);
  rmSync(home, { recursive: true, force: true });
  if (mode === 'update') {
    rmSync(GOLDENS_DIR, { recursive: true, force: true });
    for (const render of renders) {
      const outcome = outcomes.get(render.name)!;
      const path = goldenFile(render);
      mkdirSync(join(path, '..'), { recursive: true });
      if (outcome.error !== undefined) writeFileSync(path.replace(/\.yaml$/, '.error.txt'), `${outcome.error}\n`);
      else writeFileSync(path, outcome.stdout!);
    }
    const masks = Object.fromEntries(renders.flatMap((render) => (Object.keys(outcomes.get(render.name)!.masks).length > 0 ? [[render.name, outcomes.get(render.name)!.masks]] : [])));
    writeFileSync(masksPath, `${JSON.stringify({ helm: HELM_VERSION, masks }, null, 1)}\n`);
    return outcomes;
  }
  if (!stored) throw new Error(`${masksPath} is missing: run with MESHREADY_HELM_GOLDENS=update`);
  for (const render of renders) {
    const golden = readGolden(render, stored.masks);
    const now = outcomes.get(render.name)!;
    const same = now.error !== undefined ? now.error === golden.error : golden.stdout !== undefined && sameModuloMasks(now.stdout!, golden);
    if (!same) throw new Error(`${render.name}: helm ${HELM_VERSION} no longer prints what ${goldenFile(render)} holds: run with MESHREADY_HELM_GOLDENS=update and review the difference`);
  }
  return new Map(renders.map((render) => [render.name, readGolden(render, stored.masks)]));
}

export { sameModuloMasks };
