import { existsSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { analyzeFiles, failsGate } from '../core/analyze-files.js';
import { CONFIG_PATH, DEFAULT_CONFIG, parseConfigText } from '../core/config.js';
import type { MeshreadyConfig } from '../core/config.js';
import type { ChartSource } from '../core/chart-source.js';
import { applySafeFixes } from '../core/fix.js';
import { RULE_METAS } from '../core/rules/index.js';
import type { AnalysisReport, Severity, SourceFile } from '../core/types.js';
import { changedSince } from './changed-since.js';
import { collectFiles, InputError, STDIN_PATH } from './files.js';
import { formatJson } from './formats/json.js';
import { formatSarif } from './formats/sarif.js';
import { formatText } from './formats/text.js';
import { plural } from '../core/words.js';

export type OutputFormat = 'text' | 'json' | 'sarif';

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export interface LintOptions {
  paths: string[];
  format: OutputFormat;
  config?: string;
  /** `--fail-on-skipped`: a file that could not be checked fails the run, whatever the config says. */
  failOnSkipped?: boolean;
  /** `--fail-on`: the config's `failOn`, from the command line. */
  failOn?: MeshreadyConfig['failOn'];
  /** `--rule id=level`: the config's `rules`, from the command line. */
  rules?: string[];
  /** `--fix`: write every safe fix (to standard output for `-`). */
  fix?: boolean;
  /** `--fix-dry-run`: print the fixes as a unified diff, write nothing. */
  fixDryRun?: boolean;
  /** `--error-on-unmatched-pattern`: exit 2 when the paths name no manifest file. */
  errorOnUnmatchedPattern?: boolean;
  /** `--chart-ci-values`: render each chart with each of its `ci/*values.yaml` too. */
  chartCiValues?: boolean;
  /** `--changed-since REF`: report only the findings new since this git revision. */
  changedSince?: string;
}

export interface Terminal {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Standard input's bytes, or undefined when they run past `maxBytes`. */
  readStdin: (maxBytes: number) => Promise<Buffer | undefined>;
  colour: boolean;
  /** Whether stderr is a terminal a progress line can be redrawn on. */
  progress: boolean;
  /** The clock progress is timed by (Date.now). */
  now?: () => number;
}

const LEVELS = ['error', 'warning', 'notice', 'off'];

async function loadConfig(options: LintOptions, terminal: Terminal): Promise<MeshreadyConfig> {
  const path = options.config ?? (existsSync(resolve(terminal.cwd, CONFIG_PATH)) ? CONFIG_PATH : undefined);
  let config = DEFAULT_CONFIG;
  if (path) {
    const text = await readFile(resolve(terminal.cwd, path), 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new InputError(`${path}: cannot read config (${error.code ?? error.message})`);
    });
    const result = parseConfigText(text);
    if (!result.ok) throw new InputError(`${path}: invalid config:\n  ${result.errors.join('\n  ')}`);
    config = result.config;
  }
  const rules = { ...config.rules };
  for (const entry of options.rules ?? []) {
    const [id, level] = entry.split('=');
    if (!id || !level || !LEVELS.includes(level)) throw new InputError(`--rule ${entry}: expected <rule>=<${LEVELS.join('|')}>`);
    if (!RULE_METAS.some((meta) => meta.id === id)) throw new InputError(`--rule ${entry}: unknown rule "${id}" (meshready rules lists them)`);
    rules[id] = level as Severity | 'off';
  }
  return {
    ...config,
    rules,
    ...(options.failOn ? { failOn: options.failOn } : {}),
    ...(options.failOnSkipped ? { failOnSkipped: true } : {}),
    ...(options.chartCiValues ? { helm: { ...config.helm, ciValues: true } } : {}),
  };
}

export function render(report: AnalysisReport, format: OutputFormat, colour: boolean, version: string): string {
  if (format === 'json') return formatJson(report);
  if (format === 'sarif') return formatSarif(report, version);
  return formatText(report, { colour });
}

interface ProgressReporter {
  /** `read N / total files`, then `checked N / total files`. */
  update: (stage: 'read' | 'checked', done: number, total: number) => void;
  done: () => void;
}

/** Redraws how far reading and then checking the files has come on a terminal's stderr, once the run has taken a second. */
function progressReporter(terminal: Terminal): ProgressReporter {
  const now = terminal.now ?? Date.now;
  const started = now();
  let shown = false;
  return {
    update: (stage, done, total) => {
      if (!terminal.progress || now() - started < 1_000) return;
      shown = true;
      terminal.stderr(`\rmeshready: ${stage} ${done} / ${total} files`);
    },
    done: () => {
      if (shown) terminal.stderr('\r\u001b[K');
      shown = false;
    },
  };
}

async function lintFiles(
  files: SourceFile[],
  skipped: AnalysisReport['skipped'],
  config: MeshreadyConfig,
  progress: ProgressReporter,
  charts: readonly ChartSource[] = [],
): Promise<AnalysisReport> {
  const options = { filterPaths: false, onFileParsed: (parsed: number, total: number) => progress.update('checked', parsed, total) };
  // The Helm engine is loaded for a tree that holds a chart, and only then: loading it was
  // most of the time a lint of a few thousand small manifests took.
  const analysed = charts.length === 0 ? analyzeFiles(files, config, options) : (await import('../core/analyze.js')).analyze(files, config, { ...options, charts });
  return {
    ...analysed,
    skipped: [...skipped, ...analysed.skipped],
    stats: { ...analysed.stats, files: analysed.stats.files + skipped.length },
  };
}

/** A chart with the files a fix changed. */
function withFixedFiles(chart: ChartSource, fixed: ReadonlyMap<string, string>): ChartSource {
  const encoder = new TextEncoder();
  const pathOf = (file: string) => (chart.root === '' ? file : `${chart.root}/${file}`);
  return { root: chart.root, files: chart.files.map((file) => (fixed.has(pathOf(file.path)) ? { path: file.path, bytes: encoder.encode(fixed.get(pathOf(file.path))!) } : file)) };
}

/**
 * `meshready lint`: exit 0 when nothing reaches `failOn`, 1 when something does, 2 on usage
 * or I/O errors. With `--fix`, the safe fixes are written first (the same plan "Apply fixes"
 * commits) and what is left is reported.
 */
export async function runLint(options: LintOptions, terminal: Terminal, version: string): Promise<number> {
  try {
    const config = await loadConfig(options, terminal);
    const paths = options.paths.length > 0 ? options.paths : ['.'];
    if (options.changedSince !== undefined && paths.includes('-')) throw new InputError('--changed-since compares files with git: it does not read standard input');
    if (options.changedSince !== undefined && (options.fix || options.fixDryRun)) throw new InputError('--changed-since does not go with --fix or --fix-dry-run');
    const progress = progressReporter(terminal);
    const collected = await collectFiles(paths, config, terminal.cwd, terminal.readStdin, (read, total) => progress.update('read', read, total));
    if (collected.files.length === 0 && collected.skipped.length === 0 && collected.charts.length === 0) {
      progress.done();
      terminal.stderr(`meshready: no YAML or JSON files in ${paths.join(', ')}\n`);
      if (options.errorOnUnmatchedPattern) return EXIT_USAGE;
    }
    let report = await lintFiles(collected.files, collected.skipped, config, progress, collected.charts);
    progress.done();

    if (options.fix || options.fixDryRun) {
      // A chart's fixes edit its templates and values files: their texts come from the chart.
      // With no chart, those are the files' own texts.
      const texts =
        collected.charts.length === 0
          ? new Map(collected.files.map((file) => [file.path, file.text]))
          : (await import('../core/charts.js')).findingTexts(report.findings, collected.files, collected.charts);
      const fixed = applySafeFixes(report.findings, texts);
      report = await lintFiles(
        collected.files.map((file) => ({ ...file, text: fixed.files.get(file.path) ?? file.text })),
        collected.skipped,
        config,
        progress,
        collected.charts.map((chart) => withFixedFiles(chart, fixed.files)),
      );
      progress.done();
      terminal.stderr(
        `meshready: ${options.fixDryRun ? 'would fix' : 'fixed'} ${plural(fixed.applied.length, 'problem')} in ${plural(fixed.files.size, 'file')}` +
          `${fixed.dropped.length > 0 ? `, ${plural(fixed.dropped.length, 'fix')} left for another run (they edit the same text)` : ''}; ${plural(report.findings.length, 'problem')} left\n`,
      );
      const exitCode = failsGate(report, config) ? EXIT_FINDINGS : EXIT_CLEAN;
      if (options.fixDryRun) {
        const { createTwoFilesPatch } = await import('diff');
        for (const [path, text] of fixed.files) terminal.stdout(createTwoFilesPatch(`a/${path}`, `b/${path}`, texts.get(path)!, text, '', '', { context: 3 }));
        return exitCode;
      }
      for (const [path, text] of fixed.files) if (path !== STDIN_PATH) writeFileSync(resolve(terminal.cwd, path), text);
      // Standard input is never written back: its fixed text goes to standard output, instead of a report.
      if (texts.has(STDIN_PATH)) {
        terminal.stdout(fixed.files.get(STDIN_PATH) ?? texts.get(STDIN_PATH)!);
        return exitCode;
      }
    }

    const since =
      options.changedSince !== undefined
        ? await changedSince(options.changedSince, paths, config, terminal.cwd, report, (atRevision) => lintFiles(atRevision.files, atRevision.skipped, config, progress, atRevision.charts))
        : undefined;
    progress.done();
    if (since) report = since.report;
    terminal.stdout(render(report, options.format, terminal.colour, version));
    if (since && options.format === 'text') terminal.stdout(since.note);
    return failsGate(report, config) ? EXIT_FINDINGS : EXIT_CLEAN;
  } catch (error) {
    if (error instanceof InputError) {
      terminal.stderr(`meshready: ${error.message}\n`);
      return EXIT_USAGE;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code) {
      terminal.stderr(`meshready: ${(error as Error).message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}
