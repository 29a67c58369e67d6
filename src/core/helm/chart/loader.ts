import { posix } from 'node:path';
import type { Chart, ChartFile, Metadata } from './chart.js';
import { emptyMetadata } from './chart.js';
import type { ExpansionBudget } from './archive.js';
import { ArchiveError, BudgetError, GZIP_HEADER_ERROR, MAX_DECOMPRESSED_FILE_SIZE, chargeBudget, ensureArchive, loadArchiveFiles, withoutBom } from './archive.js';
import { HELM_IGNORE_FILE, HelmIgnore, HelmIgnoreError } from './helmignore.js';
import { decodeApiVersion, decodeLock, decodeMetadata, loadValuesFile } from './chart-yaml.js';
import { validateMetadata } from './validate.js';
import { quoteGo } from '../fmt.js';

/**
 * Loading a chart as helm's loaders do (`pkg/chart/loader`, `pkg/chart/v2/loader`): from a
 * directory's files (`.helmignore` applied, as helm's walk applies it) or from a `.tgz`;
 * Chart.yaml (v1 with requirements.yaml, or v2) read and validated; values.yaml,
 * values.schema.json, templates/, charts/ (directories and archives, nested) sorted out;
 * every other file kept as `.Files`. Errors are helm's, word for word.
 */

/** A file of a chart directory: its path from the chart's root (`/`-separated) and its bytes. */
export interface ChartDirectoryFile {
  path: string;
  bytes: Uint8Array;
}

export class ChartLoadError extends Error {}

const decoder = new TextDecoder();
const text = (data: Uint8Array) => decoder.decode(data);

/**
 * Which entries of a chart directory helm reads: the `.helmignore` rules (with helm's
 * default, dotfiles in templates/) — for a reader that walks the directory, so that it
 * never reads what helm skips. Throws HelmIgnoreError for a rule helm refuses.
 */
export function chartIgnoreRules(helmignore: string | undefined): HelmIgnore {
  return (helmignore === undefined ? HelmIgnore.empty() : HelmIgnore.parse(helmignore)).withDefaults();
}

/** helm's refusal of a chart directory's file over MaxDecompressedFileSize (named by its base name). */
export function fileTooLargeMessage(baseName: string): string {
  return `chart file ${quoteGo(baseName)} is larger than the maximum file size ${MAX_DECOMPRESSED_FILE_SIZE}`;
}

/** Whether helm's walk skips a file: it or a directory above it ignored (each directory's answer kept in `directories`). */
function ignoredByWalk(rules: HelmIgnore, path: string, directories: Map<string, boolean>): boolean {
  for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1)) {
    const directory = path.slice(0, slash);
    let ignored = directories.get(directory);
    if (ignored === undefined) directories.set(directory, (ignored = rules.ignores(directory, true)));
    if (ignored) return true;
  }
  return rules.ignores(path, false);
}

/** A character of a path for the walk's order: a name ends before any character follows it, and its separator before any other. */
function walkRank(path: string, index: number): number {
  if (index >= path.length) return -2;
  const c = path.charCodeAt(index);
  return c === 0x2f ? -1 : c;
}

/** The order of helm's walk: lexical by each directory's entry names. */
function walkOrder(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return walkRank(a, i) - walkRank(b, i);
}

/** helm's chart-apiVersion dispatch: v1, v2 and none load as v2 charts. */
function checkApiVersion(chartYaml: Uint8Array): void {
  let apiVersion: string;
  try {
    apiVersion = decodeApiVersion(text(chartYaml));
  } catch (error) {
    throw new ChartLoadError(`cannot load Chart.yaml: ${(error as Error).message}`);
  }
  if (apiVersion === 'v3') throw new ChartLoadError('invalid chart apiVersion');
  if (apiVersion !== 'v1' && apiVersion !== 'v2' && apiVersion !== '') throw new ChartLoadError('unsupported chart version');
}

/**
 * A chart directory (`root` is how helm would name it in errors: its absolute path). Every
 * file counts against `budget`; `source` is the directory's repository path.
 */
export function loadChartDirectory(files: readonly ChartDirectoryFile[], root: string, source: string, budget: ExpansionBudget): Chart {
  const chartYaml = files.find((file) => file.path === 'Chart.yaml');
  if (!chartYaml) throw new ChartLoadError(`unable to detect chart at ${root}/Chart.yaml: open ${root}/Chart.yaml: no such file or directory`);
  checkApiVersion(chartYaml.bytes);
  const helmignore = files.find((file) => file.path === HELM_IGNORE_FILE);
  let rules: HelmIgnore;
  try {
    rules = chartIgnoreRules(helmignore ? text(helmignore.bytes) : undefined);
  } catch (error) {
    if (error instanceof HelmIgnoreError) throw new ChartLoadError(error.message);
    throw error;
  }
  const kept: ChartFile[] = [];
  const directories = new Map<string, boolean>();
  for (const file of [...files].sort((a, b) => walkOrder(a.path, b.path))) {
    if (ignoredByWalk(rules, file.path, directories)) continue;
    if (file.bytes.length > MAX_DECOMPRESSED_FILE_SIZE) throw new ChartLoadError(fileTooLargeMessage(posix.basename(file.path)));
    chargeBudget(budget, file.bytes.length, 1);
    kept.push({ name: file.path, data: withoutBom(file.bytes) });
  }
  return loadFiles(kept, source, budget);
}

/** A chart given as a `.tgz` file (`name` as the user gave it, for helm's messages). */
export function loadChartArchive(name: string, bytes: Uint8Array, source: string, budget: ExpansionBudget): Chart {
  try {
    ensureArchive(name, bytes);
  } catch (error) {
    throw new ChartLoadError((error as Error).message);
  }
  chargeBudget(budget, bytes.length, 1);
  let files: ChartFile[];
  try {
    files = loadArchiveFiles(bytes, budget);
  } catch (error) {
    if (error instanceof BudgetError) throw error;
    if ((error as Error).message === GZIP_HEADER_ERROR) throw new ChartLoadError(`file '${name}' does not appear to be a valid chart file (details: ${GZIP_HEADER_ERROR})`);
    throw new ChartLoadError('unable to load chart archive');
  }
  const chartYaml = files.find((file) => file.name === 'Chart.yaml');
  if (!chartYaml) throw new ChartLoadError('unable to detect chart version, no Chart.yaml found');
  checkApiVersion(chartYaml.data);
  return loadFiles(files, `${source}!`, budget);
}

function decodeInto(what: string, data: Uint8Array, decode: (text: string) => void): void {
  try {
    decode(text(data));
  } catch (error) {
    if (error instanceof BudgetError) throw error;
    throw new ChartLoadError(`cannot load ${what}: ${(error as Error).message}`);
  }
}

function chartName(chart: { metadata: Metadata | undefined }): string {
  return chart.metadata?.name ?? '';
}

/** helm's v2 `LoadFiles`: one chart from its files (paths from its root), subcharts loaded recursively. */
export function loadFiles(files: readonly ChartFile[], source: string, budget: ExpansionBudget): Chart {
  let metadata: Metadata | undefined;
  for (const file of files) {
    if (file.name !== 'Chart.yaml') continue;
    metadata ??= emptyMetadata();
    const into = metadata;
    decodeInto('Chart.yaml', file.data, (yaml) => decodeMetadata(yaml, into));
    if (metadata.apiVersion === '') metadata.apiVersion = 'v1';
  }
  const chart: Omit<Chart, 'metadata'> & { metadata: Metadata | undefined } = { metadata, templates: [], values: null, files: [], dependencies: [], source };
  const subcharts = new Map<string, ChartFile[]>();
  for (const file of files) {
    const { name } = file;
    if (name === 'Chart.yaml') continue;
    if (name === 'Chart.lock') {
      decodeInto('Chart.lock', file.data, (yaml) => (chart.lock = decodeLock(yaml)));
    } else if (name === 'values.yaml') {
      decodeInto('values.yaml', file.data, (yaml) => (chart.values = loadValuesFile(yaml, source.endsWith('!') ? `${source}/${name}` : posix.join(source, name))));
    } else if (name === 'values.schema.json') {
      chart.schema = file.data;
    } else if (name === 'requirements.yaml') {
      chart.metadata ??= emptyMetadata();
      const into = chart.metadata;
      decodeInto('requirements.yaml', file.data, (yaml) => decodeMetadata(yaml, into));
      if (into.apiVersion === 'v1') chart.files.push(file);
    } else if (name === 'requirements.lock') {
      decodeInto('requirements.lock', file.data, (yaml) => (chart.lock = decodeLock(yaml)));
      chart.metadata ??= emptyMetadata();
      if (chart.metadata.apiVersion === 'v1') chart.files.push(file);
    } else if (name.startsWith('templates/')) {
      chart.templates.push(file);
    } else if (name.startsWith('charts/')) {
      if (posix.extname(name) === '.prov') {
        chart.files.push(file);
        continue;
      }
      const inner = name.slice('charts/'.length);
      const subchart = inner.split('/')[0]!;
      const entries = subcharts.get(subchart) ?? [];
      entries.push({ name: inner, data: file.data });
      subcharts.set(subchart, entries);
    } else {
      chart.files.push(file);
    }
  }
  if (!chart.metadata) throw new ChartLoadError('Chart.yaml file is missing');
  const loaded = chart as Chart;
  const invalid = validateMetadata(loaded.metadata);
  if (invalid) throw new ChartLoadError(invalid);
  // helm visits a Go map here (random order); the files' order is as good as any, and stable.
  for (const [name, entries] of subcharts) {
    if (name.startsWith('_') || name.startsWith('.')) continue;
    const subSource = source.endsWith('!') ? `${source}/charts/${name}` : posix.join(source, 'charts', name);
    const archive = posix.extname(name) === '.tgz' ? entries[0]! : undefined;
    // helm returns this one as it is, without the wrapping below.
    if (archive && archive.name !== name) throw new ChartLoadError(`error unpacking subchart tar in ${chartName(loaded)}: expected ${name}, got ${archive.name}`);
    let subchart: Chart;
    try {
      if (archive) subchart = loadFiles(loadArchiveFiles(archive.data, budget), `${subSource}!`, budget);
      else {
        const inner = entries.filter((entry) => entry.name.includes('/')).map((entry) => ({ name: entry.name.slice(entry.name.indexOf('/') + 1), data: entry.data }));
        subchart = loadFiles(inner, subSource, budget);
      }
    } catch (error) {
      if (error instanceof ChartLoadError || error instanceof ArchiveError) throw new ChartLoadError(`error unpacking subchart ${name} in ${chartName(loaded)}: ${error.message}`);
      throw error;
    }
    subchart.parent = loaded;
    loaded.dependencies.push(subchart);
  }
  return loaded;
}
