import { createHash } from 'node:crypto';
import { structuredPatch } from 'diff';
import type { FakeFile } from './fake-github.js';

/** A hunk range as git prints it: the count is left out when it is 1, the start is the line before when it is 0. */
function range(start: number, count: number): string {
  const shown = count === 0 ? start - 1 : start;
  return count === 1 ? `${shown}` : `${shown},${count}`;
}

/** The `patch` GitHub sends for a file: the hunks of `git diff` with 3 context lines, no headers. */
export function githubPatch(before: string, after: string): string | undefined {
  const { hunks } = structuredPatch('a', 'b', before, after, '', '', { context: 3 });
  if (hunks.length === 0) return undefined;
  return hunks
    .map((hunk) => [`@@ -${range(hunk.oldStart, hunk.oldLines)} +${range(hunk.newStart, hunk.newLines)} @@`, ...hunk.lines].join('\n'))
    .join('\n');
}

/** The files of a pull request from base to head, as GitHub's "list pull request files" shows them. */
export function changedFiles(base: Map<string, string>, head: Map<string, string>): FakeFile[] {
  const files: FakeFile[] = [];
  for (const path of [...new Set([...base.keys(), ...head.keys()])].sort()) {
    const before = base.get(path);
    const after = head.get(path);
    if (before === after) continue;
    const binary = (before ?? '').includes('\u0000') || (after ?? '').includes('\u0000');
    const patch = binary ? undefined : githubPatch(before ?? '', after ?? '');
    const status = before === undefined ? 'added' : after === undefined ? 'removed' : 'modified';
    files.push({ filename: path, status, ...(patch !== undefined ? { patch } : {}) });
  }
  return files;
}

/** A commit SHA for a tree: stable for the same content. */
export function commitShaOf(files: Map<string, string>): string {
  const hash = createHash('sha1');
  for (const [path, text] of [...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) hash.update(`${path}\u0000${text}\u0000`);
  return hash.digest('hex');
}
