import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyze } from '../src/core/analyze.js';
import { DEFAULT_CONFIG } from '../src/core/config.js';
import type { MeshreadyConfig } from '../src/core/config.js';
import type { AnalysisReport, SourceFile } from '../src/core/types.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export function fixture(path: string): SourceFile {
  return { path, text: readFileSync(`${ROOT}/fixtures/${path}`, 'utf8') };
}

export function lint(files: SourceFile[], config: MeshreadyConfig = DEFAULT_CONFIG): AnalysisReport {
  return analyze(files, config, { filterPaths: false });
}

/** `rule@line:column`, the shape most assertions compare. */
export function locations(report: AnalysisReport): string[] {
  return report.findings.map((finding) => `${finding.ruleId}@${finding.span.startLine}:${finding.span.startColumn}`);
}

export function withConfig(overrides: Partial<MeshreadyConfig>): MeshreadyConfig {
  return { ...DEFAULT_CONFIG, ...overrides };
}
