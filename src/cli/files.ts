import { existsSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathMatcher } from '../core/config.js';
import type { MeshreadyConfig } from '../core/config.js';
import { manifestSource } from '../core/encoding.js';
import { oversizeReason } from '../core/manifest.js';
import type { SkippedFile, SourceFile } from '../core/types.js';
import { CHART_FILE } from '../core/chart-source.js';
import type { ChartSource } from '../core/chart-source.js';

export const STDIN_PATH = '<stdin>';
/** Standard input carries whole renders (`kustomize build`, `helm template`): it has a limit of its own, above any file's. */
export const STDIN_MAX_BYTES = 64 * 1024 * 1024;

/** Directories never worth walking into. */
const PRUNED_DIRECTORIES = new Set(['.git', 'node_modules']);

export interface CollectedFiles {
  files: SourceFile[];
  /** Files too large to read: skipped without loading them. */
  skipped: SkippedFile[];
  /** Helm charts met, each read whole as helm reads it (rendered by the analysis, not linted as files). */
  charts: ChartSource[];
}

export class InputError extends Error {}

/**
 * `relative(from, path)`, without resolving both again when `path` is below `from` as the
 * walk reaches it (`from` and a separator, then the rest): that rest is what it gives.
 */
function relativeTo(from: string, path: string): string {
  const prefix = from.endsWith(sep) ? from : `${from}${sep}`;
  return path.startsWith(prefix) ? path.slice(prefix.length) : relative(from, path);
}

function displayPath(cwd: string, path: string): string {
  const shown = relativeTo(cwd, path);
  // Outside the working directory a relative path would read as ../../..; show it whole.
  return (shown === '' || shown.startsWith('..') ? path : shown).split(sep).join('/');
}

/**
 * What the config's globs are matched from, for a directory linted: the root of the
 * repository it is in (the nearest directory holding `.git`), as the app matches paths
 * from the repository's root, wherever the command runs; outside a repository, the
 * directory itself. `meshready lint repo/` from the parent leaves out repo/.github.
 */
function globRoot(directory: string): string {
  for (let current = directory; ; current = dirname(current)) {
    if (existsSync(join(current, '.git'))) return current;
    if (dirname(current) === current) return directory;
  }
}

const fromRoot = (root: string, path: string) => relativeTo(root, path).split(sep).join('/');

// File system calls are synchronous: the CLI has nothing else to do meanwhile, and for a
// repository of small manifests they take a third of the time of awaited ones.
function readSource(absolute: string, shown: string, config: MeshreadyConfig, out: CollectedFiles): void {
  const size = statSync(absolute).size;
  const oversize = oversizeReason(size, config.limits);
  if (oversize) {
    out.skipped.push({ file: shown, reason: oversize });
    return;
  }
  addDecoded(out, shown, readFileSync(absolute));
}

/** A file's bytes as text kubectl would read, or a skip when they are binary. */
function addDecoded(out: CollectedFiles, path: string, bytes: Uint8Array, maxBytes?: number): void {
  const source = manifestSource(path, bytes);
  if (!source) out.skipped.push({ file: path, reason: 'binary file' });
  else out.files.push({ ...source, ...(maxBytes !== undefined ? { maxBytes } : {}) });
}

interface Selected {
  absolute: string;
  shown: string;
}

/** What a walk takes: manifest files to read, and chart directories, by their absolute paths. */
interface Selection {
  files: Selected[];
  charts: Map<string, string>;
  skipped: SkippedFile[];
}

/** A chart's root as its files' paths are shown: `` for the working directory itself. */
function chartRootPath(cwd: string, directory: string): string {
  return relative(cwd, directory) === '' ? '' : displayPath(cwd, directory);
}

/** A directory's chart, when it is one the globs include (its Chart.yaml matched from the root). */
function isIncludedChart(directory: string, isIncluded: (pathFromRoot: string) => boolean, root: string): boolean {
  return statSync(join(directory, CHART_FILE), { throwIfNoEntry: false })?.isFile() === true && isIncluded(fromRoot(root, join(directory, CHART_FILE)));
}

/** The chart directory a file is in, up to the repository's root: a values file or template named on the command line brings its chart. */
function chartHolding(file: string, root: string): string | undefined {
  for (let current = dirname(file); ; current = dirname(current)) {
    if (statSync(join(current, CHART_FILE), { throwIfNoEntry: false })?.isFile()) return current;
    if (current === root || dirname(current) === current) return undefined;
  }
}

/**
 * Walks a directory tree, following symbolic links as kubectl and kustomize do; a link
 * back to a directory being walked is reported, not followed round again.
 */
function walk(
  directory: string,
  cwd: string,
  isIncluded: (pathFromRoot: string) => boolean,
  root: string,
  selection: Selection,
  walking: Set<string> = new Set([realpathSync(directory)]),
): void {
  const { files: selected, skipped } = selection;
  // A chart is read whole, as helm reads it; its files are the chart's, not manifests.
  if (isIncludedChart(directory, isIncluded, root)) {
    selection.charts.set(directory, chartRootPath(cwd, directory));
    return;
  }
  const entries = readdirSync(directory, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    const absolute = join(directory, entry.name);
    const shown = displayPath(cwd, absolute);
    const info = entry.isSymbolicLink() ? statSync(absolute, { throwIfNoEntry: false }) : entry;
    if (!info) {
      if (isIncluded(fromRoot(root, absolute))) skipped.push({ file: shown, reason: 'symbolic link to nothing' });
    } else if (info.isDirectory() && !PRUNED_DIRECTORIES.has(entry.name)) {
      const real = realpathSync(absolute);
      if (walking.has(real)) {
        skipped.push({ file: shown, reason: 'symbolic link cycle: links back to a directory that contains it' });
        continue;
      }
      walking.add(real);
      walk(absolute, cwd, isIncluded, root, selection, walking);
      walking.delete(real);
    } else if (info.isFile() && isIncluded(fromRoot(root, absolute))) selected.push({ absolute, shown });
  }
}

/** What a file is named when it holds YAML or JSON: by its ending, or kustomize's `Kustomization`. */
const MANIFEST_NAME = /(?:\.ya?ml|\.json|(?:^|\/)Kustomization)$/i;

/**
 * Reads what the command line names: files as given, directories recursively (only the
 * files the config's globs include, matched from the directory's repository root), `-`
 * from standard input. `onProgress` hears of each
 * file read, with how many there are.
 */
export async function collectFiles(
  paths: string[],
  config: MeshreadyConfig,
  cwd: string,
  readStdin: (maxBytes: number) => Promise<Buffer | undefined>,
  onProgress: (read: number, total: number) => void = () => undefined,
): Promise<CollectedFiles> {
  const out: CollectedFiles = { files: [], skipped: [], charts: [] };
  const isIncluded = pathMatcher(config.paths);
  const selection: Selection = { files: [], charts: new Map(), skipped: out.skipped };
  const selected = selection.files;
  for (const path of paths) {
    if (path === '-') {
      const bytes = await readStdin(STDIN_MAX_BYTES);
      if (bytes === undefined) throw new InputError(`standard input is over the ${STDIN_MAX_BYTES / (1024 * 1024)} MB limit`);
      addDecoded(out, STDIN_PATH, bytes, STDIN_MAX_BYTES);
      continue;
    }
    const absolute = resolve(cwd, path);
    const info = statSync(absolute, { throwIfNoEntry: false });
    if (!info) throw new InputError(`${path}: no such file or directory`);
    const shown = displayPath(cwd, absolute);
    const chart = info.isDirectory() ? undefined : chartHolding(absolute, globRoot(dirname(absolute)));
    if (info.isDirectory()) walk(absolute, cwd, isIncluded, globRoot(absolute), selection);
    else if (chart !== undefined) selection.charts.set(chart, chartRootPath(cwd, chart));
    // A file named on the command line is checked even outside the globs, if it is YAML or JSON at all.
    else if (MANIFEST_NAME.test(shown)) selected.push({ absolute, shown });
    else out.skipped.push({ file: shown, reason: 'not a YAML or JSON file (by its name)' });
  }
  selected.forEach(({ absolute, shown }, index) => {
    readSource(absolute, shown, config, out);
    onProgress(index + 1, selected.length);
  });
  if (selection.charts.size === 0) return out;
  // The Helm side (template.ts and the engine behind it) is loaded once a chart is met: it is most of the CLI's start-up.
  const { readChartDirectory } = await import('./template.js');
  for (const [absolute, shown] of selection.charts) {
    try {
      out.charts.push({ root: shown, files: readChartDirectory(absolute) });
    } catch (error) {
      out.skipped.push({ file: shown === '' ? CHART_FILE : `${shown}/${CHART_FILE}`, reason: `chart not read: ${(error as Error).message}` });
    }
  }
  return out;
}
