import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
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

/** A directory's files by path from it (or at `under` in a repository), as text: a repository's tree for the fake GitHub. */
export function treeOf(root: string, under = ''): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (directory: string) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) walk(path);
      else files[`${under === '' ? '' : `${under}/`}${relative(root, path).split(sep).join('/')}`] = readFileSync(path, 'utf8');
    }
  };
  walk(root);
  return files;
}
