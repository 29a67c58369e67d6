import { parsePatch } from 'diff';

/** The new-side lines of one hunk: every one of them is an added or a context line. */
export interface HunkRange {
  firstLine: number;
  lastLine: number;
}

export type DiffLines =
  | { kind: 'hunks'; hunks: HunkRange[] }
  /** No usable patch (binary, too large, truncated): findings can only be annotations. */
  | { kind: 'none'; reason: string };

/**
 * The lines of the head file a review may comment on (RIGHT side): those inside a hunk
 * of GitHub's `patch` for the file. New-side numbering starts at a hunk's `newStart`;
 * added and context lines advance it, removed lines and "\ No newline" markers do not.
 */
export function diffLinesOf(patch: string | undefined): DiffLines {
  if (patch === undefined || patch === '') return { kind: 'none', reason: 'GitHub sent no patch for this file (too large)' };
  let parsed;
  try {
    parsed = parsePatch(patch);
  } catch (error) {
    return { kind: 'none', reason: `the patch does not parse (${(error as Error).message})` };
  }
  const hunks: HunkRange[] = [];
  for (const file of parsed) {
    for (const hunk of file.hunks) {
      let line = hunk.newStart;
      let first: number | undefined;
      let last: number | undefined;
      for (const text of hunk.lines) {
        const marker = text[0];
        if (marker === '+' || marker === ' ') {
          first ??= line;
          last = line;
          line++;
        }
      }
      if (first !== undefined && last !== undefined) hunks.push({ firstLine: first, lastLine: last });
    }
  }
  return { kind: 'hunks', hunks };
}

/** The hunk holding every line from `first` to `last`, if one does. */
export function hunkContaining(lines: DiffLines, first: number, last: number): HunkRange | undefined {
  if (lines.kind === 'none') return undefined;
  return lines.hunks.find((hunk) => hunk.firstLine <= first && last <= hunk.lastLine);
}
