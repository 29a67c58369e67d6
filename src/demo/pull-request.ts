import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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

/**
 * The patches `git diff -U3` gives (GitHub's are git's), by path: one `git diff --no-index`
 * over two trees written out, which is what GitHub runs. Undefined where git is missing.
 */
export function gitPatches(changes: { path: string; before?: string; after?: string }[]): Map<string, string> | undefined {
  if (changes.length === 0) return new Map();
  const root = mkdtempSync(join(tmpdir(), 'meshready-diff-'));
  try {
    for (const { path, before, after } of changes) {
      for (const [side, text] of [['a', before], ['b', after]] as const) {
        if (text === undefined) continue;
        mkdirSync(dirname(join(root, side, path)), { recursive: true });
        writeFileSync(join(root, side, path), text);
      }
    }
    mkdirSync(join(root, 'a'), { recursive: true });
    mkdirSync(join(root, 'b'), { recursive: true });
    const diff = spawnSync('git', ['diff', '--no-index', '--no-prefix', '--no-color', '--no-ext-diff', '--no-renames', '-U3', 'a', 'b'], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 30 });
    if (diff.error || (diff.status !== 0 && diff.status !== 1)) return undefined;
    const patches = new Map<string, string>();
    for (const block of diff.stdout.split(/^diff --git /m).slice(1)) {
      const name = /^\+\+\+ b\/(.*)$/m.exec(block)?.[1] ?? /^--- a\/(.*)$/m.exec(block)?.[1];
      const hunks = block.indexOf('\n@@');
      if (name !== undefined && hunks !== -1) patches.set(name, block.slice(hunks + 1).replace(/\n$/, ''));
    }
    return patches;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** The files of a pull request from base to head, as GitHub's "list pull request files" shows them. */
export function changedFiles(base: Map<string, string>, head: Map<string, string>): FakeFile[] {
  const files: FakeFile[] = [];
  const paths = [...new Set([...base.keys(), ...head.keys()])].sort().filter((path) => base.get(path) !== head.get(path));
  const isBinary = (path: string) => (base.get(path) ?? '').includes('\u0000') || (head.get(path) ?? '').includes('\u0000');
  const fromGit = gitPatches(
    paths.filter((path) => !isBinary(path)).map((path) => ({ path, ...(base.has(path) ? { before: base.get(path)! } : {}), ...(head.has(path) ? { after: head.get(path)! } : {}) })),
  );
  for (const path of paths) {
    const before = base.get(path);
    const after = head.get(path);
    const patch = isBinary(path) ? undefined : fromGit ? fromGit.get(path) : githubPatch(before ?? '', after ?? '');
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
