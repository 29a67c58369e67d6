import { analyze } from './analyze.js';
import type { ChartSource } from './chart-source.js';
import { compareFindings } from './compare.js';
import type { CompareScope } from './compare.js';
import type { MeshreadyConfig } from './config.js';
import type { ParseCache } from './parse-cache.js';
import type { AnalysisReport, Finding, SkippedFile, SourceFile } from './types.js';

/**
 * A change judged as the mesh will see it: both commits analysed whole, and what is
 * reported chosen by the config's `filterMode` from how the head's findings compare with
 * the base's (compare.ts). Files that could not be checked are chosen the same way: a file
 * the base could not check either is no news of the change.
 */

/** One commit's files as the analysis takes them: plain manifests, and each Helm chart whole. */
export interface CommitInput {
  files: SourceFile[];
  charts: ChartSource[];
  /** Files the reader could not read (too large, binary): counted as files, listed as skipped, as the CLI does. */
  skipped: SkippedFile[];
}

export interface ChangeInput {
  head: CommitInput;
  /** Undefined when the base is not known: everything at the head is then new. */
  base: CommitInput | undefined;
  /** Head paths the change touches: the `changed-files` scope's files. */
  changedPaths: readonly string[];
}

export interface ChangeAnalysis {
  /** The head's whole report: every finding, what it could not check, its counts. */
  head: AnalysisReport;
  /** The findings `filterMode` reports, in head order: shown, and judged by `failOn`. */
  reported: Finding[];
  /** Head findings with no match on the base. */
  introduced: Finding[];
  /** How many head findings were on the base already, and how many base findings the change removes. */
  existing: number;
  gone: number;
  /** The files the head could not check that `filterMode` reports, and how many more were there on the base already. */
  reportedSkipped: SkippedFile[];
  existingSkipped: number;
}

/** One commit analysed: its plain files and its charts rendered, as the CLI analyses a tree; unread files counted and listed as skipped. */
export function analyzeCommit(commit: CommitInput, config: MeshreadyConfig, parseCache?: ParseCache): AnalysisReport {
  const report = analyze(commit.files, config, { charts: commit.charts, ...(parseCache ? { parseCache } : {}) });
  return {
    ...report,
    skipped: [...commit.skipped, ...report.skipped],
    stats: { ...report.stats, files: report.stats.files + commit.skipped.length },
  };
}

function scopeOf(config: MeshreadyConfig, changedPaths: readonly string[]): CompareScope {
  return config.filterMode === 'changed-files' ? { scope: 'changed-files', changedFiles: new Set(changedPaths) } : { scope: config.filterMode };
}

/** `parseCache`: parses kept across analyses; the base and the head share most of their files. */
export function analyzeChange(input: ChangeInput, config: MeshreadyConfig, parseCache?: ParseCache): ChangeAnalysis {
  const head = analyzeCommit(input.head, config, parseCache);
  const base = input.base ? analyzeCommit(input.base, config, parseCache) : undefined;
  const comparison = compareFindings(base?.findings ?? [], head.findings, scopeOf(config, input.changedPaths));
  const skippedKey = (entry: SkippedFile) => `${entry.file}\u0000${entry.reason}`;
  const skippedOnBase = new Set((base?.skipped ?? []).map(skippedKey));
  const changed = new Set(input.changedPaths);
  const reportedSkipped = head.skipped.filter(
    (entry) => config.filterMode === 'all' || !skippedOnBase.has(skippedKey(entry)) || (config.filterMode === 'changed-files' && changed.has(entry.file)),
  );
  return {
    head,
    reported: comparison.reported,
    introduced: comparison.introduced,
    existing: comparison.existing.length,
    gone: comparison.gone.length,
    reportedSkipped,
    existingSkipped: head.skipped.filter((entry) => skippedOnBase.has(skippedKey(entry))).length,
  };
}
