import { RE2JS } from 're2js';
import type { GoFunction } from '../values.js';
import { fail, goFunction } from './define.js';
import { quoteGo } from '../fmt.js';
import { isDigit, isLetter } from './text.js';

/**
 * Go's regexp for Sprig's regex functions, on re2js (the RE2/J port: RE2 syntax, as Go's,
 * and matching in linear time, so a pull request's template cannot stall a worker with a
 * pathological pattern). re2js gives the matches; the iteration rules of Go's FindAll,
 * ReplaceAll and Split (empty matches, advancing by one rune) and Regexp.Expand's `$1`,
 * `${name}` syntax are ported here, since re2js's own follow JavaScript's or Java's.
 */

export class GoRegexp {
  private readonly re: RE2JS;
  private readonly names: Record<string, number>;

  private constructor(readonly expr: string, re: RE2JS) {
    this.re = re;
    this.names = re.namedGroups();
  }

  /**
   * regexp.Compile: the error is Go's text (`error parsing regexp: missing closing ): `(``).
   * Compiled expressions are kept (a chart's loop calls the same pattern again and again).
   */
  static compile(expr: string): GoRegexp {
    const known = compiledExpressions.get(expr);
    if (known) return known;
    let re: GoRegexp;
    try {
      re = new GoRegexp(expr, RE2JS.compile(renameDuplicateGroups(expr)));
    } catch (error) {
      const message = (error as Error).message;
      throw new Error(/: `[^]*`$/.test(message) ? message : `${message}: \`\``);
    }
    if (compiledExpressions.size >= 256) compiledExpressions.delete(compiledExpressions.keys().next().value!);
    compiledExpressions.set(expr, re);
    return re;
  }

  /** Every match's group offsets (UTF-16), as Go's allMatches finds them: at most n (n < 0: all). */
  matches(text: string, n: number): number[][] {
    const limit = n < 0 ? text.length + 1 : n;
    const found: number[][] = [];
    const matcher = this.re.matcher(text);
    const groups = this.re.groupCount();
    let position = 0;
    let previousEnd = -1;
    while (found.length < limit && position <= text.length) {
      if (!matcher.find(position)) break;
      const offsets: number[] = [];
      for (let group = 0; group <= groups; group++) offsets.push(matcher.start(group), matcher.end(group));
      const [start, end] = offsets as [number, number];
      let accept = true;
      if (end === position) {
        // An empty match right after the previous match does not count.
        if (start === previousEnd) accept = false;
        position += position < text.length ? runeWidth(text, position) : 1;
      } else {
        position = end;
      }
      previousEnd = end;
      if (accept) found.push(offsets);
    }
    return found;
  }

  test(text: string): boolean {
    return this.re.matcher(text).find(0);
  }

  findString(text: string): string {
    const [match] = this.matches(text, 1);
    return match ? text.slice(match[0], match[1]) : '';
  }

  /** FindStringSubmatch: the first match and its groups ("" for a group that took no part), or null. */
  findSubmatch(text: string): string[] | null {
    const [match] = this.matches(text, 1);
    if (!match) return null;
    const groups: string[] = [];
    for (let i = 0; i < match.length; i += 2) groups.push(match[i]! >= 0 ? text.slice(match[i], match[i + 1]) : '');
    return groups;
  }

  findAllString(text: string, n: number): string[] {
    return this.matches(text, n).map(([start, end]) => text.slice(start, end));
  }

  /** Go's replaceAll: the replacement for each match, none for an empty match right after one. */
  replaceAll(text: string, replacement: (match: number[]) => string): string {
    let out = '';
    let lastEnd = 0;
    let search = 0;
    const matcher = this.re.matcher(text);
    const groups = this.re.groupCount();
    while (search <= text.length) {
      if (!matcher.find(search)) break;
      const match: number[] = [];
      for (let group = 0; group <= groups; group++) match.push(matcher.start(group), matcher.end(group));
      const [start, end] = match as [number, number];
      out += text.slice(lastEnd, start);
      if (end > lastEnd || start === 0) out += replacement(match);
      lastEnd = end;
      const width = search < text.length ? runeWidth(text, search) : 0;
      if (search + width > end) search += width;
      else if (search + 1 > end) search++;
      else search = end;
    }
    return out + text.slice(lastEnd);
  }

  /** Regexp.Expand: `$1`, `$name`, `${name}`, `$$`; an unknown or unmatched group is empty. */
  expand(template: string, text: string, match: number[]): string {
    let out = '';
    let rest = template;
    for (;;) {
      const dollar = rest.indexOf('$');
      if (dollar === -1) break;
      out += rest.slice(0, dollar);
      rest = rest.slice(dollar + 1);
      if (rest.startsWith('$')) {
        out += '$';
        rest = rest.slice(1);
        continue;
      }
      const reference = extractReference(rest);
      if (!reference) {
        out += '$';
        continue;
      }
      rest = reference.rest;
      const group = reference.number ?? this.names[reference.name];
      if (group === undefined) continue;
      const start = match[2 * group];
      const end = match[2 * group + 1];
      if (start !== undefined && end !== undefined && start >= 0) out += text.slice(start, end);
    }
    return out + rest;
  }

  /** Regexp.Split. */
  split(text: string, n: number): string[] {
    if (n === 0) return [];
    if (this.expr.length > 0 && text.length === 0) return [''];
    const parts: string[] = [];
    let begin = 0;
    let end = 0;
    for (const [start, stop] of this.matches(text, n) as [number, number][]) {
      if (n > 0 && parts.length === n - 1) break;
      end = start;
      if (stop !== 0) parts.push(text.slice(begin, end));
      begin = stop;
    }
    if (end !== text.length) parts.push(text.slice(begin));
    return parts;
  }
}

const compiledExpressions = new Map<string, GoRegexp>();

/**
 * Go accepts a capture name twice (Expand's `${name}` then means the first); RE2/J refuses
 * it. The later groups of a name get names no template can write, so the first keeps it.
 */
function renameDuplicateGroups(expr: string): string {
  const seen = new Set<string>();
  let out = '';
  let i = 0;
  let inClass = false;
  while (i < expr.length) {
    const c = expr[i]!;
    if (c === '\\') {
      if (expr[i + 1] === 'Q') {
        const end = expr.indexOf('\\E', i + 2);
        const stop = end === -1 ? expr.length : end + 2;
        out += expr.slice(i, stop);
        i = stop;
        continue;
      }
      out += expr.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (inClass) {
      if (expr.startsWith('[:', i)) {
        const end = expr.indexOf(':]', i + 2);
        if (end !== -1) {
          out += expr.slice(i, end + 2);
          i = end + 2;
          continue;
        }
      }
      if (c === ']') inClass = false;
      out += c;
      i++;
      continue;
    }
    if (c === '[') {
      inClass = true;
      let start = i + 1;
      if (expr[start] === '^') start++;
      if (expr[start] === ']') start++;
      out += expr.slice(i, start);
      i = start;
      continue;
    }
    const named = /^\(\?P?<([A-Za-z0-9_]+)>/.exec(expr.slice(i));
    if (named) {
      const name = named[1]!;
      out += seen.has(name) ? `(?P<${name}_${i}>` : named[0];
      seen.add(name);
      i += named[0].length;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

function runeWidth(text: string, at: number): number {
  return text.codePointAt(at)! > 0xffff ? 2 : 1;
}

/** Go's extract: a name of letters, digits and `_`, braced or not; all digits is a group number (no leading zero). */
function extractReference(text: string): { name: string; number?: number; rest: string } | undefined {
  const braced = text.startsWith('{');
  const body = braced ? text.slice(1) : text;
  let length = 0;
  for (const rune of body) {
    if (!isLetter(rune) && !isDigit(rune) && rune !== '_') break;
    length += rune.length;
  }
  if (length === 0) return undefined;
  const name = body.slice(0, length);
  let after = body.slice(length);
  if (braced) {
    if (!after.startsWith('}')) return undefined;
    after = after.slice(1);
  }
  const numeric = /^[0-9]+$/.test(name) && !(name[0] === '0' && name.length > 1) && name.length <= 9;
  return numeric ? { name, number: Number(name), rest: after } : { name, rest: after };
}

/** regexp.QuoteMeta. */
function quoteMeta(text: string): string {
  return text.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

function compiled(expr: string): GoRegexp {
  try {
    return GoRegexp.compile(expr);
  } catch (error) {
    return fail((error as Error).message);
  }
}

/** regexp.MustCompile's panic text, which the non-must functions fail with. */
function mustCompile(expr: string): GoRegexp {
  try {
    return GoRegexp.compile(expr);
  } catch (error) {
    return fail(`regexp: Compile(${goQuote(expr)}): ${(error as Error).message}`);
  }
}

/** regexp's quote: backquoted when strconv.CanBackquote allows, else strconv.Quote. */
function goQuote(text: string): string {
  return /[`\x00-\x08\x0a-\x1f\x7f\ufeff]/.test(text) ? quoteGo(text) : `\`${text}\``;
}

const find = (compile: (expr: string) => GoRegexp) => (expr: string, text: string) => compile(expr).findString(text);
const findAll = (compile: (expr: string) => GoRegexp) => (expr: string, text: string, n: bigint) => compile(expr).findAllString(text, Number(n));
const replace = (compile: (expr: string) => GoRegexp) => (expr: string, text: string, replacement: string) => {
  const re = compile(expr);
  return re.replaceAll(text, (match) => re.expand(replacement, text, match));
};
const replaceLiteral = (compile: (expr: string) => GoRegexp) => (expr: string, text: string, replacement: string) =>
  compile(expr).replaceAll(text, () => replacement);
const split = (compile: (expr: string) => GoRegexp) => (expr: string, text: string, n: bigint) => compile(expr).split(text, Number(n));

export const REGEX_FUNCTIONS: ReadonlyMap<string, GoFunction> = new Map<string, GoFunction>([
  [
    'regexMatch',
    goFunction(['string', 'string'], (expr: string, text: string) => {
      try {
        return GoRegexp.compile(expr).test(text);
      } catch {
        return false;
      }
    }),
  ],
  ['mustRegexMatch', goFunction(['string', 'string'], (expr: string, text: string) => compiled(expr).test(text))],
  ['regexFindAll', goFunction(['string', 'string', 'int'], findAll(mustCompile))],
  ['mustRegexFindAll', goFunction(['string', 'string', 'int'], findAll(compiled))],
  ['regexFind', goFunction(['string', 'string'], find(mustCompile))],
  ['mustRegexFind', goFunction(['string', 'string'], find(compiled))],
  ['regexReplaceAll', goFunction(['string', 'string', 'string'], replace(mustCompile))],
  ['mustRegexReplaceAll', goFunction(['string', 'string', 'string'], replace(compiled))],
  ['regexReplaceAllLiteral', goFunction(['string', 'string', 'string'], replaceLiteral(mustCompile))],
  ['mustRegexReplaceAllLiteral', goFunction(['string', 'string', 'string'], replaceLiteral(compiled))],
  ['regexSplit', goFunction(['string', 'string', 'int'], split(mustCompile))],
  ['mustRegexSplit', goFunction(['string', 'string', 'int'], split(compiled))],
  ['regexQuoteMeta', goFunction(['string'], quoteMeta)],
]);
