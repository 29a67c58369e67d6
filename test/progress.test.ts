import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLint } from '../src/cli/lint.js';
import type { Terminal } from '../src/cli/lint.js';

/** A terminal whose clock moves 400 ms at each look, so a run "takes" seconds without waiting. */
function terminal(cwd: string, progress: boolean): Terminal & { errors: string[] } {
  let clock = 0;
  const errors: string[] = [];
  return {
    cwd,
    stdout: () => undefined,
    stderr: (text) => errors.push(text),
    readStdin: async () => Buffer.from(''),
    colour: false,
    progress,
    now: () => (clock += 400),
    errors,
  };
}

describe('progress on a terminal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshready-progress-'));
  for (let index = 0; index < 5; index++) writeFileSync(join(dir, `f${index}.yaml`), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n');

  it('shows files read, then checked, / total on stderr once the run has taken a second, and clears the line', async () => {
    const tty = terminal(dir, true);
    expect(await runLint({ paths: ['.'], format: 'json' }, tty, '0')).toBe(0);
    expect(tty.errors).toEqual([
      ...[3, 4, 5].map((read) => `\rmeshready: read ${read} / 5 files`),
      ...[1, 2, 3, 4, 5].map((checked) => `\rmeshready: checked ${checked} / 5 files`),
      '\r\u001b[K',
    ]);
  });

  it('says nothing when stderr is no terminal', async () => {
    const piped = terminal(dir, false);
    await runLint({ paths: ['.'], format: 'json' }, piped, '0');
    expect(piped.errors).toEqual([]);
  });
});
