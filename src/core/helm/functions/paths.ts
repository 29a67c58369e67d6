import type { GoFunction } from '../values.js';
import { goFunction } from './define.js';

/**
 * Go's path package (base, dir, clean, ext, isAbs) and path/filepath (the os* names),
 * which on Linux, where helm runs, read paths the same way: `/` separated, lexically.
 */

/** path.Clean: one slash between elements, no `.`, `..` resolved lexically, "." for nothing. */
function cleanPath(path: string): string {
  if (path === '') return '.';
  const rooted = path.startsWith('/');
  const out: string[] = [];
  for (const element of path.split('/')) {
    if (element === '' || element === '.') continue;
    if (element === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(element);
  }
  const joined = out.join('/');
  if (rooted) return `/${joined}`;
  return joined === '' ? '.' : joined;
}

function basePath(path: string): string {
  if (path === '') return '.';
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

function dirPath(path: string): string {
  return cleanPath(path.slice(0, path.lastIndexOf('/') + 1));
}

function extPath(path: string): string {
  for (let i = path.length - 1; i >= 0 && path[i] !== '/'; i--) {
    if (path[i] === '.') return path.slice(i);
  }
  return '';
}

const isAbs = (path: string): boolean => path.startsWith('/');

export const PATH_FUNCTIONS: ReadonlyMap<string, GoFunction> = new Map<string, GoFunction>(
  (
    [
      ['base', basePath],
      ['dir', dirPath],
      ['clean', cleanPath],
      ['ext', extPath],
      ['isAbs', isAbs],
      ['osBase', basePath],
      ['osClean', cleanPath],
      ['osDir', dirPath],
      ['osExt', extPath],
      ['osIsAbs', isAbs],
    ] as const
  ).map(([name, call]) => [name, goFunction(['string'], call)]),
);
