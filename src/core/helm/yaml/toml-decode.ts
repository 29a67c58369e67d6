/**
 * `fromToml`: BurntSushi/toml v1.6.0's Unmarshal into `map[string]interface{}`, ported
 * from its `lex.go` and `parse.go` so that documents are accepted, rejected and reported
 * (`toml: line 3 (last key "a.b"): ...`) as Helm does. Integers are int64, floats float64,
 * datetimes `time.Time` (a GoStruct with Go's String and JSON forms).
 */
import { GoStruct } from '../values.js';
import type { GoMap, GoValue } from '../values.js';
import { MAX_NESTING, NestingTooDeepError } from '../../yaml-tree.js';
import { quoteGo } from '../fmt.js';
import { goQuoteRune } from './go-text.js';
import { parseGoFloat } from './resolve.js';

type ItemType =
  | 'error'
  | 'eof'
  | 'text'
  | 'string'
  | 'string-esc'
  | 'raw-string'
  | 'multiline-string'
  | 'raw-multiline-string'
  | 'bool'
  | 'integer'
  | 'float'
  | 'datetime'
  | 'array'
  | 'array-end'
  | 'table-start'
  | 'table-end'
  | 'array-table-start'
  | 'array-table-end'
  | 'key-start'
  | 'key-end'
  | 'comment-start'
  | 'inline-table-start'
  | 'inline-table-end';

interface Item {
  type: ItemType;
  value: string;
  line: number;
  error?: string;
}

type State = (lx: Lexer) => State | undefined;

const EOF = -1;

const isWhitespace = (r: number): boolean => r === 0x09 || r === 0x20;
const isNL = (r: number): boolean => r === 0x0a || r === 0x0d;
const isDigit = (r: number): boolean => r >= 0x30 && r <= 0x39;
const isBinary = (r: number): boolean => r === 0x30 || r === 0x31;
const isOctal = (r: number): boolean => r >= 0x30 && r <= 0x37;
const isHex = (r: number): boolean => isDigit(r) || ((r | 0x20) >= 0x61 && (r | 0x20) <= 0x66);
const isBareKeyChar = (r: number): boolean => (r >= 0x41 && r <= 0x5a) || (r >= 0x61 && r <= 0x7a) || isDigit(r) || r === 0x5f || r === 0x2d;
const isControl = (r: number): boolean => r !== 0x09 && r !== 0x0d && r !== 0x0a && ((r >= 0 && r <= 0x1f) || r === 0x7f);
const isLetter = (r: number): boolean => r >= 0 && /\p{L}/u.test(String.fromCodePoint(r));
const c = (s: string): number => s.codePointAt(0)!;

/** Go's `%q` of a rune (the lexer's end of input as NUL). */
function quoteRune(r: number): string {
  return goQuoteRune(r === EOF ? 0 : r);
}

const quoteString = quoteGo;

class Lexer {
  start = 0;
  pos = 0;
  line = 1;
  state: State | undefined = lexTop;
  readonly items: Item[] = [];
  esc = false;
  private readonly widths: number[] = [];
  private atEOF = false;
  private readonly stack: State[] = [];

  constructor(readonly input: string) {}

  nextItem(): Item {
    while (this.items.length === 0) {
      if (!this.state) return { type: 'eof', value: '', line: this.line };
      this.state = this.state(this);
    }
    return this.items.shift()!;
  }

  push(state: State): void {
    this.stack.push(state);
  }

  pop(): State {
    const state = this.stack.pop();
    if (!state) throw new Error('toml lexer: no states to pop');
    return state;
  }

  current(): string {
    return this.input.slice(this.start, this.pos);
  }

  emit(type: ItemType): void {
    this.items.push({ type, value: this.current(), line: this.line });
    this.start = this.pos;
  }

  emitTrim(type: ItemType): void {
    this.items.push({ type, value: this.current().trim(), line: this.line });
    this.start = this.pos;
  }

  next(): number {
    if (this.atEOF) throw new Error('toml lexer: next called after EOF');
    if (this.pos >= this.input.length) {
      this.atEOF = true;
      return EOF;
    }
    if (this.input[this.pos] === '\n') this.line++;
    const r = this.input.codePointAt(this.pos)!;
    if (isControl(r) || (r === 0x0d && this.input[this.pos + 1] !== '\n')) {
      this.errorAt(`TOML files cannot contain control characters: '0x${r.toString(16).padStart(2, '0')}'`);
      return 0xfffd;
    }
    const width = r > 0xffff ? 2 : 1;
    this.widths.unshift(width);
    if (this.widths.length > 4) this.widths.pop();
    this.pos += width;
    return r;
  }

  ignore(): void {
    this.start = this.pos;
  }

  backup(): void {
    if (this.atEOF) {
      this.atEOF = false;
      return;
    }
    const width = this.widths.shift();
    if (width === undefined) throw new Error('toml lexer: backed up too far');
    this.pos -= width;
    if (this.pos < this.input.length && this.input[this.pos] === '\n') this.line--;
  }

  accept(valid: number): boolean {
    if (this.next() === valid) return true;
    this.backup();
    return false;
  }

  peek(): number {
    const r = this.next();
    this.backup();
    return r;
  }

  skip(predicate: (r: number) => boolean): void {
    for (;;) {
      const r = this.next();
      if (predicate(r)) continue;
      this.backup();
      this.ignore();
      return;
    }
  }

  /** An error at the current item; at the end of input, on the line before (an unexpected end is shown where the text stopped). */
  error(message: string): undefined {
    if (this.atEOF) return this.errorPrevLine(message);
    this.items.push({ type: 'error', value: '', line: this.line, error: message });
    return undefined;
  }

  errorPrevLine(message: string): undefined {
    this.items.push({ type: 'error', value: '', line: this.line - 1, error: message });
    return undefined;
  }

  errorf(message: string): undefined {
    if (this.atEOF) {
      const line = this.pos >= 1 && this.input[this.pos - 1] === '\n' ? this.line - 1 : this.line;
      this.items.push({ type: 'error', value: '', line, error: message });
      return undefined;
    }
    this.items.push({ type: 'error', value: '', line: this.line, error: message });
    return undefined;
  }

  private errorAt(message: string): void {
    this.items.push({ type: 'error', value: '', line: this.line, error: message });
  }
}

const lexSkip = (lx: Lexer, next: State): State => {
  lx.ignore();
  return next;
};

function lexTop(lx: Lexer): State | undefined {
  const r = lx.next();
  if (isWhitespace(r) || isNL(r)) return lexSkip(lx, lexTop);
  if (r === c('#')) {
    lx.push(lexTop);
    return lexCommentStart;
  }
  if (r === c('[')) return lexTableStart;
  if (r === EOF) {
    if (lx.pos > lx.start) return lx.errorf('unexpected EOF');
    lx.emit('eof');
    return undefined;
  }
  lx.backup();
  lx.push(lexTopEnd);
  return lexKeyStart;
}

function lexTopEnd(lx: Lexer): State | undefined {
  const r = lx.next();
  if (r === c('#')) {
    lx.push(lexTop);
    return lexCommentStart;
  }
  if (isWhitespace(r)) return lexTopEnd;
  if (isNL(r)) {
    lx.ignore();
    return lexTop;
  }
  if (r === EOF) {
    lx.emit('eof');
    return undefined;
  }
  return lx.errorf(`expected a top-level item to end with a newline, comment, or EOF, but got ${quoteRune(r)} instead`);
}

function lexTableStart(lx: Lexer): State {
  if (lx.peek() === c('[')) {
    lx.next();
    lx.emit('array-table-start');
    lx.push(lexArrayTableEnd);
  } else {
    lx.emit('table-start');
    lx.push(lexTableEnd);
  }
  return lexTableNameStart;
}

function lexTableEnd(lx: Lexer): State {
  lx.emit('table-end');
  return lexTopEnd;
}

function lexArrayTableEnd(lx: Lexer): State | undefined {
  const r = lx.next();
  if (r !== c(']')) return lx.errorf(`expected end of table array name delimiter ']', but got ${quoteRune(r)} instead`);
  lx.emit('array-table-end');
  return lexTopEnd;
}

function lexTableNameStart(lx: Lexer): State | undefined {
  lx.skip(isWhitespace);
  const r = lx.peek();
  if (r === c(']') || r === EOF) return lx.errorf('unexpected end of table name (table names cannot be empty)');
  if (r === c('.')) return lx.errorf('unexpected table separator (table names cannot be empty)');
  if (r === c('"') || r === c("'")) {
    lx.ignore();
    lx.push(lexTableNameEnd);
    return lexQuotedName;
  }
  lx.push(lexTableNameEnd);
  return lexBareName;
}

function lexTableNameEnd(lx: Lexer): State | undefined {
  lx.skip(isWhitespace);
  const r = lx.next();
  if (r === c('.')) {
    lx.ignore();
    return lexTableNameStart;
  }
  if (r === c(']')) return lx.pop();
  return lx.errorf(`expected '.' or ']' to end table name, but got ${quoteRune(r)} instead`);
}

function lexBareName(lx: Lexer): State {
  const r = lx.next();
  if (isBareKeyChar(r)) return lexBareName;
  lx.backup();
  lx.emit('text');
  return lx.pop();
}

function lexQuotedName(lx: Lexer): State | undefined {
  const r = lx.next();
  if (r === c('"')) {
    lx.ignore();
    return lexString;
  }
  if (r === c("'")) {
    lx.ignore();
    return lexRawString;
  }
  if (isWhitespace(r)) return lexSkip(lx, lexValue);
  if (r === EOF) return lx.errorf('unexpected EOF; expected value');
  return lx.errorf(`expected value but found ${quoteRune(r)} instead`);
}

function lexKeyStart(lx: Lexer): State | undefined {
  lx.skip(isWhitespace);
  const r = lx.peek();
  if (r === c('=') || r === EOF) return lx.errorf("unexpected '=': key name appears blank");
  if (r === c('.')) return lx.errorf("unexpected '.': keys cannot start with a '.'");
  if (r === c('"') || r === c("'")) lx.ignore();
  lx.emit('key-start');
  return lexKeyNameStart;
}

function lexKeyNameStart(lx: Lexer): State | undefined {
  lx.skip(isWhitespace);
  const r = lx.peek();
  if (r === c('"') || r === c("'")) {
    lx.ignore();
    lx.push(lexKeyEnd);
    return lexQuotedName;
  }
  if (r === c('=') || r === EOF) return lx.errorf("unexpected '='");
  if (r === c('.')) return lx.errorf("unexpected '.'");
  lx.push(lexKeyEnd);
  return lexBareName;
}

function lexKeyEnd(lx: Lexer): State | undefined {
  lx.skip(isWhitespace);
  const r = lx.next();
  if (isWhitespace(r)) return lexSkip(lx, lexKeyEnd);
  if (r === EOF) return lx.errorf("unexpected EOF; expected key separator '='");
  if (r === c('.')) {
    lx.ignore();
    return lexKeyNameStart;
  }
  if (r === c('=')) {
    lx.emit('key-end');
    return lexSkip(lx, lexValue);
  }
  if (r === 0x0a) return lx.errorPrevLine(`expected '.' or '=', but got ${quoteRune(r)} instead`);
  return lx.errorf(`expected '.' or '=', but got ${quoteRune(r)} instead`);
}

function lexValue(lx: Lexer): State | undefined {
  const r = lx.next();
  if (isWhitespace(r)) return lexSkip(lx, lexValue);
  if (isDigit(r)) {
    lx.backup();
    return lexNumberOrDateStart;
  }
  switch (r) {
    case c('['):
      lx.ignore();
      lx.emit('array');
      return lexArrayValue;
    case c('{'):
      lx.ignore();
      lx.emit('inline-table-start');
      return lexInlineTableValue;
    case c('"'):
      if (lx.accept(c('"'))) {
        if (lx.accept(c('"'))) {
          lx.ignore();
          return lexMultilineString;
        }
        lx.backup();
      }
      lx.ignore();
      return lexString;
    case c("'"):
      if (lx.accept(c("'"))) {
        if (lx.accept(c("'"))) {
          lx.ignore();
          return lexMultilineRawString;
        }
        lx.backup();
      }
      lx.ignore();
      return lexRawString;
    case c('.'):
      return lx.errorf("floats must start with a digit, not '.'");
    case c('i'):
    case c('n'):
      if ((lx.accept(c('n')) && lx.accept(c('f'))) || (lx.accept(c('a')) && lx.accept(c('n')))) {
        lx.emit('float');
        return lx.pop();
      }
      break;
    case c('-'):
    case c('+'):
      return lexDecimalNumberStart;
  }
  if (isLetter(r)) {
    lx.backup();
    return lexBool;
  }
  if (r === EOF) return lx.errorf('unexpected EOF; expected value');
  if (r === 0x0a) return lx.errorPrevLine(`expected value but found ${quoteRune(r)} instead`);
  return lx.errorf(`expected value but found ${quoteRune(r)} instead`);
}

function lexArrayValue(lx: Lexer): State | undefined {
  const r = lx.next();
  if (isWhitespace(r) || isNL(r)) return lexSkip(lx, lexArrayValue);
  if (r === c('#')) {
    lx.push(lexArrayValue);
    return lexCommentStart;
  }
  if (r === c(',')) return lx.errorf('unexpected comma');
  if (r === c(']')) return lexArrayEnd;
  lx.backup();
  lx.push(lexArrayValueEnd);
  return lexValue;
}

function runeOrEOF(r: number): string {
  return r === EOF ? 'end of file' : `'${String.fromCodePoint(r)}'`;
}

function lexArrayValueEnd(lx: Lexer): State | undefined {
  const r = lx.next();
  if (isWhitespace(r) || isNL(r)) return lexSkip(lx, lexArrayValueEnd);
  if (r === c('#')) {
    lx.push(lexArrayValueEnd);
    return lexCommentStart;
  }
  if (r === c(',')) {
    lx.ignore();
    return lexArrayValue;
  }
  if (r === c(']')) return lexArrayEnd;
  return lx.errorf(`expected a comma (',') or array terminator (']'), but got ${runeOrEOF(r)}`);
}

function lexArrayEnd(lx: Lexer): State {
  lx.ignore();
  lx.emit('array-end');
  return lx.pop();
}

function lexInlineTableValue(lx: Lexer): State | undefined {
  const r = lx.next();
  if (isWhitespace(r) || isNL(r)) return lexSkip(lx, lexInlineTableValue);
  if (r === c('#')) {
    lx.push(lexInlineTableValue);
    return lexCommentStart;
  }
  if (r === c(',')) return lx.errorf('unexpected comma');
  if (r === c('}')) return lexInlineTableEnd;
  lx.backup();
  lx.push(lexInlineTableValueEnd);
  return lexKeyStart;
}

function lexInlineTableValueEnd(lx: Lexer): State | undefined {
  const r = lx.next();
  if (isWhitespace(r) || isNL(r)) return lexSkip(lx, lexInlineTableValueEnd);
  if (r === c('#')) {
    lx.push(lexInlineTableValueEnd);
    return lexCommentStart;
  }
  if (r === c(',')) {
    lx.ignore();
    lx.skip(isWhitespace);
    if (lx.peek() === c('}')) return lexInlineTableValueEnd;
    return lexInlineTableValue;
  }
  if (r === c('}')) return lexInlineTableEnd;
  return lx.errorf(`expected a comma or an inline table terminator '}', but got ${runeOrEOF(r)} instead`);
}

function lexInlineTableEnd(lx: Lexer): State {
  lx.ignore();
  lx.emit('inline-table-end');
  return lx.pop();
}

function lexString(lx: Lexer): State | undefined {
  const r = lx.next();
  if (r === EOF) return lx.errorf(`unexpected EOF; expected '"'`);
  if (isNL(r)) return lx.errorPrevLine('strings cannot contain newlines');
  if (r === c('\\')) {
    lx.push(lexString);
    return lexStringEscape;
  }
  if (r === c('"')) {
    lx.backup();
    if (lx.esc) {
      lx.esc = false;
      lx.emit('string-esc');
    } else {
      lx.emit('string');
    }
    lx.next();
    lx.ignore();
    return lx.pop();
  }
  return lexString;
}

/**
 * A quote character inside a multi-line string: with two more it closes the string (a
 * fourth and fifth stay content; a sixth is an error); fewer are content. `escapedSix`: a
 * backslash before five quotes makes the first of them content (basic strings only).
 */
function multilineQuote(lx: Lexer, quote: number, type: ItemType, self: State, escapedSix: boolean): State | undefined {
  const q = String.fromCodePoint(quote);
  if (!lx.accept(quote)) return self;
  if (!lx.accept(quote)) {
    lx.backup();
    return self;
  }
  if (lx.peek() === quote) {
    const five = q.repeat(5);
    if (lx.current().endsWith(five) && !(escapedSix && lx.current().endsWith(`\\${five}`))) {
      return lx.errorf(q === '"' ? `unexpected '${q.repeat(6)}'` : `unexpected "${q.repeat(6)}"`);
    }
    lx.backup();
    lx.backup();
    return self;
  }
  lx.backup();
  lx.backup();
  lx.backup();
  lx.esc = false;
  lx.emit(type);
  lx.next();
  lx.next();
  lx.next();
  lx.ignore();
  return lx.pop();
}

function lexMultilineString(lx: Lexer): State | undefined {
  const r = lx.next();
  if (r === EOF) return lx.errorf(`unexpected EOF; expected '"""'`);
  if (r === c('\\')) return lexMultilineStringEscape;
  if (r === c('"')) return multilineQuote(lx, r, 'multiline-string', lexMultilineString, true);
  return lexMultilineString;
}

function lexRawString(lx: Lexer): State | undefined {
  const r = lx.next();
  if (r === EOF) return lx.errorf(`unexpected EOF; expected "'"`);
  if (isNL(r)) return lx.errorPrevLine('strings cannot contain newlines');
  if (r === c("'")) {
    lx.backup();
    lx.emit('raw-string');
    lx.next();
    lx.ignore();
    return lx.pop();
  }
  return lexRawString;
}

function lexMultilineRawString(lx: Lexer): State | undefined {
  const r = lx.next();
  if (r === EOF) return lx.errorf(`unexpected EOF; expected "'''"`);
  if (r === c("'")) return multilineQuote(lx, r, 'raw-multiline-string', lexMultilineRawString, false);
  return lexMultilineRawString;
}

function lexMultilineStringEscape(lx: Lexer): State | undefined {
  if (isNL(lx.next())) return lexMultilineString;
  lx.backup();
  lx.push(lexMultilineString);
  return lexStringEscape(lx);
}

function lexStringEscape(lx: Lexer): State | undefined {
  lx.esc = true;
  const r = lx.next();
  if ('ebtnfr" \t\\'.includes(String.fromCodePoint(Math.max(r, 0)))) return lx.pop();
  if (r === c('x')) return lexHexDigits(2, 'x', 'two');
  if (r === c('u')) return lexHexDigits(4, 'u', 'four');
  if (r === c('U')) return lexHexDigits(8, 'U', 'eight');
  return lx.error(`invalid escape in string '\\${String.fromCodePoint(Math.max(r, 0))}'`);
}

function lexHexDigits(count: number, letter: string, word: string): State {
  return (lx) => {
    for (let i = 0; i < count; i++) {
      if (!isHex(lx.next())) return lx.errorf(`expected ${word} hexadecimal digits after '\\${letter}', but got ${quoteString(lx.current())} instead`);
    }
    return lx.pop();
  };
}

function lexNumberOrDateStart(lx: Lexer): State {
  return lx.next() === c('0') ? lexBaseNumberOrDate : lexNumberOrDate;
}

function lexNumberOrDate(lx: Lexer): State {
  const r = lx.next();
  if (isDigit(r)) return lexNumberOrDate;
  if (r === c('-') || r === c(':')) return lexDatetime;
  if (r === c('_')) return lexDecimalNumber;
  if (r === c('.') || r === c('e') || r === c('E')) return lexFloat;
  lx.backup();
  lx.emit('integer');
  return lx.pop();
}

function lexDatetime(lx: Lexer): State {
  const r = lx.next();
  if (isDigit(r) || '-:Tt .Zz+'.includes(String.fromCodePoint(Math.max(r, 0)))) return lexDatetime;
  lx.backup();
  lx.emitTrim('datetime');
  return lx.pop();
}

function lexBasedInteger(digit: (r: number) => boolean): State {
  const state: State = (lx) => {
    const r = lx.next();
    if (digit(r) || r === c('_')) return state;
    lx.backup();
    lx.emit('integer');
    return lx.pop();
  };
  return state;
}

const lexHexInteger = lexBasedInteger(isHex);
const lexOctalInteger = lexBasedInteger(isOctal);
const lexBinaryInteger = lexBasedInteger(isBinary);

function lexDecimalNumber(lx: Lexer): State {
  const r = lx.next();
  if (isDigit(r) || r === c('_')) return lexDecimalNumber;
  if (r === c('.') || r === c('e') || r === c('E')) return lexFloat;
  lx.backup();
  lx.emit('integer');
  return lx.pop();
}

function lexDecimalNumberStart(lx: Lexer): State | undefined {
  const r = lx.next();
  if (r === c('i')) {
    if (!lx.accept(c('n')) || !lx.accept(c('f'))) return lx.errorf(`invalid float: '${lx.current()}'`);
    lx.emit('float');
    return lx.pop();
  }
  if (r === c('n')) {
    if (!lx.accept(c('a')) || !lx.accept(c('n'))) return lx.errorf(`invalid float: '${lx.current()}'`);
    lx.emit('float');
    return lx.pop();
  }
  if (r === c('0')) {
    const p = lx.peek();
    if (p === c('b') || p === c('o') || p === c('x')) return lx.errorf(`cannot use sign with non-decimal numbers: '${lx.current()}${String.fromCodePoint(p)}'`);
  }
  if (r === c('.')) return lx.errorf("floats must start with a digit, not '.'");
  if (isDigit(r)) return lexDecimalNumber;
  return lx.errorf(`expected a digit but got ${quoteRune(r)}`);
}

function lexBaseNumberOrDate(lx: Lexer): State {
  const r = lx.next();
  if (isDigit(r)) return lexNumberOrDate;
  if (r === c('_')) return lexDecimalNumber;
  if (r === c('.') || r === c('e') || r === c('E')) return lexFloat;
  const based: [string, (r: number) => boolean, State, string][] = [
    ['b', isBinary, lexBinaryInteger, 'binary'],
    ['o', isOctal, lexOctalInteger, 'octal'],
    ['x', isHex, lexHexInteger, 'hexadecimal'],
  ];
  for (const [letter, digit, state, name] of based) {
    if (r !== c(letter)) continue;
    const p = lx.peek();
    // The error is queued and lexing goes on, as BurntSushi's does.
    if (!digit(p)) lx.errorf(`not a${name === 'octal' ? 'n' : ''} ${name} number: '${lx.current()}${p === EOF ? '\u0000' : String.fromCodePoint(p)}'`);
    return state;
  }
  lx.backup();
  lx.emit('integer');
  return lx.pop();
}

function lexFloat(lx: Lexer): State {
  const r = lx.next();
  if (isDigit(r) || '_.-+eE'.includes(String.fromCodePoint(Math.max(r, 0)))) return lexFloat;
  lx.backup();
  lx.emit('float');
  return lx.pop();
}

function lexBool(lx: Lexer): State | undefined {
  let word = '';
  for (;;) {
    const r = lx.next();
    if (!isLetter(r)) {
      lx.backup();
      break;
    }
    word += String.fromCodePoint(r);
  }
  if (word === 'true' || word === 'false') {
    lx.emit('bool');
    return lx.pop();
  }
  return lx.errorf(`expected value but found ${quoteString(word)} instead`);
}

function lexCommentStart(lx: Lexer): State {
  lx.ignore();
  lx.emit('comment-start');
  return lexComment;
}

function lexComment(lx: Lexer): State {
  const r = lx.next();
  if (isNL(r) || r === EOF) {
    lx.backup();
    lx.emit('text');
    return lx.pop();
  }
  return lexComment;
}

// --- parser ----------------------------------------------------------------------------

class TomlParseError extends Error {}

type TomlType = 'hash' | 'array-hash' | 'array' | 'primitive';

/** An array of tables, kept apart from plain arrays until the document is read. */
class TableArray {
  readonly tables: GoMap[] = [];
}

type Mapping = Map<string, GoValue | TableArray>;

function keyText(key: readonly string[]): string {
  return key.map((part) => (part === '' ? '""' : /^[A-Za-z0-9_-]+$/.test(part) ? part : `"${part.replace(/["\\]/g, (ch) => `\\${ch}`)}"`)).join('.');
}

class TomlParser {
  private context: string[] = [];
  private currentKey = '';
  private line = 1;
  private readonly types = new Map<string, TomlType>();
  readonly mapping: Mapping = new Map();
  private readonly implicits = new Set<string>();
  private depth = 0;

  constructor(private readonly lx: Lexer) {}

  run(): void {
    for (;;) {
      const item = this.next();
      if (item.type === 'eof') return;
      this.topLevel(item);
    }
  }

  private current(): string {
    if (this.currentKey === '') return keyText(this.context);
    if (this.context.length === 0) return this.currentKey;
    return `${keyText(this.context)}.${this.currentKey}`;
  }

  private fail(message: string, line: number): never {
    const last = this.current();
    throw new TomlParseError(last === '' ? `toml: line ${line}: ${message}` : `toml: line ${line} (last key ${quoteString(last)}): ${message}`);
  }

  private next(): Item {
    const item = this.lx.nextItem();
    if (item.type === 'error') this.fail(item.error ?? item.value, item.line);
    return item;
  }

  private nextPos(): Item {
    const item = this.next();
    this.line = item.line;
    return item;
  }

  private readKey(first: Item, end: ItemType): string[] {
    const key: string[] = [];
    for (let item = first; item.type !== end && item.type !== 'eof'; item = this.next()) key.push(this.keyString(item));
    return key;
  }

  private topLevel(item: Item): void {
    if (item.type === 'comment-start') {
      this.next();
    } else if (item.type === 'table-start' || item.type === 'array-table-start') {
      const array = item.type === 'array-table-start';
      const key = this.readKey(this.nextPos(), array ? 'array-table-end' : 'table-end');
      this.addContext(key, array);
      this.setType('', array ? 'array-hash' : 'hash');
    } else if (item.type === 'key-start') {
      const outer = this.context;
      const key = this.readKey(this.nextPos(), 'key-end');
      this.currentKey = key[key.length - 1]!;
      const parents = key.slice(0, -1);
      for (let i = 0; i < parents.length; i++) this.addImplicitContext([...this.context, parents[i]!]);
      const value = this.next();
      const [converted, type] = this.value(value, false);
      this.setValue(this.currentKey, converted);
      this.setType(this.currentKey, type);
      this.context = outer;
      this.currentKey = '';
    }
  }

  private keyString(item: Item): string {
    if (item.type === 'text') return item.value;
    return this.value(item, false)[0] as string;
  }

  private value(item: Item, parentIsArray: boolean): [GoValue, TomlType] {
    switch (item.type) {
      case 'string':
      case 'raw-string':
        return [item.value, 'primitive'];
      case 'string-esc':
        return [this.replaceEscapes(item, item.value), 'primitive'];
      case 'multiline-string':
        return [this.replaceEscapes(item, stripEscapedNewlines(stripFirstNewline(item.value))), 'primitive'];
      case 'raw-multiline-string':
        return [stripFirstNewline(item.value), 'primitive'];
      case 'integer':
        return [this.integer(item), 'primitive'];
      case 'float':
        return [this.float(item), 'primitive'];
      case 'bool':
        return [item.value === 'true', 'primitive'];
      case 'datetime':
        return [this.datetime(item), 'primitive'];
      case 'array':
        return this.nested(() => this.array());
      case 'inline-table-start':
        return this.nested(() => this.inlineTable(parentIsArray));
      default:
        throw new Error(`toml parser: unexpected value type ${item.type}`);
    }
  }

  private nested(read: () => [GoValue, TomlType]): [GoValue, TomlType] {
    if (++this.depth > MAX_NESTING) throw new NestingTooDeepError();
    try {
      return read();
    } finally {
      this.depth--;
    }
  }

  private integer(item: Item): bigint {
    const text = item.value;
    if (!underscoresOK(text)) this.fail(`Invalid integer ${quoteString(text)}: underscores must be surrounded by digits`, item.line);
    if (hasLeadingZero(text)) this.fail(`Invalid integer ${quoteString(text)}: cannot have leading zeroes`, item.line);
    const negative = text.startsWith('-');
    const digits = text.replace(/^[+-]/, '').replaceAll('_', '');
    const value = (negative ? -1n : 1n) * BigInt(/^0[box]/.test(digits) ? digits : digits.replace(/^0+(?=.)/, ''));
    if (value < -(2n ** 63n) || value > 2n ** 63n - 1n) this.fail(`${text} is out of range for int64`, item.line);
    return value;
  }

  private float(item: Item): number {
    const text = item.value;
    const parts = text.split(/[.eE]/).filter((part) => part !== '');
    for (const part of parts) if (!underscoresOK(part)) this.fail(`Invalid float ${quoteString(text)}: underscores must be surrounded by digits`, item.line);
    if (parts.length > 0 && hasLeadingZero(parts[0]!)) this.fail(`Invalid float ${quoteString(text)}: cannot have leading zeroes`, item.line);
    if (/\.(?![0-9])/.test(text)) this.fail(`Invalid float ${quoteString(text)}: '.' must be followed by one or more digits`, item.line);
    let plain = text.replaceAll('_', '');
    let negativeNan = false;
    if (plain === '+nan' || plain === '-nan') {
      negativeNan = plain === '-nan';
      plain = 'nan';
    }
    const value = parseGoFloat(plain);
    if (value === undefined) {
      if (/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(plain)) this.fail(`${text} is out of range for float64`, item.line);
      this.fail(`Invalid float value: ${quoteString(text)}`, item.line);
    }
    return negativeNan ? -value : value;
  }

  private datetime(item: Item): GoValue {
    const text = item.value.replace(/[zt ]/g, (ch) => (ch === 'z' ? 'Z' : 'T'));
    const parsed = parseTomlDatetime(text);
    if (!parsed) this.fail(`invalid datetime: ${quoteString(text)}`, item.line);
    return parsed;
  }

  private array(): [GoValue, TomlType] {
    this.setType(this.currentKey, 'array');
    const list: GoValue[] = [];
    for (let next = this.next(); next.type !== 'array-end'; next = this.next()) {
      if (next.type === 'comment-start') {
        this.next();
        continue;
      }
      list.push(this.value(next, true)[0]);
    }
    return [list, 'array'];
  }

  private inlineTable(parentIsArray: boolean): [GoValue, TomlType] {
    const top: GoMap = new Map();
    const outerContext = this.context;
    const outerKey = this.currentKey;
    this.context = [...this.context, this.currentKey];
    const previous = this.context;
    this.currentKey = '';
    this.implicits.add(keyText(this.context));
    this.addContext(this.context, parentIsArray);
    for (let item = this.next(); item.type !== 'inline-table-end'; item = this.next()) {
      if (item.type === 'comment-start') {
        this.next();
        continue;
      }
      const key = this.readKey(this.nextPos(), 'key-end');
      this.currentKey = key[key.length - 1]!;
      const parents = key.slice(0, -1);
      for (let i = 0; i < parents.length; i++) this.addImplicitContext([...this.context, parents[i]!]);
      const [value, type] = this.value(this.next(), false);
      this.setValue(this.currentKey, value);
      this.setType(this.currentKey, type);
      let hash: GoMap = top;
      for (const part of parents) {
        let inner = hash.get(part);
        if (inner === undefined) hash.set(part, (inner = new Map()));
        if (!(inner instanceof Map)) this.fail(`${quoteString(keyText(this.context))} is not a table`, this.line);
        hash = inner;
      }
      hash.set(this.currentKey, value);
      this.context = previous;
    }
    this.context = outerContext;
    this.currentKey = outerKey;
    return [top, 'hash'];
  }

  private addContext(key: string[], array: boolean): void {
    let hash: Mapping = this.mapping;
    const keyContext: string[] = [];
    for (const part of key.slice(0, -1)) {
      keyContext.push(part);
      if (!hash.has(part)) {
        this.implicits.add(keyText(keyContext));
        hash.set(part, new Map());
      }
      const found = hash.get(part);
      if (found instanceof TableArray) hash = found.tables[found.tables.length - 1] as Mapping;
      else if (found instanceof Map) hash = found as Mapping;
      else this.fail(`Key '${keyText(keyContext)}' was already created as a hash.`, this.line);
    }
    this.context = keyContext;
    const last = key[key.length - 1]!;
    if (array) {
      if (!hash.has(last)) hash.set(last, new TableArray());
      const found = hash.get(last);
      if (found instanceof TableArray) found.tables.push(new Map());
      else this.fail(`Key '${keyText(key)}' was already created and cannot be used as an array.`, this.line);
    } else {
      this.setValue(last, new Map());
    }
    this.context = [...this.context, last];
  }

  private setValue(key: string, value: GoValue): void {
    let hash: Mapping = this.mapping;
    const keyContext: string[] = [];
    for (const part of this.context) {
      keyContext.push(part);
      const found = hash.get(part);
      if (found === undefined) throw new Error(`toml parser: context for key '${keyText(keyContext)}' has not been established`);
      if (found instanceof TableArray) hash = found.tables[found.tables.length - 1] as Mapping;
      else if (found instanceof Map) hash = found as Mapping;
      else this.fail(`Key '${keyText(keyContext)}' has already been defined.`, this.line);
    }
    keyContext.push(key);
    const name = keyText(keyContext);
    if (hash.has(key)) {
      if (this.types.get(name) === 'array') {
        if (!this.implicits.has(name)) this.fail(`Key '${name}' has already been defined.`, this.line);
        this.implicits.delete(name);
        hash.set(key, value);
        return;
      }
      if (this.implicits.has(name)) {
        this.implicits.delete(name);
        return;
      }
      this.fail(`Key '${name}' has already been defined.`, this.line);
    }
    hash.set(key, value);
  }

  private setType(key: string, type: TomlType): void {
    const keyContext = [...this.context];
    if (key !== '') keyContext.push(key);
    this.types.set(keyContext.length === 0 ? '""' : keyText(keyContext), type);
  }

  private addImplicitContext(key: string[]): void {
    this.implicits.add(keyText(key));
    this.addContext(key, false);
  }

  private replaceEscapes(item: Item, text: string): string {
    let out = '';
    const points = [...text];
    for (let i = 0; i < points.length; i++) {
      const ch = points[i]!;
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      const escape = points[i + 1] ?? '';
      const simple: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', e: '\u001b', '"': '"', '\\': '\\' };
      if (escape === ' ' || escape === '\t') this.fail(`invalid escape: '\\${escape}'`, item.line);
      if (simple[escape] !== undefined) {
        out += simple[escape];
        i += 1;
        continue;
      }
      const length = escape === 'x' ? 2 : escape === 'u' ? 4 : 8;
      const hex = points.slice(i + 2, i + 2 + length).join('');
      const code = parseInt(hex, 16);
      if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) this.fail(`Escaped character '\\u${hex}' is not valid UTF-8.`, item.line);
      out += String.fromCodePoint(code);
      i += 1 + length;
    }
    return out;
  }
}

function stripFirstNewline(s: string): string {
  if (s.startsWith('\n')) return s.slice(1);
  if (s.startsWith('\r\n')) return s.slice(2);
  return s;
}

/** Removes a line-ending backslash and the whitespace after it (the lexer checked the rest). */
function stripEscapedNewlines(s: string): string {
  let out = '';
  let i = 0;
  for (;;) {
    const at = s.indexOf('\\', i);
    if (at < 0) return out + s;
    if (s[at + 1] === '\\') {
      i = at + 2;
      continue;
    }
    let j = at + 1;
    while (j < s.length && ' \t\r\n'.includes(s[j]!)) j++;
    if (j === at + 1 || !s.slice(at, j).includes('\n')) {
      i = at + 1;
      continue;
    }
    out += s.slice(0, at);
    s = s.slice(j);
    i = 0;
  }
}

function underscoresOK(s: string): boolean {
  if (['nan', '+nan', '-nan', 'inf', '-inf', '+inf'].includes(s)) return true;
  let accept = false;
  for (const ch of s) {
    if (ch === '_' && !accept) return false;
    accept = isHex(ch.codePointAt(0)!);
  }
  return accept;
}

function hasLeadingZero(s: string): boolean {
  if (s.length > 1 && s[0] === '0' && !'box'.includes(s[1]!)) return true;
  return s.length > 2 && (s[0] === '-' || s[0] === '+') && s[1] === '0';
}

// --- datetimes -------------------------------------------------------------------------

type DatetimeKind = 'offset' | 'local-datetime' | 'local-date' | 'local-time';

const LOCAL_ZONES: Record<Exclude<DatetimeKind, 'offset'>, string> = {
  'local-datetime': 'datetime-local',
  'local-date': 'date-local',
  'local-time': 'time-local',
};

/** TOML's datetime forms, as BurntSushi tries Go layouts in turn (leading zeros required). */
function parseTomlDatetime(text: string): GoStruct | undefined {
  const date = '(\\d{4})-(\\d{2})-(\\d{2})';
  const time = '(\\d{2}):(\\d{2})(?::(\\d{2})(\\.\\d+)?)?';
  const zone = '(Z|[+-]\\d{2}:\\d{2})';
  const forms: [RegExp, DatetimeKind][] = [
    [new RegExp(`^${date}T${time}${zone}$`), 'offset'],
    [new RegExp(`^${date}T${time}$`), 'local-datetime'],
    [new RegExp(`^${date}$`), 'local-date'],
    [new RegExp(`^()()()${time}$`), 'local-time'],
  ];
  for (const [pattern, kind] of forms) {
    const match = pattern.exec(text);
    if (!match) continue;
    const [, year = '0000', month = '01', day = '01', hour = '00', minute = '00', second = '00', fraction = '', offset = 'Z'] = match;
    if (kind === 'local-time' && match[1] === '') return timeStruct(kind, { year: 0, month: 1, day: 1, hour, minute, second, fraction, offset: 'Z' });
    const parts = { year: Number(year), month: Number(month), day: Number(day), hour, minute, second, fraction, offset };
    if (!validDate(parts.year, parts.month, parts.day) || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return undefined;
    return timeStruct(kind, parts);
  }
  return undefined;
}

function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

interface DatetimeParts {
  year: number;
  month: number;
  day: number;
  hour: string;
  minute: string;
  second: string;
  fraction: string;
  offset: string;
}

/** A `time.Time` from fromToml: Go's String (`1979-05-27 07:32:00 +0000 UTC`) and its RFC 3339 JSON/text form. */
function timeStruct(kind: DatetimeKind, parts: DatetimeParts): GoStruct {
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  const nanos = parts.fraction ? parts.fraction.slice(1, 10).padEnd(9, '0') : '';
  const trimmedFraction = nanos.replace(/0+$/, '');
  const clock = `${parts.hour}:${parts.minute}:${parts.second}`;
  const day = `${pad(parts.year, 4)}-${pad(parts.month)}-${pad(parts.day)}`;
  const offset = kind === 'offset' ? (parts.offset === 'Z' ? '+00:00' : parts.offset) : '+00:00';
  const zoneName = kind === 'offset' ? (parts.offset === 'Z' ? 'UTC' : offset.replace(':', '')) : LOCAL_ZONES[kind];
  const stringForm = `${day} ${clock}${trimmedFraction ? `.${trimmedFraction}` : ''} ${offset.replace(':', '')} ${zoneName}`;
  const rfc3339 = `${day}T${clock}${trimmedFraction ? `.${trimmedFraction}` : ''}${offset === '+00:00' ? 'Z' : offset}`;
  const method = (call: () => GoValue) => ({ signature: { params: [] }, call });
  return new GoStruct(
    'time.Time',
    new Map(),
    new Map([
      ['String', method(() => stringForm)],
      ['MarshalJSON', method(() => `"${rfc3339}"`)],
      ['MarshalText', method(() => rfc3339)],
    ]),
  );
}

/** Maps and arrays of tables as Go's decoder hands them over: an array of tables becomes a list of maps. */
function finish(value: GoValue | TableArray): GoValue {
  if (value instanceof TableArray) return value.tables.map((table) => finish(table));
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, finish(v as GoValue | TableArray)]));
  if (Array.isArray(value)) return value.map((item) => finish(item));
  return value;
}

/** toml.Unmarshal into a map: the document's tables and the error text BurntSushi returns, if any (the map stays empty then). */
export function unmarshalToml(text: string): { value: GoMap; error?: string } {
  let input = text.startsWith('\ufeff') ? text.slice(1) : text;
  if (input.slice(0, 6).includes('\u0000')) {
    return { value: new Map(), error: 'toml: line 1: files cannot contain NULL bytes; probably using UTF-16; TOML files must be UTF-8' };
  }
  input = input.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
  const parser = new TomlParser(new Lexer(input));
  try {
    parser.run();
  } catch (error) {
    if (error instanceof TomlParseError || error instanceof NestingTooDeepError) return { value: new Map(), error: error.message };
    throw error;
  }
  return { value: finish(parser.mapping as GoMap) as GoMap };
}
