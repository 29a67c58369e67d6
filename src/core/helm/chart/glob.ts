/**
 * The globs of `.Files.Glob`: github.com/gobwas/glob v0.2.3 compiled with `/` as the
 * separator. `*` is any run without `/`, `**` any run at all, `?` one character but `/`,
 * `[abc]`/`[!abc]`/`[a-z]`/`[!a-z]` one character (a `/` too), `{a,b}` alternatives, `\`
 * escapes. Its lexer and parser are followed step by step (so that the same patterns are
 * refused), then the tree becomes a regular expression that matches the same names.
 */

type Token =
  | { type: 'text'; raw: string }
  | { type: 'any' | 'super' | 'single' | 'rangeOpen' | 'not' | 'rangeBetween' | 'rangeClose' | 'termsOpen' | 'separator' | 'termsClose' | 'eof' }
  | { type: 'rangeLo' | 'rangeHi'; raw: string }
  | { type: 'error'; message: string };

const TEXT_BREAKERS = ['?', '*', '[', '{'];
const TERMS_BREAKERS = [...TEXT_BREAKERS, '}', ','];

class GlobLexer {
  private readonly runes: string[];
  private at = 0;
  private error: string | undefined;
  private readonly queue: Token[] = [];
  private termsLevel = 0;

  constructor(source: string) {
    this.runes = [...source];
  }

  next(): Token {
    for (;;) {
      // A lexer error discards what was queued before it, as gobwas's does.
      if (this.error !== undefined) return { type: 'error', message: this.error };
      const queued = this.queue.shift();
      if (queued) return queued;
      this.fetchItem();
    }
  }

  private read(): string | undefined {
    return this.runes[this.at++];
  }

  private unread(): void {
    this.at--;
  }

  private peek(): string | undefined {
    return this.runes[this.at];
  }

  private fetchItem(): void {
    const char = this.read();
    if (char === undefined) {
      this.at = this.runes.length;
      this.queue.push({ type: 'eof' });
    } else if (char === '{') {
      this.termsLevel++;
      this.queue.push({ type: 'termsOpen' });
    } else if (char === ',' && this.termsLevel > 0) {
      this.queue.push({ type: 'separator' });
    } else if (char === '}' && this.termsLevel > 0) {
      this.queue.push({ type: 'termsClose' });
      this.termsLevel--;
    } else if (char === '[') {
      this.queue.push({ type: 'rangeOpen' });
      this.fetchRange();
    } else if (char === '?') {
      this.queue.push({ type: 'single' });
    } else if (char === '*') {
      if (this.peek() === '*') {
        this.at++;
        this.queue.push({ type: 'super' });
      } else this.queue.push({ type: 'any' });
    } else {
      this.unread();
      this.fetchText(this.termsLevel > 0 ? TERMS_BREAKERS : TEXT_BREAKERS);
    }
  }

  private fetchRange(): void {
    let wantHigh = false;
    let wantClose = false;
    let seenNot = false;
    for (;;) {
      const char = this.read();
      if (char === undefined) {
        this.error = 'unexpected end of input';
        return;
      }
      if (wantClose) {
        if (char !== ']') this.error = 'expected close range character';
        else this.queue.push({ type: 'rangeClose' });
        return;
      }
      if (wantHigh) {
        this.queue.push({ type: 'rangeHi', raw: char });
        wantClose = true;
        continue;
      }
      if (!seenNot && char === '!') {
        this.queue.push({ type: 'not' });
        seenNot = true;
        continue;
      }
      if (this.peek() === '-') {
        this.at++;
        this.queue.push({ type: 'rangeLo', raw: char }, { type: 'rangeBetween' });
        wantHigh = true;
        continue;
      }
      this.unread();
      this.fetchText([']']);
      wantClose = true;
    }
  }

  private fetchText(breakers: string[]): void {
    let text = '';
    let escaped = false;
    for (;;) {
      const char = this.read();
      if (char === undefined) {
        this.at = this.runes.length;
        break;
      }
      if (!escaped) {
        if (char === '\\') {
          escaped = true;
          continue;
        }
        if (breakers.includes(char)) {
          this.unread();
          break;
        }
      }
      escaped = false;
      text += char;
    }
    if (text !== '') this.queue.push({ type: 'text', raw: text });
  }
}

/** A parsed glob: a pattern is a sequence of these; alternatives hold patterns. */
type GlobNode =
  | { kind: 'text'; text: string }
  | { kind: 'any' | 'super' | 'single' }
  | { kind: 'list'; chars: string; not: boolean }
  | { kind: 'range'; low: string; high: string; not: boolean }
  | { kind: 'anyOf'; patterns: GlobNode[][] };

interface PatternFrame {
  nodes: GlobNode[];
  /** The alternatives this pattern is one of, and the pattern holding them. */
  parent?: { alternatives: GlobNode[][]; frame: PatternFrame };
}

function parseGlob(source: string): GlobNode[] {
  const lexer = new GlobLexer(source);
  const root: PatternFrame = { nodes: [] };
  let frame = root;
  for (;;) {
    const token = lexer.next();
    switch (token.type) {
      case 'eof':
        return root.nodes;
      case 'error':
        throw new Error(token.message);
      case 'text':
        frame.nodes.push({ kind: 'text', text: token.raw });
        break;
      case 'any':
      case 'super':
      case 'single':
        frame.nodes.push({ kind: token.type });
        break;
      case 'rangeOpen':
        frame.nodes.push(parseRange(lexer));
        break;
      case 'termsOpen': {
        const alternatives: GlobNode[][] = [[]];
        frame.nodes.push({ kind: 'anyOf', patterns: alternatives });
        frame = { nodes: alternatives[0]!, parent: { alternatives, frame } };
        break;
      }
      case 'separator': {
        const parent = frame.parent!;
        const nodes: GlobNode[] = [];
        parent.alternatives.push(nodes);
        frame = { nodes, parent };
        break;
      }
      case 'termsClose':
        frame = frame.parent!.frame;
        break;
      default:
        throw new Error(`unexpected token: ${token.type}`);
    }
  }
}

function parseRange(lexer: GlobLexer): GlobNode {
  let not = false;
  let low = '';
  let high = '';
  let chars = '';
  for (;;) {
    const token = lexer.next();
    switch (token.type) {
      case 'eof':
        throw new Error('unexpected end');
      case 'error':
        throw new Error(token.message);
      case 'not':
        not = true;
        break;
      case 'rangeLo':
        low = token.raw;
        break;
      case 'rangeHi':
        high = token.raw;
        if (high.codePointAt(0)! < low.codePointAt(0)!) throw new Error(`hi character '${high}' should be greater than lo '${low}'`);
        break;
      case 'text':
        chars = token.raw;
        break;
      case 'rangeClose': {
        const isRange = low !== '' && low !== '\0' && high !== '' && high !== '\0';
        if ((chars !== '') === isRange) throw new Error('could not parse range');
        return isRange ? { kind: 'range', low, high, not } : { kind: 'list', chars, not };
      }
      default:
        break;
    }
  }
}

const escapeOutside = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
const escapeInClass = (text: string) => text.replace(/[\\\]^[-]/g, '\\$&');

function regexOf(nodes: GlobNode[]): string {
  return nodes
    .map((node) => {
      switch (node.kind) {
        case 'text':
          return escapeOutside(node.text);
        case 'any':
          return '[^/]*';
        case 'super':
          return '[^]*';
        case 'single':
          return '[^/]';
        case 'list':
          return `[${node.not ? '^' : ''}${escapeInClass(node.chars)}]`;
        case 'range':
          return `[${node.not ? '^' : ''}${escapeInClass(node.low)}-${escapeInClass(node.high)}]`;
        case 'anyOf':
          return `(?:${node.patterns.map(regexOf).join('|')})`;
      }
    })
    .join('');
}

/** A name matcher for a `.Files.Glob` pattern; throws gobwas's error for one it refuses. */
export function compileGlob(pattern: string): (name: string) => boolean {
  const regex = new RegExp(`^${regexOf(parseGlob(pattern))}$`, 'u');
  return (name) => regex.test(name);
}
