import { lstatSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { pathMatcher } from '../core/config.js';
import type { MeshreadyConfig } from '../core/config.js';
import { oversizeReason } from '../core/manifest.js';
import type { SkippedFile, SourceFile } from '../core/types.js';

export const STDIN_PATH = '<stdin>';

/** Directories never worth walking into. */
const PRUNED_DIRECTORIES = new Set(['.git', 'node_modules']);

export interface CollectedFiles {
  files: SourceFile[];
  /** Files too large to read: skipped without loading them. */
  skipped: SkippedFile[];
}

export class InputError extends Error {}

function displayPath(cwd: string, path: string): string {
  const shown = relative(cwd, path);
  // Outside the working directory a relative path would read as ../../..; show it whole.
  return (shown === '' || shown.startsWith('..') ? path : shown).split(sep).join('/');
}

// File system calls are synchronous: the CLI has nothing else to do meanwhile, and for a
// repository of small manifests they take a third of the time of awaited ones.
function readSource(absolute: string, shown: string, config: MeshreadyConfig, out: CollectedFiles): void {
  const size = statSync(absolute).size;
  const oversize = oversizeReason(size, config.limits);
  if (oversize) {
    out.skipped.push({ file: shown, reason: oversize });
    return;
  }
  out.files.push({ path: shown, text: readFileSync(absolute, 'utf8') });
}

function walk(directory: string, cwd: string, config: MeshreadyConfig, isIncluded: (path: string) => boolean, out: CollectedFiles): void {
  const entries = readdirSync(directory, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    const absolute = join(directory, entry.name);
    // Symbolic links are not followed: a link cycle would never end.
    if (entry.isDirectory() && !PRUNED_DIRECTORIES.has(entry.name)) walk(absolute, cwd, config, isIncluded, out);
    else if (entry.isFile() && isIncluded(displayPath(cwd, absolute))) readSource(absolute, displayPath(cwd, absolute), config, out);
  }
}

/**
 * Reads what the command line names: files as given, directories recursively (only the
 * files the config's globs include), `-` from standard input.
 */
export async function collectFiles(
  paths: string[],
  config: MeshreadyConfig,
  cwd: string,
  readStdin: () => Promise<string>,
): Promise<CollectedFiles> {
  const out: CollectedFiles = { files: [], skipped: [] };
  const isIncluded = pathMatcher(config.paths);
  for (const path of paths) {
    if (path === '-') {
      out.files.push({ path: STDIN_PATH, text: await readStdin() });
      continue;
    }
    const absolute = resolve(cwd, path);
    const info = lstatSync(absolute, { throwIfNoEntry: false });
    if (!info) throw new InputError(`${path}: no such file or directory`);
    if (info.isDirectory()) walk(absolute, cwd, config, isIncluded, out);
    else readSource(absolute, displayPath(cwd, absolute), config, out);
  }
  return out;
}
