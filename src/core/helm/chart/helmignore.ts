import { posix } from 'node:path';
import { goPathMatch, goPathMatcher } from './path-match.js';
import { trimGoSpace } from '../yaml/go-text.js';

/**
 * `.helmignore` as helm's `pkg/ignore` reads and applies it: rules in order, the first
 * that decides wins; a `!rule` ignores every path it does not match (helm's behaviour, odd
 * as it is); `dir/` rules only for directories; a rule without `/` is matched against the
 * base name, one with `/` against the whole path, `/rule` from the chart's root.
 */

export const HELM_IGNORE_FILE = '.helmignore';

/** A rule helm refuses (its message: `double-star (**) syntax is not supported`, `syntax error in pattern`). */
export class HelmIgnoreError extends Error {}

interface IgnoreRule {
  matches: (name: string) => boolean;
  negate: boolean;
  mustBeDirectory: boolean;
  /** Matched against the base name only. */
  baseName: boolean;
}

export class HelmIgnore {
  private constructor(private readonly rules: IgnoreRule[]) {}

  /** The rules of a `.helmignore` file (helm reads it line by line, a BOM dropped); throws helm's error for a rule it refuses. */
  static parse(text: string): HelmIgnore {
    const rules: IgnoreRule[] = [];
    const lines = text.replace(/^\uFEFF/, '').split('\n');
    // bufio.Scanner's lines: a final empty line is no line, and "\r" before "\n" is dropped.
    if (lines.at(-1) === '') lines.pop();
    for (const line of lines) addRule(rules, line.endsWith('\r') ? line.slice(0, -1) : line);
    return new HelmIgnore(rules);
  }

  static empty(): HelmIgnore {
    return new HelmIgnore([]);
  }

  /** The rule helm always adds: dotfiles in `templates/`. */
  withDefaults(): HelmIgnore {
    const rules = [...this.rules];
    addRule(rules, 'templates/.?*');
    return new HelmIgnore(rules);
  }

  /** Whether `path` (from the chart's root, `/`-separated) is ignored. */
  ignores(path: string, isDirectory: boolean): boolean {
    if (path === '' || path === '.' || path === './') return false;
    for (const rule of this.rules) {
      const subject = rule.baseName ? posix.basename(path) : path;
      if (rule.negate) {
        if (rule.mustBeDirectory && !isDirectory) return true;
        if (!rule.matches(subject)) return true;
        continue;
      }
      if (rule.mustBeDirectory && !isDirectory) continue;
      if (rule.matches(subject)) return true;
    }
    return false;
  }
}

function matcher(pattern: string): (name: string) => boolean {
  const match = goPathMatcher(pattern);
  return (name) => {
    try {
      return match(name);
    } catch {
      // helm logs the failure and counts the rule as not matching.
      return false;
    }
  };
}

function addRule(rules: IgnoreRule[], line: string): void {
  let rule = trimGoSpace(line);
  if (rule === '' || rule.startsWith('#')) return;
  if (rule.includes('**')) throw new HelmIgnoreError('double-star (**) syntax is not supported');
  try {
    goPathMatch(rule, 'abc');
  } catch (error) {
    throw new HelmIgnoreError((error as Error).message);
  }
  const negate = rule.startsWith('!');
  if (negate) rule = rule.slice(1);
  const mustBeDirectory = rule.endsWith('/');
  if (mustBeDirectory) rule = rule.slice(0, -1);
  if (rule.startsWith('/')) rules.push({ matches: matcher(rule.slice(1)), negate, mustBeDirectory, baseName: false });
  else rules.push({ matches: matcher(rule), negate, mustBeDirectory, baseName: !rule.includes('/') });
}
