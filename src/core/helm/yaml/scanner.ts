/**
 * The tokens of a YAML stream as go-yaml v2 (a port of libyaml) scans them: the same
 * tokens, the same acceptance and the same errors, so that what Helm accepts, rejects and
 * says about a values file is what we accept, reject and say. Ported from go-yaml v2.4.3's
 * `scannerc.go` and `readerc.go` (the reader's character checks). It reads the text's UTF-16
 * units, a surrogate pair as one character, and builds values from slices of the text.
 */

/**
 * A position: `index` counts characters (code points) from the start, as libyaml does;
 * `line` and `column` are 0-based; `offset` is the UTF-16 offset in the scanned text.
 */
export interface Mark {
  index: number;
  line: number;
  column: number;
  offset: number;
}

export type TokenType =
  | 'stream-start'
  | 'stream-end'
  | 'version-directive'
  | 'tag-directive'
  | 'document-start'
  | 'document-end'
  | 'block-sequence-start'
  | 'block-mapping-start'
  | 'block-end'
  | 'flow-sequence-start'
  | 'flow-sequence-end'
  | 'flow-mapping-start'
  | 'flow-mapping-end'
  | 'block-entry'
  | 'flow-entry'
  | 'key'
  | 'value'
  | 'alias'
  | 'anchor'
  | 'tag'
  | 'scalar';

export type ScalarStyle = 'plain' | 'single-quoted' | 'double-quoted' | 'literal' | 'folded';

/**
 * A token. Tokens are many and the parser reads their marks for errors alone, so a token
 * holds its start as a Mark's four numbers and its end as an offset, the one part of an
 * end anything reads.
 */
export interface Token {
  type: TokenType;
  startOffset: number;
  startIndex: number;
  startLine: number;
  startColumn: number;
  endOffset: number;
  /** A scalar's value, an anchor's or alias's name, a tag's handle, a %TAG directive's handle. */
  value: string;
  /** A tag's suffix. */
  suffix: string;
  /** A %TAG directive's prefix. */
  prefix: string;
  style: ScalarStyle;
  major: number;
  minor: number;
}

/** Where a token starts, as a Mark. */
export function tokenStart(token: Token): Mark {
  return { index: token.startIndex, line: token.startLine, column: token.startColumn, offset: token.startOffset };
}

/** Which stage found the problem: go-yaml numbers scanner errors' lines differently. */
export type YamlErrorStage = 'reader' | 'scanner' | 'parser';

/** A syntax error as libyaml records it; `goYamlMessage` turns it into go-yaml's text. */
export class YamlSyntaxError extends Error {
  constructor(
    readonly stage: YamlErrorStage,
    readonly problem: string,
    readonly problemMark: Mark | undefined,
    readonly context: string,
    readonly contextMark: Mark | undefined,
  ) {
    super(problem);
  }
}

/** go-yaml's text for a syntax error: its line numbering (a scanner error's line one later than a parser error's) and the problem. */
export function goYamlMessage(error: YamlSyntaxError): string {
  let line = 0;
  if (error.problemMark && error.problemMark.line !== 0) line = error.problemMark.line + (error.stage === 'scanner' ? 1 : 0);
  else if (error.contextMark && error.contextMark.line !== 0) line = error.contextMark.line;
  return `yaml: ${line !== 0 ? `line ${line}: ` : ''}${error.problem || 'unknown problem parsing YAML content'}`;
}

/** A place a simple key may start: the mark is where, kept in the key itself as keys are saved at every scalar. */
interface SimpleKey extends Mark {
  possible: boolean;
  required: boolean;
  tokenNumber: number;
}

const MAX_FLOW_LEVEL = 10000;
const MAX_INDENTS = 10000;
const READER_CHUNK_BYTES = 512;

const NUL = 0;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const NEL = 0x85;
const LS = 0x2028;
const PS = 0x2029;
const BOM = 0xfeff;
const URI_PUNCTUATION = new Set([...";/?:@&=+$,.!~*'()[]%"].map((c) => c.charCodeAt(0)));

function ch(c: string): number {
  return c.charCodeAt(0);
}

const QUOTE = ch("'");
const DOUBLE_QUOTE = ch('"');
const BACKSLASH = ch('\\');
const COLON = ch(':');
const HASH = ch('#');
const PERCENT = ch('%');
const DASH = ch('-');
const DOT = ch('.');
const QUESTION = ch('?');
const COMMA = ch(',');
const BANG = ch('!');
const AMPERSAND = ch('&');
const ASTERISK = ch('*');
const PIPE = ch('|');
const GREATER = ch('>');
const OPEN_BRACKET = ch('[');
const CLOSE_BRACKET = ch(']');
const OPEN_BRACE = ch('{');
const CLOSE_BRACE = ch('}');

/**
 * Characters as classes, by code: bit 1 an indicator (no plain scalar starts with it), bit 2
 * a flow indicator, bit 4 what may end an anchor; what ends a plain scalar's run of
 * characters, bit 8 a blank, an ASCII line break or NUL, bit 16 ':' (before a blank); bit
 * 32 a letter or digit, which starts a plain scalar wherever it is.
 */
const CLASSES = new Uint8Array(128);
for (const c of '-?:,[]{}#&*!|>\'"%@`') CLASSES[ch(c)]! |= 1;
for (const c of ',?[]{}') CLASSES[ch(c)]! |= 2;
for (const c of '?:,]}%@`') CLASSES[ch(c)]! |= 4;
for (const c of [NUL, SPACE, TAB, LF, CR]) CLASSES[c]! |= 8;
CLASSES[COLON]! |= 16;
for (let c = 0; c < 128; c++) if (/[A-Za-z0-9]/.test(String.fromCharCode(c))) CLASSES[c]! |= 32;

function isIndicator(c: number): boolean {
  return c < 128 && (CLASSES[c]! & 1) !== 0;
}

function isFlowIndicator(c: number): boolean {
  return c < 128 && (CLASSES[c]! & 2) !== 0;
}

function endsAnchor(c: number): boolean {
  return c < 128 && (CLASSES[c]! & 4) !== 0;
}

function isAlpha(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x2d;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function hexValue(c: number): number {
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return c - 0x30;
}

export function isBlank(c: number | undefined): boolean {
  return c === SPACE || c === TAB;
}

export function isBreak(c: number | undefined): boolean {
  return c === CR || c === LF || c === NEL || c === LS || c === PS;
}

function isBreakz(c: number): boolean {
  return isBreak(c) || c === NUL;
}

/** A blank, a line break or the end (NUL, or past the end of a scalar's characters). */
export function isBlankz(c: number | undefined): boolean {
  return c === undefined || c === NUL || isBlank(c) || isBreak(c);
}

/** The characters libyaml's reader accepts: YAML's printable set plus tab and line breaks. */
function isAllowedCharacter(c: number): boolean {
  return (
    c === TAB ||
    c === LF ||
    c === CR ||
    (c >= 0x20 && c <= 0x7e) ||
    c === NEL ||
    (c >= 0xa0 && c <= 0xd7ff) ||
    (c >= 0xe000 && c <= 0xfffd) ||
    (c >= 0x10000 && c <= 0x10ffff)
  );
}

/** YAML's printable set, tab and line breaks, and no surrogate: text that needs no character-by-character look. */
const PLAIN_READABLE = /^[\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd]*$/;
/** PLAIN_READABLE with LF the one line break: a line ends where the next LF is. */
const PLAIN_LINES = /^[\t\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd]*$/;

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** The UTF-16 units of the character at `offset`: 2 for a surrogate pair. */
function widthAt(text: string, offset: number): number {
  return isHighSurrogate(text.charCodeAt(offset)) && isLowSurrogate(text.charCodeAt(offset + 1)) ? 2 : 1;
}

/**
 * The offset of the first character libyaml's reader would never hand to the scanner: it
 * decodes its input 512 bytes at a time and fails on the whole chunk that holds a character
 * YAML does not allow (a lone surrogate is one, in 3 bytes), so the scanner meets the error
 * when it first looks into that chunk. With it, the problem the reader reports.
 */
function firstUnreadable(text: string): { offset: number; problem: string } {
  let chunkStart = 0;
  let chunkBytes = 0;
  let offset = -1;
  for (let i = 0; i < text.length; ) {
    const c = text.codePointAt(i)!;
    const bytes = c >= 0xd800 && c <= 0xdfff ? 3 : c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    if (chunkBytes + bytes > READER_CHUNK_BYTES) {
      chunkStart = i;
      chunkBytes = 0;
    }
    chunkBytes += bytes;
    if (!isAllowedCharacter(c)) {
      offset = chunkStart;
      break;
    }
    i += c >= 0x10000 ? 2 : 1;
  }
  if (offset === -1) return { offset: Infinity, problem: '' };
  for (let i = 0; i < text.length; ) {
    const c = text.codePointAt(i)!;
    if (c >= 0xd800 && c <= 0xdfff) return { offset, problem: 'invalid Unicode character' };
    if (!isAllowedCharacter(c)) return { offset, problem: 'control characters are not allowed' };
    i += c >= 0x10000 ? 2 : 1;
  }
  return { offset, problem: '' };
}

/**
 * go-yaml's `simple_keys_by_tok` (the token numbers of saved keys, to their flow levels) as a
 * list: keys are saved with ever greater token numbers and looked up only by the number of
 * the token at the queue's head, which only grows, so the list is in order and what comes
 * before the head's number is never read again. It holds a few keys at a time, and a key is
 * saved at every scalar: a map's hashing cost more than the list.
 */
class KeysByToken {
  /** Token number and level, in pairs, from `start`. */
  private readonly pairs: number[] = [];
  private start = 0;

  set(tokenNumber: number, level: number): void {
    this.pairs.push(tokenNumber, level);
  }

  delete(tokenNumber: number): void {
    const pairs = this.pairs;
    for (let i = pairs.length - 2; i >= this.start; i -= 2) {
      if (pairs[i]! < tokenNumber) return;
      if (pairs[i] !== tokenNumber) continue;
      if (i === pairs.length - 2) {
        pairs.pop();
        pairs.pop();
      } else {
        pairs.splice(i, 2);
      }
      return;
    }
  }

  /** The level of the key saved for token `tokenNumber`, no less than any number asked for before. */
  get(tokenNumber: number): number | undefined {
    const pairs = this.pairs;
    while (this.start < pairs.length && pairs[this.start]! < tokenNumber) this.start += 2;
    if (this.start === pairs.length) {
      if (this.start !== 0) {
        pairs.length = 0;
        this.start = 0;
      }
      return undefined;
    }
    return pairs[this.start] === tokenNumber ? pairs[this.start + 1] : undefined;
  }
}

/** A token with nothing in it yet, of the one shape every token has. */
function blankToken(): Token {
  return { type: 'stream-start', startOffset: 0, startIndex: 0, startLine: 0, startColumn: 0, endOffset: 0, value: '', suffix: '', prefix: '', style: 'plain', major: 0, minor: 0 };
}

function copyOf(mark: Mark): Mark {
  return { index: mark.index, line: mark.line, column: mark.column, offset: mark.offset };
}

export class Scanner {
  /** The text after a leading BOM, which libyaml's reader drops. */
  private readonly text: string;
  private readonly length: number;
  /** The text has surrogates: a character may be two units, and marks count characters. */
  private readonly astral: boolean;
  /** The offset from which libyaml's reader fails (Infinity: it never does). */
  private readonly unreadable: number;
  private readonly unreadableProblem: string;
  /** Every character is one unit and readable: runs of characters may be skipped at once, no `cache` can fail. */
  private readonly simple: boolean;
  /** A `simple` text whose one line break is LF. */
  private readonly lineFeedsOnly: boolean;
  /** The next character: its UTF-16 offset, and its mark's index, line and column (a Mark's parts, kept apart as they change at every character). */
  private pos = 0;
  private index = 0;
  private line = 0;
  private column = 0;

  private streamStartProduced = false;
  private streamEndProduced = false;
  private flowLevel = 0;
  /** The queue is `tokens[tokensHead, tokensTail)`. */
  private readonly tokens: Token[] = [];
  private tokensHead = 0;
  private tokensTail = 0;
  /** Tokens the parser has skipped, to be filled again rather than made anew. */
  private readonly spareTokens: Token[] = [];
  private tokensParsed = 0;
  private tokenAvailable = false;
  private indent = -1;
  private indents: number[] = [];
  private simpleKeyAllowed = false;
  private simpleKeys: SimpleKey[] = [];
  private readonly simpleKeysByToken = new KeysByToken();
  /** The blanks of the flow or plain scalar being scanned (one at a time). */
  private readonly folding: Folding = { leadingBlanks: false, leadingBreak: '', trailingBreaks: '', whitespaces: '' };

  constructor(text: string) {
    this.text = text;
    this.length = text.length;
    this.lineFeedsOnly = PLAIN_LINES.test(text);
    if (this.lineFeedsOnly || PLAIN_READABLE.test(text)) {
      this.astral = false;
      this.unreadable = Infinity;
      this.unreadableProblem = '';
    } else {
      this.astral = /[\ud800-\udfff]/.test(text);
      const { offset, problem } = firstUnreadable(text);
      this.unreadable = offset;
      this.unreadableProblem = problem;
    }
    this.simple = this.unreadable === Infinity && !this.astral;
  }

  /**
   * The character `offset` characters ahead, or NUL past the end. Only the next character
   * can be outside the BMP where it is asked for: the scanner looks further only past ASCII.
   */
  private at(offset = 0): number {
    const i = this.pos + offset;
    return i < this.length ? this.text.charCodeAt(i) : NUL;
  }

  /** libyaml's `cache`: the next `length` characters must be decoded, which fails inside an unreadable chunk. */
  private cache(length: number): void {
    if (this.unreadable === Infinity) return;
    let last = this.pos;
    for (let k = 1; k < length; k++) last += this.astral ? widthAt(this.text, last) : 1;
    if (last >= this.unreadable) throw new YamlSyntaxError('reader', this.unreadableProblem, undefined, '', undefined);
  }

  private skip(): void {
    this.index++;
    this.column++;
    this.pos += this.astral ? widthAt(this.text, this.pos) : 1;
  }

  /** Skips to `to` along one line of one-unit characters (a `simple` text's): what `skip` does for each. */
  private skipTo(to: number): void {
    this.index += to - this.pos;
    this.column += to - this.pos;
    this.pos = to;
  }

  /** Where the line from `from` ends, at its line break or the end (a `simple` text's). */
  private lineEnd(from: number): number {
    if (this.lineFeedsOnly) {
      const at = this.text.indexOf('\n', from);
      return at === -1 ? this.length : at;
    }
    let to = from;
    while (to < this.length && !isBreakz(this.text.charCodeAt(to))) to++;
    return to;
  }

  /** The text from `from` to the next character. */
  private since(from: number): string {
    return this.text.slice(from, this.pos);
  }

  private skipLine(): void {
    if (this.at() === CR && this.at(1) === LF) {
      this.index += 2;
      this.column = 0;
      this.line++;
      this.pos += 2;
    } else if (isBreak(this.at())) {
      this.index++;
      this.column = 0;
      this.line++;
      this.pos++;
    }
  }

  /** Reads a line break as libyaml copies it: CR, LF, CRLF and NEL become LF; LS and PS stay; '' when there is none. */
  private readLine(): string {
    const c = this.at();
    let copied: string;
    if (c === CR && this.at(1) === LF) {
      copied = '\n';
      this.pos += 2;
      this.index++;
    } else if (c === CR || c === LF || c === NEL) {
      copied = '\n';
      this.pos++;
    } else if (c === LS || c === PS) {
      copied = String.fromCharCode(c);
      this.pos++;
    } else {
      return '';
    }
    this.index++;
    this.column = 0;
    this.line++;
    return copied;
  }

  /** The mark of the next character. */
  private here(): Mark {
    return { index: this.index, line: this.line, column: this.column, offset: this.pos };
  }

  private scannerError(context: string, contextMark: Mark, problem: string): YamlSyntaxError {
    return new YamlSyntaxError('scanner', problem, this.here(), context, copyOf(contextMark));
  }

  /** A token of `type` from `start` (the next character when undefined) to there, its other fields empty. */
  private newToken(type: TokenType, start?: Mark): Token {
    const token = this.spareTokens.pop() ?? blankToken();
    token.type = type;
    if (start) {
      token.startOffset = start.offset;
      token.startIndex = start.index;
      token.startLine = start.line;
      token.startColumn = start.column;
    } else {
      token.startOffset = this.pos;
      token.startIndex = this.index;
      token.startLine = this.line;
      token.startColumn = this.column;
    }
    token.endOffset = token.startOffset;
    token.value = '';
    token.suffix = '';
    token.prefix = '';
    token.style = 'plain';
    token.major = 0;
    token.minor = 0;
    return token;
  }

  /**
   * The next token, without consuming it (libyaml's `peek_token`). It stays as it is until
   * the next `peek` after `skipToken`: then it may be filled again as another token.
   */
  peek(): Token {
    if (!this.tokenAvailable) this.fetchMoreTokens();
    return this.tokens[this.tokensHead]!;
  }

  /** Consumes the token `peek` returned (libyaml's `skip_token`). */
  skipToken(): void {
    this.tokenAvailable = false;
    this.tokensParsed++;
    const token = this.tokens[this.tokensHead++]!;
    this.streamEndProduced = token.type === 'stream-end';
    this.spareTokens.push(token);
    if (this.tokensHead === this.tokensTail) {
      this.tokensHead = 0;
      this.tokensTail = 0;
    } else if (this.tokensHead > 64 && this.tokensHead * 2 > this.tokensTail) {
      this.tokens.copyWithin(0, this.tokensHead, this.tokensTail);
      this.tokensTail -= this.tokensHead;
      this.tokensHead = 0;
    }
  }

  get done(): boolean {
    return this.streamEndProduced;
  }

  /** Puts `token` at `position` in the queue (-1: at its end). */
  private insertToken(position: number, token: Token): void {
    const at = position < 0 ? this.tokensTail : this.tokensHead + position;
    for (let i = this.tokensTail; i > at; i--) this.tokens[i] = this.tokens[i - 1]!;
    this.tokens[at] = token;
    this.tokensTail++;
  }

  private fetchMoreTokens(): void {
    for (;;) {
      if (this.tokensHead !== this.tokensTail) {
        const keyIndex = this.simpleKeysByToken.get(this.tokensParsed);
        if (keyIndex === undefined) break;
        if (!this.simpleKeyIsValid(this.simpleKeys[keyIndex]!)) break;
      }
      this.fetchNextToken();
    }
    this.tokenAvailable = true;
  }

  private fetchNextToken(): void {
    this.cache(1);
    if (!this.streamStartProduced) {
      this.fetchStreamStart();
      return;
    }
    this.scanToNextToken();
    this.unrollIndent(this.column);
    this.cache(4);

    const c = this.at();
    if (c < 128 && (CLASSES[c]! & 32) !== 0) return this.fetchPlainScalar();
    if (c === NUL) return this.fetchStreamEnd();
    if (this.column === 0 && c === PERCENT) return this.fetchDirective();
    if (this.column === 0 && c === DASH && this.at(1) === DASH && this.at(2) === DASH && isBlankz(this.at(3))) {
      return this.fetchDocumentIndicator('document-start');
    }
    if (this.column === 0 && c === DOT && this.at(1) === DOT && this.at(2) === DOT && isBlankz(this.at(3))) {
      return this.fetchDocumentIndicator('document-end');
    }
    if (c === OPEN_BRACKET) return this.fetchFlowCollectionStart('flow-sequence-start');
    if (c === OPEN_BRACE) return this.fetchFlowCollectionStart('flow-mapping-start');
    if (c === CLOSE_BRACKET) return this.fetchFlowCollectionEnd('flow-sequence-end');
    if (c === CLOSE_BRACE) return this.fetchFlowCollectionEnd('flow-mapping-end');
    if (c === COMMA) return this.fetchFlowEntry();
    if (c === DASH && isBlankz(this.at(1))) return this.fetchBlockEntry();
    if (c === QUESTION && (this.flowLevel > 0 || isBlankz(this.at(1)))) return this.fetchKey();
    if (c === COLON && (this.flowLevel > 0 || isBlankz(this.at(1)))) return this.fetchValue();
    if (c === ASTERISK) return this.fetchAnchor('alias');
    if (c === AMPERSAND) return this.fetchAnchor('anchor');
    if (c === BANG) return this.fetchTag();
    if (c === PIPE && this.flowLevel === 0) return this.fetchBlockScalar(true);
    if (c === GREATER && this.flowLevel === 0) return this.fetchBlockScalar(false);
    if (c === QUOTE) return this.fetchFlowScalar(true);
    if (c === DOUBLE_QUOTE) return this.fetchFlowScalar(false);

    if (
      !(isBlankz(c) || isIndicator(c)) ||
      (c === DASH && !isBlank(this.at(1))) ||
      (this.flowLevel === 0 && (c === QUESTION || c === COLON) && !isBlankz(this.at(1)))
    ) {
      return this.fetchPlainScalar();
    }
    throw this.scannerError('while scanning for the next token', this.here(), 'found character that cannot start any token');
  }

  private simpleKeyIsValid(key: SimpleKey): boolean {
    if (!key.possible) return false;
    if (key.line < this.line || key.index + 1024 < this.index) {
      if (key.required) throw this.scannerError('while scanning a simple key', key, "could not find expected ':'");
      key.possible = false;
      return false;
    }
    return true;
  }

  /** Saves a possible simple key here, in the innermost flow level's own key (filled again: one is saved at every scalar). */
  private saveSimpleKey(): void {
    const required = this.flowLevel === 0 && this.indent === this.column;
    if (this.simpleKeyAllowed) {
      this.removeSimpleKey();
      const last = this.simpleKeys.length - 1;
      const key = this.simpleKeys[last]!;
      key.possible = true;
      key.required = required;
      key.tokenNumber = this.tokensParsed + (this.tokensTail - this.tokensHead);
      key.index = this.index;
      key.line = this.line;
      key.column = this.column;
      key.offset = this.pos;
      this.simpleKeysByToken.set(key.tokenNumber, last);
    }
  }

  private removeSimpleKey(): void {
    const key = this.simpleKeys[this.simpleKeys.length - 1]!;
    if (key.possible) {
      if (key.required) throw this.scannerError('while scanning a simple key', key, "could not find expected ':'");
      key.possible = false;
      this.simpleKeysByToken.delete(key.tokenNumber);
    }
  }

  /** A flow level's simple key, here, not yet possible. */
  private impossibleKey(tokenNumber: number): SimpleKey {
    return { possible: false, required: false, tokenNumber, index: this.index, line: this.line, column: this.column, offset: this.pos };
  }

  private increaseFlowLevel(): void {
    this.simpleKeys.push(this.impossibleKey(this.tokensParsed + (this.tokensTail - this.tokensHead)));
    this.flowLevel++;
    if (this.flowLevel > MAX_FLOW_LEVEL) {
      throw this.scannerError('while increasing flow level', this.simpleKeys[this.simpleKeys.length - 1]!, `exceeded max depth of ${MAX_FLOW_LEVEL}`);
    }
  }

  private decreaseFlowLevel(): void {
    if (this.flowLevel > 0) {
      this.flowLevel--;
      const last = this.simpleKeys.pop()!;
      this.simpleKeysByToken.delete(last.tokenNumber);
    }
  }

  /** `mark`: where the collection's start token goes, the next character when undefined. */
  private rollIndent(column: number, number: number, type: TokenType, mark: Mark | undefined): void {
    if (this.flowLevel > 0) return;
    if (this.indent < column) {
      this.indents.push(this.indent);
      this.indent = column;
      if (this.indents.length > MAX_INDENTS) {
        throw this.scannerError('while increasing indent level', this.simpleKeys[this.simpleKeys.length - 1]!, `exceeded max depth of ${MAX_INDENTS}`);
      }
      this.insertToken(number > -1 ? number - this.tokensParsed : number, this.newToken(type, mark));
    }
  }

  private unrollIndent(column: number): void {
    if (this.flowLevel > 0) return;
    while (this.indent > column) {
      this.insertToken(-1, this.newToken('block-end'));
      this.indent = this.indents.pop()!;
    }
  }

  /** A token that is its one indicator character. */
  private indicatorToken(type: TokenType): void {
    const token = this.newToken(type);
    this.skip();
    token.endOffset = this.pos;
    this.insertToken(-1, token);
  }

  private fetchStreamStart(): void {
    this.indent = -1;
    this.simpleKeys.push(this.impossibleKey(0));
    this.simpleKeyAllowed = true;
    this.streamStartProduced = true;
    this.insertToken(-1, this.newToken('stream-start'));
  }

  private fetchStreamEnd(): void {
    if (this.column !== 0) {
      this.column = 0;
      this.line++;
    }
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.newToken('stream-end'));
  }

  private fetchDirective(): void {
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanDirective());
  }

  private fetchDocumentIndicator(type: TokenType): void {
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    const token = this.newToken(type);
    this.skip();
    this.skip();
    this.skip();
    token.endOffset = this.pos;
    this.insertToken(-1, token);
  }

  private fetchFlowCollectionStart(type: TokenType): void {
    this.saveSimpleKey();
    this.increaseFlowLevel();
    this.simpleKeyAllowed = true;
    this.indicatorToken(type);
  }

  private fetchFlowCollectionEnd(type: TokenType): void {
    this.removeSimpleKey();
    this.decreaseFlowLevel();
    this.simpleKeyAllowed = false;
    this.indicatorToken(type);
  }

  private fetchFlowEntry(): void {
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    this.indicatorToken('flow-entry');
  }

  private fetchBlockEntry(): void {
    if (this.flowLevel === 0) {
      if (!this.simpleKeyAllowed) throw this.scannerError('', this.here(), 'block sequence entries are not allowed in this context');
      this.rollIndent(this.column, -1, 'block-sequence-start', undefined);
    }
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    this.indicatorToken('block-entry');
  }

  private fetchKey(): void {
    if (this.flowLevel === 0) {
      if (!this.simpleKeyAllowed) throw this.scannerError('', this.here(), 'mapping keys are not allowed in this context');
      this.rollIndent(this.column, -1, 'block-mapping-start', undefined);
    }
    this.removeSimpleKey();
    this.simpleKeyAllowed = this.flowLevel === 0;
    this.indicatorToken('key');
  }

  private fetchValue(): void {
    const key = this.simpleKeys[this.simpleKeys.length - 1]!;
    if (this.simpleKeyIsValid(key)) {
      this.insertToken(key.tokenNumber - this.tokensParsed, this.newToken('key', key));
      this.rollIndent(key.column, key.tokenNumber, 'block-mapping-start', key);
      key.possible = false;
      this.simpleKeysByToken.delete(key.tokenNumber);
      this.simpleKeyAllowed = false;
    } else {
      if (this.flowLevel === 0) {
        if (!this.simpleKeyAllowed) throw this.scannerError('', this.here(), 'mapping values are not allowed in this context');
        this.rollIndent(this.column, -1, 'block-mapping-start', undefined);
      }
      this.simpleKeyAllowed = this.flowLevel === 0;
    }
    this.indicatorToken('value');
  }

  private fetchAnchor(type: 'alias' | 'anchor'): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanAnchor(type));
  }

  private fetchTag(): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanTag());
  }

  private fetchBlockScalar(literal: boolean): void {
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    this.insertToken(-1, this.scanBlockScalar(literal));
  }

  private fetchFlowScalar(single: boolean): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    const token = this.newToken('scalar');
    this.scanFlowScalar(single, token);
    this.insertToken(-1, token);
  }

  private fetchPlainScalar(): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    const token = this.newToken('scalar');
    this.scanPlainScalar(token);
    this.insertToken(-1, token);
  }

  private scanToNextToken(): void {
    for (;;) {
      this.cache(1);
      if (this.column === 0 && this.at() === BOM) this.skip();
      this.cache(1);
      const tabs = this.flowLevel > 0 || !this.simpleKeyAllowed;
      if (this.simple) {
        let to = this.pos;
        for (let c = this.text.charCodeAt(to); c === SPACE || (tabs && c === TAB); c = this.text.charCodeAt(++to));
        this.skipTo(to);
      } else {
        while (this.at() === SPACE || (tabs && this.at() === TAB)) {
          this.skip();
          this.cache(1);
        }
      }
      if (this.at() === HASH) {
        if (this.simple) this.skipTo(this.lineEnd(this.pos));
        while (!isBreakz(this.at())) {
          this.skip();
          this.cache(1);
        }
      }
      if (!isBreak(this.at())) break;
      this.cache(2);
      this.skipLine();
      if (this.flowLevel === 0) this.simpleKeyAllowed = true;
    }
  }

  private scanDirective(): Token {
    const start = this.here();
    this.skip();
    const name = this.scanDirectiveName(start);
    let token: Token;
    if (name === 'YAML') {
      this.cache(1);
      while (isBlank(this.at())) {
        this.skip();
        this.cache(1);
      }
      const major = this.scanVersionDirectiveNumber(start);
      if (this.at() !== DOT) throw this.scannerError('while scanning a %YAML directive', start, "did not find expected digit or '.' character");
      this.skip();
      const minor = this.scanVersionDirectiveNumber(start);
      token = this.newToken('version-directive', start);
      token.major = major;
      token.minor = minor;
    } else if (name === 'TAG') {
      const { handle, prefix } = this.scanTagDirectiveValue(start);
      token = this.newToken('tag-directive', start);
      token.value = handle;
      token.prefix = prefix;
    } else {
      throw this.scannerError('while scanning a directive', start, 'found unknown directive name');
    }
    token.endOffset = this.pos;
    this.finishLine('while scanning a directive', start);
    return token;
  }

  /** The rest of a directive's or block scalar header's line: blanks, a comment, the line break. */
  private finishLine(context: string, start: Mark): void {
    this.cache(1);
    while (isBlank(this.at())) {
      this.skip();
      this.cache(1);
    }
    if (this.at() === HASH) {
      while (!isBreakz(this.at())) {
        this.skip();
        this.cache(1);
      }
    }
    if (!isBreakz(this.at())) throw this.scannerError(context, start, 'did not find expected comment or line break');
    if (isBreak(this.at())) {
      this.cache(2);
      this.skipLine();
    }
  }

  private scanDirectiveName(start: Mark): string {
    this.cache(1);
    const from = this.pos;
    while (isAlpha(this.at())) {
      this.skip();
      this.cache(1);
    }
    const name = this.since(from);
    if (name.length === 0) throw this.scannerError('while scanning a directive', start, 'could not find expected directive name');
    if (!isBlankz(this.at())) throw this.scannerError('while scanning a directive', start, 'found unexpected non-alphabetical character');
    return name;
  }

  private scanVersionDirectiveNumber(start: Mark): number {
    this.cache(1);
    let value = 0;
    let length = 0;
    while (isDigit(this.at())) {
      length++;
      if (length > 2) throw this.scannerError('while scanning a %YAML directive', start, 'found extremely long version number');
      value = value * 10 + (this.at() - 0x30);
      this.skip();
      this.cache(1);
    }
    if (length === 0) throw this.scannerError('while scanning a %YAML directive', start, 'did not find expected version number');
    return value;
  }

  private scanTagDirectiveValue(start: Mark): { handle: string; prefix: string } {
    this.cache(1);
    while (isBlank(this.at())) {
      this.skip();
      this.cache(1);
    }
    const handle = this.scanTagHandle(true, start);
    this.cache(1);
    if (!isBlank(this.at())) throw this.scannerError('while scanning a %TAG directive', start, 'did not find expected whitespace');
    while (isBlank(this.at())) {
      this.skip();
      this.cache(1);
    }
    const prefix = this.scanTagUri(true, '', start);
    this.cache(1);
    if (!isBlankz(this.at())) throw this.scannerError('while scanning a %TAG directive', start, 'did not find expected whitespace or line break');
    return { handle, prefix };
  }

  private scanAnchor(type: 'alias' | 'anchor'): Token {
    const start = this.here();
    this.skip();
    this.cache(1);
    const from = this.pos;
    while (isAlpha(this.at())) {
      this.skip();
      this.cache(1);
    }
    const name = this.since(from);
    const end = this.pos;
    const c = this.at();
    if (name.length === 0 || !(isBlankz(c) || endsAnchor(c))) {
      throw this.scannerError(type === 'anchor' ? 'while scanning an anchor' : 'while scanning an alias', start, 'did not find expected alphabetic or numeric character');
    }
    const token = this.newToken(type, start);
    token.endOffset = end;
    token.value = name;
    return token;
  }

  private tagError(directive: boolean, start: Mark, problem: string): YamlSyntaxError {
    return this.scannerError(directive ? 'while parsing a %TAG directive' : 'while parsing a tag', start, problem);
  }

  private scanTag(): Token {
    const start = this.here();
    let handle: string;
    let suffix: string;
    this.cache(2);
    if (this.at(1) === ch('<')) {
      handle = '';
      this.skip();
      this.skip();
      suffix = this.scanTagUri(false, '', start);
      if (this.at() !== GREATER) throw this.scannerError('while scanning a tag', start, "did not find the expected '>'");
      this.skip();
    } else {
      handle = this.scanTagHandle(false, start);
      if (handle.startsWith('!') && handle.length > 1 && handle.endsWith('!')) {
        suffix = this.scanTagUri(false, '', start);
      } else {
        suffix = this.scanTagUri(false, handle, start);
        handle = '!';
        // The '!' tag alone: no handle, '!' as the suffix.
        if (suffix === '') [handle, suffix] = [suffix, handle];
      }
    }
    this.cache(1);
    if (!isBlankz(this.at())) throw this.scannerError('while scanning a tag', start, 'did not find expected whitespace or line break');
    const token = this.newToken('tag', start);
    token.endOffset = this.pos;
    token.value = handle;
    token.suffix = suffix;
    return token;
  }

  private scanTagHandle(directive: boolean, start: Mark): string {
    this.cache(1);
    if (this.at() !== BANG) throw this.tagError(directive, start, "did not find expected '!'");
    const from = this.pos;
    this.skip();
    this.cache(1);
    while (isAlpha(this.at())) {
      this.skip();
      this.cache(1);
    }
    if (this.at() === BANG) {
      this.skip();
    } else if (directive && this.pos - from !== 1) {
      throw this.tagError(directive, start, "did not find expected '!'");
    }
    return this.since(from);
  }

  /** A tag's URI; `head` is a handle scanned before it that turned out to be part of it. */
  private scanTagUri(directive: boolean, head: string, start: Mark): string {
    const bytes: number[] = head.length > 1 ? [...new TextEncoder().encode(head.slice(1))] : [];
    let hasTag = head.length > 0;
    this.cache(1);
    while (isAlpha(this.at()) || URI_PUNCTUATION.has(this.at())) {
      if (this.at() === PERCENT) {
        this.scanUriEscapes(directive, start, bytes);
      } else {
        bytes.push(this.at());
        this.skip();
      }
      this.cache(1);
      hasTag = true;
    }
    if (!hasTag) throw this.tagError(directive, start, 'did not find expected tag URI');
    return new TextDecoder().decode(new Uint8Array(bytes));
  }

  private scanUriEscapes(directive: boolean, start: Mark, bytes: number[]): void {
    let width = 1024;
    while (width > 0) {
      this.cache(3);
      if (!(this.at() === PERCENT && isHex(this.at(1)) && isHex(this.at(2)))) throw this.tagError(directive, start, 'did not find URI escaped octet');
      const octet = (hexValue(this.at(1)) << 4) + hexValue(this.at(2));
      if (width === 1024) {
        width = (octet & 0x80) === 0 ? 1 : (octet & 0xe0) === 0xc0 ? 2 : (octet & 0xf0) === 0xe0 ? 3 : (octet & 0xf8) === 0xf0 ? 4 : 0;
        if (width === 0) throw this.tagError(directive, start, 'found an incorrect leading UTF-8 octet');
      } else if ((octet & 0xc0) !== 0x80) {
        throw this.tagError(directive, start, 'found an incorrect trailing UTF-8 octet');
      }
      bytes.push(octet);
      this.skip();
      this.skip();
      this.skip();
      width--;
    }
  }

  private scanBlockScalar(literal: boolean): Token {
    const start = this.here();
    this.skip();
    this.cache(1);
    let chomping = 0;
    let increment = 0;
    if (this.at() === ch('+') || this.at() === DASH) {
      chomping = this.at() === ch('+') ? 1 : -1;
      this.skip();
      this.cache(1);
      if (isDigit(this.at())) {
        if (this.at() === ch('0')) throw this.scannerError('while scanning a block scalar', start, 'found an indentation indicator equal to 0');
        increment = this.at() - 0x30;
        this.skip();
      }
    } else if (isDigit(this.at())) {
      if (this.at() === ch('0')) throw this.scannerError('while scanning a block scalar', start, 'found an indentation indicator equal to 0');
      increment = this.at() - 0x30;
      this.skip();
      this.cache(1);
      if (this.at() === ch('+') || this.at() === DASH) {
        chomping = this.at() === ch('+') ? 1 : -1;
        this.skip();
      }
    }
    this.finishLine('while scanning a block scalar', start);

    const state = { endOffset: this.pos, indent: increment > 0 ? (this.indent >= 0 ? this.indent + increment : increment) : 0 };
    let value = '';
    let leadingBreak = '';
    let trailingBreaks = this.scanBlockScalarBreaks(state, start);
    this.cache(1);
    let leadingBlank = false;
    while (this.column === state.indent && this.at() !== NUL) {
      const trailingBlank = isBlank(this.at());
      if (!literal && !leadingBlank && !trailingBlank && leadingBreak === '\n') {
        if (trailingBreaks === '') value += ' ';
      } else {
        value += leadingBreak;
      }
      value += trailingBreaks;
      leadingBlank = isBlank(this.at());
      const from = this.pos;
      if (this.simple) this.skipTo(this.lineEnd(from));
      while (!isBreakz(this.at())) {
        this.skip();
        this.cache(1);
      }
      value += this.since(from);
      this.cache(2);
      leadingBreak = this.readLine();
      trailingBreaks = this.scanBlockScalarBreaks(state, start);
    }
    if (chomping !== -1) value += leadingBreak;
    if (chomping === 1) value += trailingBreaks;
    const token = this.newToken('scalar', start);
    token.endOffset = state.endOffset;
    token.value = value;
    token.style = literal ? 'literal' : 'folded';
    return token;
  }

  /** The empty lines before a block scalar's next line of content, as read (and the indentation, when it is to be found). */
  private scanBlockScalarBreaks(state: { endOffset: number; indent: number }, start: Mark): string {
    let breaks = '';
    state.endOffset = this.pos;
    let maxIndent = 0;
    for (;;) {
      this.cache(1);
      while ((state.indent === 0 || this.column < state.indent) && this.at() === SPACE) {
        this.skip();
        this.cache(1);
      }
      if (this.column > maxIndent) maxIndent = this.column;
      if ((state.indent === 0 || this.column < state.indent) && this.at() === TAB) {
        throw this.scannerError('while scanning a block scalar', start, 'found a tab character where an indentation space is expected');
      }
      if (!isBreak(this.at())) break;
      this.cache(2);
      breaks += this.readLine();
      state.endOffset = this.pos;
    }
    if (state.indent === 0) {
      state.indent = Math.max(maxIndent, this.indent + 1, 1);
    }
    return breaks;
  }

  /** A quoted scalar into `token`, which starts at its opening quote. */
  private scanFlowScalar(single: boolean, token: Token): void {
    this.skip();
    let value = '';
    const folding = this.startFolding();
    for (;;) {
      this.cache(4);
      if (this.column === 0 && this.atDocumentIndicator()) {
        throw this.scannerError('while scanning a quoted scalar', tokenStart(token), 'found unexpected document indicator');
      }
      if (this.at() === NUL) throw this.scannerError('while scanning a quoted scalar', tokenStart(token), 'found unexpected end of stream');

      folding.leadingBlanks = false;
      // Where the characters copied as they are began, not yet added to the value.
      let run = -1;
      while (!isBlankz(this.at())) {
        const c = this.at();
        if (c !== QUOTE && c !== DOUBLE_QUOTE && c !== BACKSLASH) {
          if (run === -1) run = this.pos;
          if (this.simple) {
            // The rest of the run at once: to the next quote, backslash, blank or line break.
            let to = this.pos + 1;
            for (let d = this.text.charCodeAt(to); to < this.length && d !== QUOTE && d !== DOUBLE_QUOTE && d !== BACKSLASH && !isBlank(d) && !isBreak(d); d = this.text.charCodeAt(++to));
            this.skipTo(to);
          } else {
            this.skip();
            this.cache(2);
          }
          continue;
        }
        if (run !== -1) {
          value += this.since(run);
          run = -1;
        }
        if (single && c === QUOTE && this.at(1) === QUOTE) {
          value += "'";
          this.skip();
          this.skip();
        } else if (single && c === QUOTE) {
          break;
        } else if (!single && c === DOUBLE_QUOTE) {
          break;
        } else if (!single && c === BACKSLASH && isBreak(this.at(1))) {
          this.cache(3);
          this.skip();
          this.skipLine();
          folding.leadingBlanks = true;
          break;
        } else if (!single && c === BACKSLASH) {
          value += this.scanEscape(token);
        } else {
          run = this.pos;
          this.skip();
        }
        this.cache(2);
      }
      if (run !== -1) value += this.since(run);
      this.cache(1);
      if (this.at() === (single ? QUOTE : DOUBLE_QUOTE)) break;

      this.consumeBlanks(token, 0);
      value += fold(folding);
    }
    this.skip();
    token.endOffset = this.pos;
    token.value = value;
    token.style = single ? 'single-quoted' : 'double-quoted';
  }

  private static readonly SIMPLE_ESCAPES = new Map<number, number>([
    [ch('0'), 0],
    [ch('a'), 0x07],
    [ch('b'), 0x08],
    [ch('t'), 0x09],
    [TAB, 0x09],
    [ch('n'), 0x0a],
    [ch('v'), 0x0b],
    [ch('f'), 0x0c],
    [ch('r'), 0x0d],
    [ch('e'), 0x1b],
    [SPACE, 0x20],
    [ch('"'), ch('"')],
    [ch("'"), ch("'")],
    [ch('\\'), ch('\\')],
    [ch('N'), NEL],
    [ch('_'), 0xa0],
    [ch('L'), LS],
    [ch('P'), PS],
  ]);

  /** An escape sequence of a double-quoted scalar (`scalar`'s): the character it stands for. */
  private scanEscape(scalar: Token): string {
    const escape = this.at(1);
    const simple = Scanner.SIMPLE_ESCAPES.get(escape);
    const codeLength = escape === ch('x') ? 2 : escape === ch('u') ? 4 : escape === ch('U') ? 8 : 0;
    if (simple === undefined && codeLength === 0) throw this.scannerError('while parsing a quoted scalar', tokenStart(scalar), 'found unknown escape character');
    this.skip();
    this.skip();
    if (simple !== undefined) return String.fromCharCode(simple);
    this.cache(codeLength);
    let code = 0;
    for (let k = 0; k < codeLength; k++) {
      if (!isHex(this.at(k))) throw this.scannerError('while parsing a quoted scalar', tokenStart(scalar), 'did not find expected hexdecimal number');
      code = code * 16 + hexValue(this.at(k));
    }
    if ((code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) {
      throw this.scannerError('while parsing a quoted scalar', tokenStart(scalar), 'found invalid Unicode character escape code');
    }
    for (let k = 0; k < codeLength; k++) this.skip();
    return String.fromCodePoint(code);
  }

  /** The folding state, emptied for a new scalar. */
  private startFolding(): Folding {
    const folding = this.folding;
    folding.leadingBlanks = false;
    folding.leadingBreak = '';
    folding.trailingBreaks = '';
    folding.whitespaces = '';
    return folding;
  }

  /**
   * Blanks and line breaks inside `scalar`, a flow or plain scalar, kept for folding: blanks
   * before the first break, the first break, the breaks after it. A plain scalar's
   * continuation line may not be indented with a tab before `indent` (0 for a flow scalar).
   */
  private consumeBlanks(scalar: Token, indent: number): void {
    const folding = this.folding;
    for (let c = this.at(); isBlank(c) || isBreak(c); c = this.at()) {
      if (c === SPACE && this.simple) {
        let to = this.pos + 1;
        while (this.text.charCodeAt(to) === SPACE) to++;
        if (!folding.leadingBlanks) folding.whitespaces += this.text.slice(this.pos, to);
        this.skipTo(to);
        continue;
      }
      if (isBlank(c)) {
        if (folding.leadingBlanks && this.column < indent && c === TAB) {
          throw this.scannerError('while scanning a plain scalar', tokenStart(scalar), 'found a tab character that violates indentation');
        }
        if (!folding.leadingBlanks) folding.whitespaces += String.fromCharCode(c);
        this.skip();
      } else {
        this.cache(2);
        if (!folding.leadingBlanks) {
          folding.whitespaces = '';
          folding.leadingBreak += this.readLine();
          folding.leadingBlanks = true;
        } else {
          folding.trailingBreaks += this.readLine();
        }
      }
      this.cache(1);
    }
  }

  private atDocumentIndicator(): boolean {
    const c = this.at();
    return ((c === DASH && this.at(1) === DASH && this.at(2) === DASH) || (c === DOT && this.at(1) === DOT && this.at(2) === DOT)) && isBlankz(this.at(3));
  }

  /** A plain scalar into `token`, which starts at its first character. */
  private scanPlainScalar(token: Token): void {
    let value = '';
    const folding = this.startFolding();
    const indent = this.indent + 1;
    let end = this.pos;
    for (;;) {
      this.cache(4);
      if (this.column === 0 && this.atDocumentIndicator()) break;
      if (this.at() === HASH) break;
      const from = this.pos;
      if (this.simple) {
        // The run at once; it ends where the character-by-character loop below would.
        const ends = this.flowLevel > 0 ? 8 | 16 | 2 : 8 | 16;
        let to = from;
        for (; to < this.length; to++) {
          const c = this.text.charCodeAt(to);
          if (c >= 128) {
            if (c === NEL || c === LS || c === PS) break;
            continue;
          }
          const found = CLASSES[c]! & ends;
          if (found !== 0 && (found !== 16 || isBlankz(to + 1 < this.length ? this.text.charCodeAt(to + 1) : NUL))) break;
        }
        if (to !== from) {
          value += fold(folding);
          this.skipTo(to);
        }
      } else {
        while (!isBlankz(this.at())) {
          const c = this.at();
          if ((c === COLON && isBlankz(this.at(1))) || (this.flowLevel > 0 && isFlowIndicator(c))) break;
          if (this.pos === from) value += fold(folding);
          this.skip();
          this.cache(2);
        }
      }
      if (this.pos !== from) {
        value += this.since(from);
        end = this.pos;
      }
      const next = this.at();
      if (!(isBlank(next) || isBreak(next))) break;
      this.cache(1);
      this.consumeBlanks(token, indent);
      if (this.flowLevel === 0 && this.column < indent) break;
    }
    if (folding.leadingBlanks) this.simpleKeyAllowed = true;
    token.endOffset = end;
    token.value = value;
  }
}

/** What a flow or plain scalar has read between two runs of content, to be folded. */
interface Folding {
  leadingBlanks: boolean;
  leadingBreak: string;
  trailingBreaks: string;
  whitespaces: string;
}

/** The blanks between two runs of content, joined: a single line break folds to a space, more keep all but the first; blanks alone stay. */
function fold(folding: Folding): string {
  let joined = '';
  if (folding.leadingBlanks) {
    if (folding.leadingBreak.charCodeAt(0) === LF) joined = folding.trailingBreaks === '' ? ' ' : folding.trailingBreaks;
    else joined = folding.leadingBreak + folding.trailingBreaks;
    folding.leadingBreak = '';
    folding.trailingBreaks = '';
    folding.leadingBlanks = false;
  } else if (folding.whitespaces !== '') {
    joined = folding.whitespaces;
    folding.whitespaces = '';
  }
  return joined;
}
