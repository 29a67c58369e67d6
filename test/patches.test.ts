import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changedFiles } from '../src/demo/pull-request.js';

/** `git diff -U3` between two commits of a real repository, per file, hunks only (as GitHub's `patch`). */
function realGitPatches(base: Map<string, string>, head: Map<string, string>): Map<string, string> {
  const repo = mkdtempSync(join(tmpdir(), 'meshready-git-'));
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 28 });
  git('init', '-q');
  const commit = (files: Map<string, string>) => {
    git('rm', '-rq', '--ignore-unmatch', '.');
    for (const [path, text] of files) {
      mkdirSync(dirname(join(repo, path)), { recursive: true });
      writeFileSync(join(repo, path), text);
    }
    git('add', '-A');
    git('commit', '-qm', 'c', '--allow-empty');
    return git('rev-parse', 'HEAD').trim();
  };
  const [from, to] = [commit(base), commit(head)];
  const patches = new Map<string, string>();
  for (const block of git('diff', '--no-color', '--no-renames', '-U3', from, to).split(/^diff --git /m).slice(1)) {
    const name = /^\+\+\+ b\/(.*)$/m.exec(block)?.[1] ?? /^--- a\/(.*)$/m.exec(block)?.[1];
    const hunks = block.indexOf('\n@@');
    if (name !== undefined && hunks !== -1) patches.set(name, block.slice(hunks + 1).replace(/\n$/, ''));
  }
  return patches;
}

const line = fc.constantFrom('a: 1', 'b: 2', 'spec:', '  ports:', '    - port: 80', '', '# note', '  name: x', '---');
const file = fc.array(line, { minLength: 0, maxLength: 25 }).map((lines) => (lines.length > 0 ? `${lines.join('\n')}\n` : ''));

describe("the fake's patches", () => {
  it('are what git diff -U3 gives, on 200 random edits (added, removed and changed files)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.option(file, { nil: undefined }), fc.option(file, { nil: undefined })), { minLength: 40, maxLength: 40 }), (pairs) => {
        const base = new Map<string, string>();
        const head = new Map<string, string>();
        pairs.forEach(([before, after], index) => {
          if (before !== undefined) base.set(`k8s/f${index}.yaml`, before);
          if (after !== undefined) head.set(`k8s/f${index}.yaml`, after);
        });
        const fake = new Map(changedFiles(base, head).map((entry) => [entry.filename, entry.patch]));
        const git = realGitPatches(base, head);
        for (const [path, patch] of git) expect(fake.get(path), path).toBe(patch);
      }),
      { numRuns: 5 },
    );
  }, 60_000);
});
