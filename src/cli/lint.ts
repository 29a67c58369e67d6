import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { analyze, failsGate } from '../core/analyze.js';
import { CONFIG_PATH, DEFAULT_CONFIG, parseConfigText } from '../core/config.js';
import type { MeshreadyConfig } from '../core/config.js';
import type { AnalysisReport } from '../core/types.js';
import { collectFiles, InputError } from './files.js';
import { formatJson } from './formats/json.js';
import { formatSarif } from './formats/sarif.js';
import { formatText } from './formats/text.js';

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
}

export interface Terminal {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Standard input's bytes, or undefined when they run past `maxBytes`. */
  readStdin: (maxBytes: number) => Promise<Buffer | undefined>;
  colour: boolean;
}

async function loadConfig(options: LintOptions, terminal: Terminal): Promise<MeshreadyConfig> {
  const path = options.config ?? (existsSync(resolve(terminal.cwd, CONFIG_PATH)) ? CONFIG_PATH : undefined);
  if (!path) return DEFAULT_CONFIG;
  const text = await readFile(resolve(terminal.cwd, path), 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`${path}: cannot read config (${error.code ?? error.message})`);
  });
  const result = parseConfigText(text);
  if (!result.ok) throw new InputError(`${path}: invalid config:\n  ${result.errors.join('\n  ')}`);
  return result.config;
}

export function render(report: AnalysisReport, format: OutputFormat, colour: boolean, version: string): string {
  if (format === 'json') return formatJson(report);
  if (format === 'sarif') return formatSarif(report, version);
  return formatText(report, { colour });
}

/** `meshready lint`: exit 0 when nothing reaches `failOn`, 1 when something does, 2 on usage or I/O errors. */
export async function runLint(options: LintOptions, terminal: Terminal, version: string): Promise<number> {
  try {
    const config = await loadConfig(options, terminal);
    const collected = await collectFiles(options.paths.length > 0 ? options.paths : ['.'], config, terminal.cwd, terminal.readStdin);
    const analysed = analyze(collected.files, config, { filterPaths: false });
    const report: AnalysisReport = {
      ...analysed,
      skipped: [...collected.skipped, ...analysed.skipped],
      stats: { ...analysed.stats, files: analysed.stats.files + collected.skipped.length },
    };
    terminal.stdout(render(report, options.format, terminal.colour, version));
    return failsGate(report, { ...config, ...(options.failOnSkipped ? { failOnSkipped: true } : {}) }) ? EXIT_FINDINGS : EXIT_CLEAN;
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
