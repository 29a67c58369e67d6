import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');
const GITHUB = join(SRC, 'github');

/** The stages in the order work flows through them; a stage may import its own and later ones only. */
const STAGES = ['intake', 'jobs', 'worker', 'writes'] as const;
/** Modules beside the stages that every stage may use; they use no stage. */
const SHARED = ['budgets.ts', 'client.ts', 'failures.ts', 'metrics.ts', 'settings.ts', 'types.ts'];
/** The composition root and the entry: they wire the stages, and nothing in a stage knows them. */
const ROOT = ['service.ts', 'start.ts'];

function sources(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(directory, entry.name)) : entry.name.endsWith('.ts') ? [join(directory, entry.name)] : [],
  );
}

/** The files a module imports (relative specifiers, resolved to their .ts source). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^import|^export)[^;]*?from '(\.[^']+)'/gms)].map((match) => resolve(dirname(file), match[1]!.replace(/\.js$/, '.ts')));
}

type Place = { kind: 'stage'; rank: number } | { kind: 'shared' } | { kind: 'root' } | { kind: 'outside' };

function placeOf(file: string): Place {
  const path = relative(GITHUB, file);
  if (path.startsWith('..')) return { kind: 'outside' };
  const [first] = path.split('/');
  const rank = STAGES.indexOf(first as (typeof STAGES)[number]);
  if (rank >= 0) return { kind: 'stage', rank };
  if (SHARED.includes(path)) return { kind: 'shared' };
  if (ROOT.includes(path)) return { kind: 'root' };
  throw new Error(`src/github/${path} is in no stage and not named shared or root: say where it belongs`);
}

/** Every import in src/github/, src/diff/ and src/core/ that points the wrong way, as `from -> to`. */
function wrongImports(): string[] {
  const wrong: string[] = [];
  for (const file of [...sources(GITHUB), ...sources(join(SRC, 'diff')), ...sources(join(SRC, 'core'))]) {
    const from = placeOf(file);
    for (const target of importsOf(file)) {
      const to = placeOf(target);
      const allowed =
        to.kind === 'outside' ||
        (from.kind === 'root' && to.kind !== 'root') ||
        (from.kind === 'root' && relative(GITHUB, file) === 'start.ts') ||
        (from.kind === 'stage' && (to.kind === 'shared' || (to.kind === 'stage' && to.rank >= from.rank))) ||
        (from.kind === 'shared' && to.kind === 'shared');
      if (!allowed) wrong.push(`${relative(SRC, file)} -> ${relative(SRC, target)}`);
    }
  }
  return wrong;
}

describe('the GitHub side, stage by stage', () => {
  it('imports point intake → jobs → worker → writes, shared modules use no stage, and the pure code knows no GitHub', () => {
    expect(wrongImports()).toEqual([]);
  });

  it('reads the environment in one place: the entry, into the settings', () => {
    const readers = sources(GITHUB).filter((file) => readFileSync(file, 'utf8').includes('process.env'));
    expect(readers.map((file) => relative(GITHUB, file))).toEqual(['start.ts']);
  });

  it('routes events with typed handlers: no cast in the routing', () => {
    expect(readFileSync(join(GITHUB, 'intake/routes.ts'), 'utf8')).not.toMatch(/\bas [A-Z{]|\bas unknown\b/);
  });
});
