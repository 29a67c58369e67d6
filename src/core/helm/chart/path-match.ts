/**
 * Go's `filepath.Match` on a Unix system (`/` separates, `\` escapes), which `.helmignore`
 * rules and `--show-only` use. Patterns and names are read as code points, as Go reads
 * runes for `?` and classes (its byte-wise literal comparison agrees on valid UTF-8).
 */

/** Go's `filepath.ErrBadPattern`. */
export class BadPatternError extends Error {
  constructor() {
    super('syntax error in pattern');
  }
}

interface Chunk {
  star: boolean;
  chunk: string[];
  rest: string[];
}

function scanChunk(pattern: string[]): Chunk {
  let at = 0;
  let star = false;
  while (at < pattern.length && pattern[at] === '*') {
    at++;
    star = true;
  }
  const body = pattern.slice(at);
  let inRange = false;
  let i = 0;
  scan: for (; i < body.length; i++) {
    switch (body[i]) {
      case '\\':
        if (i + 1 < body.length) i++;
        break;
      case '[':
        inRange = true;
        break;
      case ']':
        inRange = false;
        break;
      case '*':
        if (!inRange) break scan;
        break;
    }
  }
  return { star, chunk: body.slice(0, i), rest: body.slice(i) };
}

/** A class member, possibly escaped: the character and what follows it. */
function getEscaped(chunk: string[]): { char: string; rest: string[] } {
  if (chunk.length === 0 || chunk[0] === '-' || chunk[0] === ']') throw new BadPatternError();
  let rest = chunk;
  if (rest[0] === '\\') {
    rest = rest.slice(1);
    if (rest.length === 0) throw new BadPatternError();
  }
  const char = rest[0]!;
  rest = rest.slice(1);
  if (rest.length === 0) throw new BadPatternError();
  return { char, rest };
}

/** Whether `chunk` matches the start of `name`: the rest of `name` when it does. */
function matchChunk(chunkIn: string[], nameIn: string[]): string[] | undefined {
  let chunk = chunkIn;
  let name = nameIn;
  while (chunk.length > 0) {
    if (name.length === 0) return undefined;
    switch (chunk[0]) {
      case '[': {
        const char = name[0]!;
        name = name.slice(1);
        chunk = chunk.slice(1);
        if (chunk.length === 0) throw new BadPatternError();
        const negated = chunk[0] === '^';
        if (negated) chunk = chunk.slice(1);
        let matched = false;
        let ranges = 0;
        for (;;) {
          if (chunk.length > 0 && chunk[0] === ']' && ranges > 0) {
            chunk = chunk.slice(1);
            break;
          }
          const low = getEscaped(chunk);
          chunk = low.rest;
          let high = low.char;
          if (chunk[0] === '-') {
            const escaped = getEscaped(chunk.slice(1));
            high = escaped.char;
            chunk = escaped.rest;
          }
          const code = char.codePointAt(0)!;
          if (low.char.codePointAt(0)! <= code && code <= high.codePointAt(0)!) matched = true;
          ranges++;
        }
        if (matched === negated) return undefined;
        break;
      }
      case '?':
        if (name[0] === '/') return undefined;
        name = name.slice(1);
        chunk = chunk.slice(1);
        break;
      case '\\':
        chunk = chunk.slice(1);
        if (chunk.length === 0) throw new BadPatternError();
        if (chunk[0] !== name[0]) return undefined;
        name = name.slice(1);
        chunk = chunk.slice(1);
        break;
      default:
        if (chunk[0] !== name[0]) return undefined;
        name = name.slice(1);
        chunk = chunk.slice(1);
    }
  }
  return name;
}

const META = /[*?[\\]/;

/**
 * `filepath.Match` with `pattern` fixed, for matching many names: a pattern without
 * metacharacters is a comparison, `*` and such a literal a test of the name's end.
 */
export function goPathMatcher(pattern: string): (name: string) => boolean {
  if (!META.test(pattern)) return (name) => name === pattern;
  const literal = pattern.slice(1);
  if (pattern[0] === '*' && !META.test(literal)) {
    return (name) => name.endsWith(literal) && !name.slice(0, name.length - literal.length).includes('/');
  }
  return (name) => goPathMatch(pattern, name);
}

/** Go's `filepath.Match(pattern, name)`: throws `BadPatternError` for a malformed pattern. */
export function goPathMatch(patternText: string, nameText: string): boolean {
  let pattern = [...patternText];
  let name = [...nameText];
  pattern: while (pattern.length > 0) {
    const { star, chunk, rest } = scanChunk(pattern);
    pattern = rest;
    if (star && chunk.length === 0) return !name.includes('/');
    const here = matchChunk(chunk, name);
    if (here !== undefined && (here.length === 0 || pattern.length > 0)) {
      name = here;
      continue;
    }
    if (star) {
      for (let i = 0; i < name.length && name[i] !== '/'; i++) {
        const skipped = matchChunk(chunk, name.slice(i + 1));
        if (skipped !== undefined) {
          if (pattern.length === 0 && skipped.length > 0) continue;
          name = skipped;
          continue pattern;
        }
      }
    }
    return false;
  }
  return name.length === 0;
}
