/**
 * text/template's lexer (src/text/template/parse/lex.go), pulled one item at a time by the
 * parser. Positions are UTF-16 offsets into the template text (Go counts bytes; the error
 * messages convert where Go shows a column).
 */
import { sprintf, utf8Length } from '../fmt.js';

export const enum Item {
  Error,
  Bool,
  Char,
  CharConstant,
  Comment,
  Complex,
  Assign,
  Declare,
  EOF,
  Field,
  Identifier,
  LeftDelim,
  LeftParen,
  Number,
  Pipe,
  RawString,
  RightDelim,
  RightParen,
  Space,
  String,
  Text,
  Variable,
  // Keywords come after all the rest.
  Keyword,
  Block,
  Break,
  Continue,
  Dot,
  Define,
  Else,
  End,
  If,
  Nil,
  Range,
  Template,
  With,
}

export interface Token {
  typ: Item;
  pos: number;
  val: string;
  line: number;
}

const keywords = new Map<string, Item>([
  ['.', Item.Dot],
  ['block', Item.Block],
  ['break', Item.Break],
  ['continue', Item.Continue],
  ['define', Item.Define],
  ['else', Item.Else],
  ['end', Item.End],
  ['if', Item.If],
  ['range', Item.Range],
  ['nil', Item.Nil],
  ['template', Item.Template],
  ['with', Item.With],
]);

/** How the parser's messages show a token (lex.go's item.String). */
export function tokenString(token: Token): string {
  if (token.typ === Item.EOF) return 'EOF';
  if (token.typ === Item.Error) return token.val;
  if (token.typ > Item.Keyword) return `<${token.val}>`;
  if (utf8Length(token.val) > 10) return sprintf('%.10q...', token.val);
  return sprintf('%q', token.val);
}

const EOF = -1;
const letter = /\p{L}/u;
const digit = /\p{Nd}/u;

function isSpace(rune: number): boolean {
  return rune === 0x20 || rune === 0x09 || rune === 0x0d || rune === 0x0a;
}

function isAlphaNumeric(rune: number): boolean {
  if (rune < 0x80) return rune === 0x5f || (rune >= 0x30 && rune <= 0x39) || ((rune | 0x20) >= 0x61 && (rune | 0x20) <= 0x7a);
  if (rune === EOF) return false;
  const character = String.fromCodePoint(rune);
  return letter.test(character) || digit.test(character);
}

function hasLeftTrimMarker(text: string, at: number): boolean {
  return text.charCodeAt(at) === 0x2d && isSpace(text.charCodeAt(at + 1));
}

function hasRightTrimMarker(text: string, at: number): boolean {
  return isSpace(text.charCodeAt(at)) && text.charCodeAt(at + 1) === 0x2d;
}

function countNewlines(text: string, start: number, end: number): number {
  let count = 0;
  for (let index = text.indexOf('\n', start); index !== -1 && index < end; index = text.indexOf('\n', index + 1)) count++;
  return count;
}

type State = ((lexer: Lexer) => State) | null;

const TRIM_MARKER_LENGTH = 2;
const LEFT_COMMENT = '/*';
const RIGHT_COMMENT = '*/';

export class Lexer {
  private pos = 0;
  private start = 0;
  private atEOF = false;
  private parenDepth = 0;
  private line = 1;
  private startLine = 1;
  private item: Token;
  private insideAction = false;

  constructor(
    private input: string,
    private readonly leftDelim = '{{',
    private readonly rightDelim = '}}',
  ) {
    this.item = { typ: Item.EOF, pos: 0, val: 'EOF', line: 1 };
  }

  nextItem(): Token {
    this.item = { typ: Item.EOF, pos: this.pos, val: 'EOF', line: this.startLine };
    let state: State = this.insideAction ? lexInsideAction : lexText;
    while (state !== null) state = state(this);
    return this.item;
  }

  // --- The machinery of lex.go ---

  next(): number {
    if (this.pos >= this.input.length) {
      this.atEOF = true;
      return EOF;
    }
    const code = this.input.codePointAt(this.pos)!;
    this.pos += code > 0xffff ? 2 : 1;
    if (code === 0x0a) this.line++;
    return code;
  }

  peek(): number {
    const rune = this.next();
    this.backup();
    return rune;
  }

  backup(): void {
    if (!this.atEOF && this.pos > 0) {
      const low = this.input.charCodeAt(this.pos - 1);
      const width = low >= 0xdc00 && low <= 0xdfff && this.pos > 1 && this.input.charCodeAt(this.pos - 2) >= 0xd800 && this.input.charCodeAt(this.pos - 2) <= 0xdbff ? 2 : 1;
      this.pos -= width;
      if (low === 0x0a) this.line--;
    }
  }

  thisItem(typ: Item): Token {
    const token = { typ, pos: this.start, val: this.input.slice(this.start, this.pos), line: this.startLine };
    this.start = this.pos;
    this.startLine = this.line;
    return token;
  }

  emit(typ: Item): State {
    return this.emitItem(this.thisItem(typ));
  }

  emitItem(token: Token): State {
    this.item = token;
    return null;
  }

  ignore(): void {
    this.line += countNewlines(this.input, this.start, this.pos);
    this.start = this.pos;
    this.startLine = this.line;
  }

  accept(valid: string): boolean {
    const rune = this.next();
    if (rune !== EOF && valid.includes(String.fromCodePoint(rune))) return true;
    this.backup();
    return false;
  }

  acceptRun(valid: string): void {
    for (;;) {
      const rune = this.next();
      if (rune === EOF || !valid.includes(String.fromCodePoint(rune))) break;
    }
    this.backup();
  }

  errorf(format: string, ...args: (string | bigint)[]): State {
    this.item = { typ: Item.Error, pos: this.start, val: sprintf(format, ...args), line: this.startLine };
    this.start = 0;
    this.pos = 0;
    this.input = '';
    return null;
  }

  atRightDelim(): [delim: boolean, trimSpaces: boolean] {
    if (hasRightTrimMarker(this.input, this.pos) && this.input.startsWith(this.rightDelim, this.pos + TRIM_MARKER_LENGTH)) return [true, true];
    if (this.input.startsWith(this.rightDelim, this.pos)) return [true, false];
    return [false, false];
  }

  atTerminator(): boolean {
    const rune = this.peek();
    if (isSpace(rune)) return true;
    switch (rune) {
      case EOF:
      case 0x2e: // .
      case 0x2c: // ,
      case 0x7c: // |
      case 0x3a: // :
      case 0x29: // )
      case 0x28: // (
        return true;
    }
    return this.input.startsWith(this.rightDelim, this.pos);
  }

  scanNumber(): boolean {
    this.accept('+-');
    let digits = '0123456789_';
    if (this.accept('0')) {
      if (this.accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (this.accept('oO')) digits = '01234567_';
      else if (this.accept('bB')) digits = '01_';
    }
    this.acceptRun(digits);
    if (this.accept('.')) this.acceptRun(digits);
    if (digits.length === 11 && this.accept('eE')) {
      this.accept('+-');
      this.acceptRun('0123456789_');
    }
    if (digits.length === 23 && this.accept('pP')) {
      this.accept('+-');
      this.acceptRun('0123456789_');
    }
    this.accept('i');
    if (isAlphaNumeric(this.peek())) {
      this.next();
      return false;
    }
    return true;
  }

  // --- State functions need the lexer's fields; they are its methods in all but name. ---

  lexText(): State {
    const found = this.input.indexOf(this.leftDelim, this.pos);
    if (found >= 0) {
      if (found > this.pos) {
        this.pos = found;
        let trimLength = 0;
        const delimEnd = this.pos + this.leftDelim.length;
        if (hasLeftTrimMarker(this.input, delimEnd)) {
          let at = this.pos;
          while (at > this.start && isSpace(this.input.charCodeAt(at - 1))) at--;
          trimLength = this.pos - at;
        }
        this.pos -= trimLength;
        this.line += countNewlines(this.input, this.start, this.pos);
        const token = this.thisItem(Item.Text);
        this.pos += trimLength;
        this.ignore();
        if (token.val.length > 0) return this.emitItem(token);
      }
      return lexLeftDelim;
    }
    this.pos = this.input.length;
    if (this.pos > this.start) {
      this.line += countNewlines(this.input, this.start, this.pos);
      return this.emit(Item.Text);
    }
    return this.emit(Item.EOF);
  }

  lexLeftDelim(): State {
    this.pos += this.leftDelim.length;
    const trimSpace = hasLeftTrimMarker(this.input, this.pos);
    const afterMarker = trimSpace ? TRIM_MARKER_LENGTH : 0;
    if (this.input.startsWith(LEFT_COMMENT, this.pos + afterMarker)) {
      this.pos += afterMarker;
      this.ignore();
      return lexComment;
    }
    const token = this.thisItem(Item.LeftDelim);
    this.insideAction = true;
    this.pos += afterMarker;
    this.ignore();
    this.parenDepth = 0;
    return this.emitItem(token);
  }

  lexComment(): State {
    this.pos += LEFT_COMMENT.length;
    const found = this.input.indexOf(RIGHT_COMMENT, this.pos);
    if (found < 0) return this.errorf('unclosed comment');
    this.pos = found + RIGHT_COMMENT.length;
    const [delim, trimSpace] = this.atRightDelim();
    if (!delim) return this.errorf('comment ends before closing delimiter');
    this.line += countNewlines(this.input, this.start, this.pos);
    this.thisItem(Item.Comment);
    if (trimSpace) this.pos += TRIM_MARKER_LENGTH;
    this.pos += this.rightDelim.length;
    if (trimSpace) while (this.pos < this.input.length && isSpace(this.input.charCodeAt(this.pos))) this.pos++;
    this.ignore();
    return lexText;
  }

  lexRightDelim(): State {
    const [, trimSpace] = this.atRightDelim();
    if (trimSpace) {
      this.pos += TRIM_MARKER_LENGTH;
      this.ignore();
    }
    this.pos += this.rightDelim.length;
    const token = this.thisItem(Item.RightDelim);
    if (trimSpace) {
      while (this.pos < this.input.length && isSpace(this.input.charCodeAt(this.pos))) this.pos++;
      this.ignore();
    }
    this.insideAction = false;
    return this.emitItem(token);
  }

  lexInsideAction(): State {
    const [delim] = this.atRightDelim();
    if (delim) {
      if (this.parenDepth === 0) return lexRightDelim;
      return this.errorf('unclosed left paren');
    }
    const rune = this.next();
    if (rune === EOF) return this.errorf('unclosed action');
    if (isSpace(rune)) {
      this.backup();
      return lexSpace;
    }
    switch (rune) {
      case 0x3d: // =
        return this.emit(Item.Assign);
      case 0x3a: // :
        if (this.next() !== 0x3d) return this.errorf('expected :=');
        return this.emit(Item.Declare);
      case 0x7c: // |
        return this.emit(Item.Pipe);
      case 0x22: // "
        return lexQuote;
      case 0x60: // `
        return lexRawQuote;
      case 0x24: // $
        return lexVariable;
      case 0x27: // '
        return lexChar;
      case 0x28: // (
        this.parenDepth++;
        return this.emit(Item.LeftParen);
      case 0x29: // )
        this.parenDepth--;
        if (this.parenDepth < 0) return this.errorf('unexpected right paren');
        return this.emit(Item.RightParen);
    }
    if (rune === 0x2e) {
      // A special look-ahead for ".field", so that backup stays right.
      if (this.pos < this.input.length) {
        const following = this.input.charCodeAt(this.pos);
        if (following < 0x30 || following > 0x39) return lexField;
      }
    }
    if (rune === 0x2e || rune === 0x2b || rune === 0x2d || (rune >= 0x30 && rune <= 0x39)) {
      this.backup();
      return lexNumber;
    }
    if (isAlphaNumeric(rune)) {
      this.backup();
      return lexIdentifier;
    }
    if (rune < 0x80 && rune >= 0x20 && rune < 0x7f) return this.emit(Item.Char);
    return this.errorf('unrecognized character in action: %#U', BigInt(rune));
  }

  lexSpace(): State {
    let spaces = 0;
    while (isSpace(this.peek())) {
      this.next();
      spaces++;
    }
    // A trim-marked right delimiter starts with a space: leave it to lexRightDelim.
    if (hasRightTrimMarker(this.input, this.pos - 1) && this.input.startsWith(this.rightDelim, this.pos - 1 + TRIM_MARKER_LENGTH)) {
      this.backup();
      if (spaces === 1) return lexRightDelim;
    }
    return this.emit(Item.Space);
  }

  lexIdentifier(): State {
    for (;;) {
      const rune = this.next();
      if (isAlphaNumeric(rune)) continue;
      this.backup();
      const word = this.input.slice(this.start, this.pos);
      if (!this.atTerminator()) return this.errorf('bad character %#U', BigInt(rune));
      const keyword = keywords.get(word);
      if (keyword !== undefined && keyword > Item.Keyword) return this.emit(keyword);
      if (word[0] === '.') return this.emit(Item.Field);
      if (word === 'true' || word === 'false') return this.emit(Item.Bool);
      return this.emit(Item.Identifier);
    }
  }

  lexFieldOrVariable(typ: Item): State {
    if (this.atTerminator()) return this.emit(typ === Item.Variable ? Item.Variable : Item.Dot);
    let rune: number;
    for (;;) {
      rune = this.next();
      if (!isAlphaNumeric(rune)) {
        this.backup();
        break;
      }
    }
    if (!this.atTerminator()) return this.errorf('bad character %#U', BigInt(rune));
    return this.emit(typ);
  }

  lexVariable(): State {
    if (this.atTerminator()) return this.emit(Item.Variable);
    return this.lexFieldOrVariable(Item.Variable);
  }

  lexQuoted(quote: number, typ: Item, unterminated: string): State {
    for (;;) {
      const rune = this.next();
      if (rune === 0x5c) {
        const escaped = this.next();
        if (escaped !== EOF && escaped !== 0x0a) continue;
        return this.errorf(unterminated);
      }
      if (rune === EOF || rune === 0x0a) return this.errorf(unterminated);
      if (rune === quote) return this.emit(typ);
    }
  }

  lexRawQuote(): State {
    for (;;) {
      const rune = this.next();
      if (rune === EOF) return this.errorf('unterminated raw quoted string');
      if (rune === 0x60) return this.emit(Item.RawString);
    }
  }

  lexNumber(): State {
    if (!this.scanNumber()) return this.errorf('bad number syntax: %q', this.input.slice(this.start, this.pos));
    const sign = this.peek();
    if (sign === 0x2b || sign === 0x2d) {
      // Complex: 1+2i. No spaces, must end in 'i'.
      if (!this.scanNumber() || this.input.charCodeAt(this.pos - 1) !== 0x69) return this.errorf('bad number syntax: %q', this.input.slice(this.start, this.pos));
      return this.emit(Item.Complex);
    }
    return this.emit(Item.Number);
  }
}

const lexText: State = (lexer) => lexer.lexText();
const lexLeftDelim: State = (lexer) => lexer.lexLeftDelim();
const lexComment: State = (lexer) => lexer.lexComment();
const lexRightDelim: State = (lexer) => lexer.lexRightDelim();
const lexInsideAction: State = (lexer) => lexer.lexInsideAction();
const lexSpace: State = (lexer) => lexer.lexSpace();
const lexIdentifier: State = (lexer) => lexer.lexIdentifier();
const lexField: State = (lexer) => lexer.lexFieldOrVariable(Item.Field);
const lexVariable: State = (lexer) => lexer.lexVariable();
const lexQuote: State = (lexer) => lexer.lexQuoted(0x22, Item.String, 'unterminated quoted string');
const lexChar: State = (lexer) => lexer.lexQuoted(0x27, Item.CharConstant, 'unterminated character constant');
const lexRawQuote: State = (lexer) => lexer.lexRawQuote();
const lexNumber: State = (lexer) => lexer.lexNumber();
