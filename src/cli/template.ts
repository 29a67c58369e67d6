import { closeSync, fstatSync, lstatSync, openSync, readFileSync, readSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { quoteGo } from '../core/helm/fmt.js';
import { DEFAULT_CHART_BUDGET, formatHelmTemplateError, formatHelmTemplateOutput, renderChart } from '../core/helm/render.js';
import type { ChartInput, RenderChartOptions, RenderChartResult } from '../core/helm/render.js';
import { chartIgnoreRules, fileTooLargeMessage } from '../core/helm/chart/loader.js';
import type { ChartDirectoryFile } from '../core/helm/chart/loader.js';
import { MAX_DECOMPRESSED_FILE_SIZE } from '../core/helm/chart/archive.js';
import { HelmIgnore, HelmIgnoreError } from '../core/helm/chart/helmignore.js';
import { KubeVersionError, parseKubeVersion } from '../core/helm/chart/capabilities.js';

/**
 * `meshready template`: what `helm template` prints for the same arguments, rendered
 * in-process (src/core/helm/render.ts). This file only reads the chart, the values files
 * and `--set-file` files from disk, as helm would find them, and writes the result.
 */

export interface TemplateCommandOptions {
  values: string[];
  set: string[];
  setString: string[];
  setJson: string[];
  setFile: string[];
  setLiteral: string[];
  namespace?: string;
  kubeVersion?: string;
  apiVersions: string[];
  includeCrds: boolean;
  isUpgrade: boolean;
}

export interface TemplateTerminal {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

class CommandError extends Error {}

/** pflag's StringSlice: each occurrence is a CSV record (commas separate, double quotes group). */
export function splitFlagList(values: readonly string[]): string[] {
  const out: string[] = [];
  for (const value of values) {
    if (value === '') continue;
    let field = '';
    let quoted = false;
    for (let i = 0; i < value.length; i++) {
      const char = value[i]!;
      if (quoted) {
        if (char === '"' && value[i + 1] === '"') {
          field += '"';
          i++;
        } else if (char === '"') quoted = false;
        else field += char;
      } else if (char === '"' && field === '') quoted = true;
      else if (char === ',') {
        out.push(field);
        field = '';
      } else field += char;
    }
    out.push(field);
  }
  return out;
}

function goOpenError(path: string, error: NodeJS.ErrnoException): CommandError {
  const reason = error.code === 'ENOENT' ? 'no such file or directory' : error.code === 'EISDIR' ? 'is a directory' : error.code === 'EACCES' ? 'permission denied' : error.message;
  return new CommandError(`open ${path}: ${reason}`);
}

/** A values or --set-file file as helm reads it: `-` is standard input, anything else a path from the working directory. */
function readUserFile(cwd: string, path: string): string {
  try {
    if (path.trim() === '-') return readFileSync(0, 'utf8');
    return readFileSync(resolve(cwd, path), 'utf8');
  } catch (error) {
    throw goOpenError(path, error as NodeJS.ErrnoException);
  }
}

/**
 * The files of a chart directory as helm's walk reads them: lexical order, symbolic links
 * followed, `.helmignore`d directories not entered (the renderer applies the rules to the
 * files, and reads Chart.yaml first whatever they say, as helm does), irregular files
 * refused; no more than the chart budget allows (the renderer reports the budget).
 */
export function readChartDirectory(root: string): ChartDirectoryFile[] {
  let helmignore: string | undefined;
  try {
    helmignore = readFileSync(join(root, '.helmignore'), 'utf8');
  } catch {
    helmignore = undefined;
  }
  let rules: HelmIgnore;
  try {
    rules = chartIgnoreRules(helmignore);
  } catch (error) {
    // The renderer reports the rule helm refuses; reading everything is what leads there.
    if (!(error instanceof HelmIgnoreError)) throw error;
    rules = HelmIgnore.empty();
  }
  const files: ChartDirectoryFile[] = [];
  let bytes = 0;
  const visiting = new Set<string>();
  // `real`: the directory's path with symbolic links resolved, to see a link back into it.
  const walk = (directory: string, real: string, prefix: string) => {
    if (visiting.has(real)) return;
    visiting.add(real);
    const entries = readdirSync(directory, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (files.length > DEFAULT_CHART_BUDGET.maxFiles || bytes > DEFAULT_CHART_BUDGET.maxBytes) return;
      const full = join(directory, entry.name);
      const name = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      let realPath = `${real}/${entry.name}`;
      // A link is followed; an entry whose type the directory does not give is looked at.
      if (entry.isSymbolicLink() || (!isDirectory && !isFile)) {
        const info = entry.isSymbolicLink() ? statSync(full) : lstatSync(full);
        isDirectory = info.isDirectory();
        isFile = info.isFile();
        if (isDirectory && entry.isSymbolicLink()) realPath = realpathSync(full);
      }
      if (isDirectory) {
        if (!rules.ignores(name, true)) walk(full, realPath, name);
        continue;
      }
      if (!isFile) throw new CommandError(`cannot load irregular file ${full} as it has file mode type bits set`);
      const data = readChartFile(full, entry.name);
      bytes += data.length;
      files.push({ path: name, bytes: data });
    }
    visiting.delete(real);
  };
  walk(root, realpathSync(root), '');
  return files;
}

/** A chart file's bytes, refused (as helm refuses it) over the size helm allows, before it is read. */
function readChartFile(path: string, baseName: string): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > MAX_DECOMPRESSED_FILE_SIZE) throw new CommandError(fileTooLargeMessage(baseName));
    const data = new Uint8Array(size);
    let read = 0;
    while (read < size) {
      const count = readSync(fd, data, read, size - read, null);
      if (count === 0) break;
      read += count;
    }
    return read === size ? data : data.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/** helm's LocateChart for a local chart: its absolute path, or helm's error. */
function locateChart(cwd: string, chart: string): string {
  const path = resolve(cwd, chart);
  if (statSync(path, { throwIfNoEntry: false })) return path;
  if (isAbsolute(chart) || chart.startsWith('.')) throw new CommandError(`path ${quoteGo(chart)} not found`);
  throw new CommandError(`non-absolute URLs should be in form of repo_name/path_to_chart, got: ${chart}`);
}

function chartInput(cwd: string, chart: string, path: string): ChartInput {
  const source = relative(cwd, path).split('\\').join('/');
  if (statSync(path).isDirectory()) return { kind: 'directory', files: readChartDirectory(path), root: path, source };
  const bytes = readFileSync(path);
  return { kind: 'archive', name: chart, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), source };
}

/** What `meshready template [NAME] CHART ...` renders, read from disk as helm reads it; helm's error as a failed result. */
export function renderTemplateCommand(names: string[], options: TemplateCommandOptions, cwd: string): RenderChartResult {
  try {
    if (options.kubeVersion) parseKubeVersion(options.kubeVersion);
    if (names.length > 2) throw new CommandError(`expected at most two arguments, unexpected arguments: ${names.slice(2).join(', ')}`);
    const [releaseName, chart] = names.length === 2 ? [names[0]!, names[1]!] : ['release-name', names[0]!];
    const chartPath = locateChart(cwd, chart);
    const valuesFiles = splitFlagList(options.values).map((path) => ({ path, text: readUserFile(cwd, path) }));
    const input = chartInput(cwd, chart, chartPath);
    const renderOptions: RenderChartOptions = {
      releaseName,
      valuesFiles,
      set: options.set,
      setString: options.setString,
      setJson: options.setJson,
      setFile: options.setFile,
      setLiteral: options.setLiteral,
      readFile: (path) => readUserFile(cwd, path),
      apiVersions: splitFlagList(options.apiVersions),
      includeCrds: options.includeCrds,
      isUpgrade: options.isUpgrade,
      ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
      ...(options.kubeVersion !== undefined ? { kubeVersion: options.kubeVersion } : {}),
    };
    return renderChart(input, renderOptions);
  } catch (error) {
    if (error instanceof CommandError || error instanceof KubeVersionError) return { ok: false, error: error.message, debugHint: false, warnings: [] };
    throw error;
  }
}

/** Runs `meshready template [NAME] CHART ...`; returns the exit code (0, or 1 as helm exits on an error). */
export function runTemplate(names: string[], options: TemplateCommandOptions, terminal: TemplateTerminal): number {
  const result = renderTemplateCommand(names, options, terminal.cwd);
  if (!result.ok) {
    terminal.stderr(formatHelmTemplateError(result));
    return 1;
  }
  terminal.stdout(formatHelmTemplateOutput(result));
  return 0;
}
