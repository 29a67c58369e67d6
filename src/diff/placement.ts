import { applyEdits } from '../core/fix.js';
import { LineIndex } from '../core/source.js';
import type { Finding } from '../core/types.js';
import { diffLinesOf, hunkContaining } from './hunks.js';
import type { DiffLines } from './hunks.js';

export interface Suggestion {
  /** First and last head-file line the block replaces. */
  startLine: number;
  line: number;
  /** The full new text of those lines, `\n`-separated, no final line break. */
  replacement: string;
}

/** A review comment on `line` (and from `startLine` when it spans several), RIGHT side. */
export type Placement =
  | { kind: 'comment'; startLine?: number; line: number; suggestion?: Suggestion }
  | { kind: 'annotation'; reason: string };

/** Why a finding is an annotation only, when it sits outside what the pull request changes: in a file it does not change, or on lines outside the file's hunks. */
export const NOT_IN_PULL_REQUEST = 'not a file of this pull request';
export const OUTSIDE_DIFF = 'the line is outside the diff';

export interface PlacementOptions {
  suggestions: boolean;
}

/**
 * The lines a fix rewrites and their new text. Undefined when its edits reach another
 * file: a suggestion block can only rewrite lines of the file it sits on.
 */
export function suggestionFor(finding: Finding, text: string, lines: LineIndex = new LineIndex(text)): Suggestion | undefined {
  const edits = finding.fix?.edits;
  if (!edits || edits.length === 0 || edits.some((edit) => edit.file !== finding.file)) return undefined;
  const start = Math.min(...edits.map((edit) => edit.startOffset));
  const end = Math.max(...edits.map((edit) => edit.endOffset));
  const startLine = lines.lineOf(start);
  const line = lines.lineOf(end);
  // Only the lines the block replaces are rewritten: a copy of the whole file for each of
  // thousands of suggestions on a large file would take gigabytes.
  const from = lines.lineStart(startLine);
  const to = Math.max(lines.lineContentEnd(line), end);
  const shifted = edits.map((edit) => ({ ...edit, startOffset: edit.startOffset - from, endOffset: edit.endOffset - from }));
  const replacement = applyEdits(text.slice(from, to), shifted).replaceAll('\r\n', '\n');
  return { startLine, line, replacement };
}

/**
 * Where a finding can be shown on a pull request. A review comment only on a line inside
 * a hunk (GitHub answers 422 otherwise); a suggestion only when the lines its fix
 * rewrites all sit in one hunk. Everything else is an annotation of the check run.
 */
export function placeFinding(finding: Finding, text: string, diff: DiffLines, options: PlacementOptions, lines?: LineIndex): Placement {
  if (diff.kind === 'none') return { kind: 'annotation', reason: diff.reason };
  const line = finding.span.startLine;
  if (!hunkContaining(diff, line, line)) return { kind: 'annotation', reason: OUTSIDE_DIFF };
  const suggestion = options.suggestions ? suggestionFor(finding, text, lines) : undefined;
  // The block replaces exactly the lines the comment is on, so the comment moves to them.
  if (suggestion && hunkContaining(diff, Math.min(line, suggestion.startLine), Math.max(line, suggestion.line))) {
    return {
      kind: 'comment',
      ...(suggestion.startLine < suggestion.line ? { startLine: suggestion.startLine } : {}),
      line: suggestion.line,
      suggestion,
    };
  }
  return { kind: 'comment', line };
}

/** One file of a pull request's diff, as GitHub lists it: `patch` is absent for binary files and diffs too large to show. */
export interface DiffFile {
  path: string;
  patch?: string;
}

export interface PlacedFinding {
  finding: Finding;
  placement: Placement;
}

/**
 * Where each finding can go on a pull request: `diff` says which files changed and how,
 * `texts` holds the head text of the files findings are on, by path (what a suggestion rewrites). A
 * finding in a file outside the diff stays an annotation.
 */
export function placeFindings(findings: Finding[], diff: readonly DiffFile[], texts: ReadonlyMap<string, string>, options: PlacementOptions): PlacedFinding[] {
  const patches = new Map(diff.map((file) => [file.path, file.patch]));
  const diffs = new Map<string, DiffLines>();
  const lineIndexes = new Map<string, LineIndex>();
  return findings.map((finding) => {
    const text = texts.get(finding.file);
    if (text === undefined || !patches.has(finding.file)) return { finding, placement: { kind: 'annotation', reason: NOT_IN_PULL_REQUEST } };
    let lines = diffs.get(finding.file);
    if (!lines) diffs.set(finding.file, (lines = diffLinesOf(patches.get(finding.file))));
    let index = lineIndexes.get(finding.file);
    if (!index) lineIndexes.set(finding.file, (index = new LineIndex(text)));
    return { finding, placement: placeFinding(finding, text, lines, options, index) };
  });
}
