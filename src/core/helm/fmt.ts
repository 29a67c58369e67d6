/**
 * Go's fmt (Sprint, Sprintln, Sprintf) over the value model of values.ts, ported from
 * src/fmt/print.go and format.go, with strconv's float formatting (ftoa.go) and quoting
 * (quote.go). Go strings are bytes: widths and precisions count runes (code points), `%x`
 * of a string shows its UTF-8 bytes.
 */
import { GoStruct, isGoMap, type GoMap, type GoValue } from './values.js';

/** fmt.Sprint: operands in their default format, a space between two operands when neither is a string. */
export function sprint(...values: GoValue[]): string {
  const printer = new Printer();
  let previousString = false;
  for (let index = 0; index < values.length; index++) {
    const value = values[index]!;
    const isString = typeof value === 'string';
    if (index > 0 && !isString && !previousString) printer.out += ' ';
    printer.printArg(value, 'v');
    previousString = isString;
  }
  return printer.out;
}

/** fmt.Sprintln: spaces between all operands and a final newline. */
export function sprintln(...values: GoValue[]): string {
  const printer = new Printer();
  for (let index = 0; index < values.length; index++) {
    if (index > 0) printer.out += ' ';
    printer.printArg(values[index]!, 'v');
  }
  return `${printer.out}\n`;
}

/** fmt.Sprintf. */
export function sprintf(format: string, ...values: GoValue[]): string {
  const printer = new Printer();
  printer.doPrintf(format, values);
  return printer.out;
}

/** `%v` of one value (what text/template prints for an action). */
export function formatValue(value: GoValue): string {
  if (typeof value === 'string') return value;
  const printer = new Printer();
  printer.printArg(value, 'v');
  return printer.out;
}

/** Go's `%T`: the dynamic type's name. Every integer is `int`, every list `[]interface {}`. */
export function goTypeName(value: GoValue): string {
  if (value === null) return '<nil>';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'bigint':
      return 'int';
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
  }
  if (isGoMap(value)) return 'map[string]interface {}';
  if (Array.isArray(value)) return '[]interface {}';
  if (value instanceof Uint8Array) return '[]uint8';
  return value.typeName;
}

/** strconv.Quote: a double-quoted Go string literal, non-printable runes escaped. */
export function quoteGo(text: string): string {
  return appendQuoted(text, '"', false);
}

/** Go's string order (bytes of UTF-8), which is code point order; JavaScript's `<` compares UTF-16 units. */
export function compareGoStrings(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const x = a.charCodeAt(index);
    const y = b.charCodeAt(index);
    if (x === y) continue;
    // Surrogates (U+D800-DFFF) encode code points above U+FFFF, which sort after U+E000-FFFF in UTF-8.
    const surrogateX = x >= 0xd800 && x <= 0xdfff;
    const surrogateY = y >= 0xd800 && y <= 0xdfff;
    if (surrogateX !== surrogateY) return surrogateX ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** The number of bytes of `text` in UTF-8. */
export function utf8Length(text: string, start = 0, end = text.length): number {
  let bytes = 0;
  for (let index = start; index < end; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && index + 1 < end) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        index++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

const encoder = new TextEncoder();
const printableRune = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
const graphicSpaces = new Set([0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x202f, 0x205f, 0x3000]);

/** strconv.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isPrintRune(rune: number): boolean {
  if (rune < 0x80) return rune >= 0x20 && rune < 0x7f;
  if (rune >= 0xd800 && rune <= 0xdfff) return false;
  return printableRune.test(String.fromCodePoint(rune));
}

const lowerDigits = '0123456789abcdefx';
const upperDigits = '0123456789ABCDEFX';

/** The runes of a JavaScript string; a lone surrogate is Go's RuneError (U+FFFD), as invalid UTF-8 would be. */
function runeAt(text: string, index: number): [rune: number, width: number] {
  const code = text.charCodeAt(index);
  if (code < 0xd800 || code > 0xdfff) return [code, 1];
  if (code <= 0xdbff && index + 1 < text.length) {
    const next = text.charCodeAt(index + 1);
    if (next >= 0xdc00 && next <= 0xdfff) return [((code - 0xd800) << 10) + (next - 0xdc00) + 0x10000, 2];
  }
  return [0xfffd, 1];
}

function runeCount(text: string): number {
  let count = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) index++;
    }
    count++;
  }
  return count;
}

function hex2(byte: number): string {
  return lowerDigits[byte >> 4]! + lowerDigits[byte & 15]!;
}

function escapedRune(rune: number, quote: string, asciiOnly: boolean, graphicOnly: boolean): string {
  const character = String.fromCodePoint(rune);
  if (character === quote || character === '\\') return `\\${character}`;
  if (asciiOnly) {
    if (rune < 0x80 && isPrintRune(rune)) return character;
  } else if (isPrintRune(rune) || (graphicOnly && graphicSpaces.has(rune))) return character;
  switch (rune) {
    case 7:
      return '\\a';
    case 8:
      return '\\b';
    case 12:
      return '\\f';
    case 10:
      return '\\n';
    case 13:
      return '\\r';
    case 9:
      return '\\t';
    case 11:
      return '\\v';
  }
  if (rune < 0x20 || rune === 0x7f) return `\\x${hex2(rune)}`;
  if (rune > 0x10ffff || (rune >= 0xd800 && rune <= 0xdfff)) rune = 0xfffd;
  if (rune < 0x10000) return `\\u${rune.toString(16).padStart(4, '0')}`;
  return `\\U${rune.toString(16).padStart(8, '0')}`;
}

function appendQuoted(text: string, quote: string, asciiOnly: boolean): string {
  let out = quote;
  let plainFrom = 0;
  for (let index = 0; index < text.length; ) {
    const code = text.charCodeAt(index);
    // Printable ASCII other than the quote and backslash stands for itself: the common case, kept in runs.
    if (code >= 0x20 && code < 0x7f && code !== 0x22 && code !== 0x5c && code !== quote.charCodeAt(0)) {
      index++;
      continue;
    }
    out += text.slice(plainFrom, index);
    const [rune, width] = runeAt(text, index);
    out += escapedRune(rune, quote, asciiOnly, false);
    index += width;
    plainFrom = index;
  }
  return out + text.slice(plainFrom) + quote;
}

function quoteRune(rune: number, asciiOnly: boolean): string {
  if (rune > 0x10ffff || (rune >= 0xd800 && rune <= 0xdfff)) rune = 0xfffd;
  return `'${escapedRune(rune, "'", asciiOnly, false)}'`;
}

/** strconv.CanBackquote: no control characters but tab, no backquote, no U+FEFF. */
function canBackquote(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if ((code < 0x20 && code !== 9) || code === 0x7f || code === 0x60 || code === 0xfeff) return false;
  }
  return true;
}

// --- Floating point (strconv/ftoa.go) -------------------------------------------------

/** A decimal number: digits `d` (no trailing zeros), the decimal point after `dp` digits. */
interface Decimal {
  d: string;
  dp: number;
}

const float64View = new DataView(new ArrayBuffer(8));

/** The mantissa and binary exponent of a finite float64: |v| = mant × 2^exp. */
function floatParts(value: number): { mant: bigint; exp: number } {
  float64View.setFloat64(0, value);
  const high = float64View.getUint32(0);
  const low = float64View.getUint32(4);
  const biased = (high >>> 20) & 0x7ff;
  const fraction = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
  if (biased === 0) return { mant: fraction, exp: -1074 };
  return { mant: fraction | (1n << 52n), exp: biased - 1075 };
}

function trimDecimal(digits: string, dp: number): Decimal {
  let end = digits.length;
  while (end > 0 && digits.charCodeAt(end - 1) === 48) end--;
  if (end === 0) return { d: '', dp: 0 };
  return { d: digits.slice(0, end), dp };
}

/** The exact decimal value of |value|. */
function exactDecimal(value: number): Decimal {
  const { mant, exp } = floatParts(value);
  if (mant === 0n) return { d: '', dp: 0 };
  if (exp >= 0) {
    const digits = (mant << BigInt(exp)).toString();
    return trimDecimal(digits, digits.length);
  }
  const digits = (mant * 5n ** BigInt(-exp)).toString();
  return trimDecimal(digits, digits.length + exp);
}

/** The shortest decimal that reads back as |value| (what strconv's Ryu gives, and JavaScript's toString). */
function shortestDecimal(value: number): Decimal {
  if (value === 0) return { d: '', dp: 0 };
  const text = Math.abs(value).toExponential();
  const e = text.indexOf('e');
  const digits = text.charCodeAt(1) === 46 ? text[0]! + text.slice(2, e) : text.slice(0, e);
  return trimDecimal(digits, Number(text.slice(e + 1)) + 1);
}

/** Rounds to `nd` digits, half to even on the exact value (strconv's decimal.Round). */
function roundDecimal(decimal: Decimal, nd: number): Decimal {
  const { d, dp } = decimal;
  if (nd < 0 || nd >= d.length) return decimal;
  const digit = d.charCodeAt(nd);
  let up: boolean;
  if (digit === 53 && nd + 1 === d.length) up = nd > 0 && (d.charCodeAt(nd - 1) - 48) % 2 === 1;
  else up = digit >= 53;
  if (!up) return trimDecimal(d.slice(0, nd), dp);
  let index = nd - 1;
  while (index >= 0 && d.charCodeAt(index) === 57) index--;
  if (index < 0) return { d: '1', dp: dp + 1 };
  return trimDecimal(d.slice(0, index) + String.fromCharCode(d.charCodeAt(index) + 1), dp);
}

function formatE(negative: boolean, decimal: Decimal, prec: number, letter: string): string {
  let out = negative ? '-' : '';
  out += decimal.d.length > 0 ? decimal.d[0] : '0';
  if (prec > 0) {
    out += '.';
    const available = decimal.d.slice(1, Math.min(decimal.d.length, prec + 1));
    out += available + '0'.repeat(prec - available.length);
  }
  let exp = decimal.d.length === 0 ? 0 : decimal.dp - 1;
  out += letter;
  out += exp < 0 ? '-' : '+';
  if (exp < 0) exp = -exp;
  return out + (exp < 10 ? `0${exp}` : String(exp));
}

function formatF(negative: boolean, decimal: Decimal, prec: number): string {
  let out = negative ? '-' : '';
  const { d, dp } = decimal;
  if (dp > 0) {
    const whole = Math.min(d.length, dp);
    out += d.slice(0, whole) + '0'.repeat(dp - whole);
  } else out += '0';
  if (prec > 0) {
    out += '.';
    for (let index = 0; index < prec; index++) {
      const at = dp + index;
      out += at >= 0 && at < d.length ? d[at] : '0';
    }
  }
  return out;
}

function formatB(negative: boolean, value: number): string {
  const { mant, exp } = floatParts(value);
  return `${negative ? '-' : ''}${mant}p${exp >= 0 ? '+' : ''}${exp}`;
}

/** %x of a float: -0x1.yyyyp±dd (strconv's fmtX). */
function formatX(negative: boolean, value: number, prec: number, letter: 'x' | 'X'): string {
  let { mant, exp } = floatParts(value);
  if (mant === 0n) exp = 0;
  else exp += 52;
  const top = 1n << 60n;
  mant <<= 8n;
  while (mant !== 0n && (mant & top) === 0n) {
    mant <<= 1n;
    exp--;
  }
  if (prec >= 0 && prec < 15) {
    const shift = BigInt(prec * 4);
    const extra = (mant << shift) & (top - 1n);
    mant >>= 60n - shift;
    if ((extra | (mant & 1n)) > 1n << 59n) mant++;
    mant <<= 60n - shift;
    if ((mant & (1n << 61n)) !== 0n) {
      mant >>= 1n;
      exp++;
    }
  }
  const digits = letter === 'X' ? upperDigits : lowerDigits;
  let out = `${negative ? '-' : ''}0${letter}${(mant >> 60n) & 1n}`;
  mant = (mant << 4n) & ((1n << 64n) - 1n);
  if (prec < 0 && mant !== 0n) {
    out += '.';
    while (mant !== 0n) {
      out += digits[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & ((1n << 64n) - 1n);
    }
  } else if (prec > 0) {
    out += '.';
    for (let index = 0; index < prec; index++) {
      out += digits[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & ((1n << 64n) - 1n);
    }
  }
  out += letter === 'X' ? 'P' : 'p';
  out += exp < 0 ? '-' : '+';
  if (exp < 0) exp = -exp;
  return out + (exp < 10 ? `0${exp}` : String(exp));
}

/** strconv.FormatFloat(value, fmt, prec, 64). */
export function formatFloat(value: number, fmt: 'b' | 'e' | 'E' | 'f' | 'g' | 'G' | 'x' | 'X', prec: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  const negative = value < 0 || Object.is(value, -0);
  if (fmt === 'b') return formatB(negative, value);
  if (fmt === 'x' || fmt === 'X') return formatX(negative, value, prec, fmt);
  const shortest = prec < 0;
  let decimal: Decimal;
  if (shortest) {
    decimal = shortestDecimal(value);
    if (fmt === 'e' || fmt === 'E') prec = Math.max(decimal.d.length - 1, 0);
    else if (fmt === 'f') prec = Math.max(decimal.d.length - decimal.dp, 0);
    else prec = decimal.d.length;
  } else {
    decimal = exactDecimal(value);
    if (fmt === 'e' || fmt === 'E') decimal = roundDecimal(decimal, prec + 1);
    else if (fmt === 'f') decimal = roundDecimal(decimal, decimal.dp + prec);
    else {
      if (prec === 0) prec = 1;
      decimal = roundDecimal(decimal, prec);
    }
  }
  if (fmt === 'e' || fmt === 'E') return formatE(negative, decimal, prec, fmt);
  if (fmt === 'f') return formatF(negative, decimal, prec);
  let eprec = prec;
  if (eprec > decimal.d.length && decimal.d.length >= decimal.dp) eprec = decimal.d.length;
  if (shortest) eprec = 6;
  const exp = decimal.dp - 1;
  if (exp < -4 || exp >= eprec) {
    if (prec > decimal.d.length) prec = decimal.d.length;
    return formatE(negative, decimal, prec - 1, fmt === 'g' ? 'e' : 'E');
  }
  if (prec > decimal.dp) prec = decimal.d.length;
  return formatF(negative, decimal, Math.max(prec - decimal.dp, 0));
}

// --- The printer (fmt/print.go, fmt/format.go) ----------------------------------------

class Printer {
  out = '';
  // Flags of the verb being formatted (format.go's fmtFlags).
  widPresent = false;
  precPresent = false;
  minus = false;
  plus = false;
  sharp = false;
  space = false;
  zero = false;
  plusV = false;
  sharpV = false;
  wid = 0;
  prec = 0;
  /** Set while printing the operand of a bad verb, so that its String method is not called. */
  erroring = false;

  clearFlags(): void {
    this.widPresent = this.precPresent = this.minus = this.plus = this.sharp = this.space = this.zero = this.plusV = this.sharpV = false;
    this.wid = this.prec = 0;
  }

  writePadding(count: number): void {
    if (count <= 0) return;
    this.out += (this.zero && !this.minus ? '0' : ' ').repeat(count);
  }

  pad(text: string): void {
    if (!this.widPresent || this.wid === 0) {
      this.out += text;
      return;
    }
    const width = this.wid - runeCount(text);
    if (!this.minus) {
      this.writePadding(width);
      this.out += text;
    } else {
      this.out += text;
      this.writePadding(width);
    }
  }

  badVerb(verb: string, value: GoValue | undefined): void {
    this.erroring = true;
    this.out += `%!${verb}(`;
    if (value === undefined || value === null) this.out += '<nil>';
    else {
      this.out += `${goTypeName(value)}=`;
      this.printArg(value, 'v');
    }
    this.out += ')';
    this.erroring = false;
  }

  fmtBoolean(value: boolean, verb: string): void {
    if (verb === 't' || verb === 'v') this.pad(value ? 'true' : 'false');
    else this.badVerb(verb, value);
  }

  fmtIntegerDigits(value: bigint, base: number, verb: string, digits: string): void {
    const negative = value < 0n;
    let magnitude = negative ? -value : value;
    let prec = 0;
    if (this.precPresent) {
      prec = this.prec;
      if (prec === 0 && magnitude === 0n) {
        const zero = this.zero;
        this.zero = false;
        this.writePadding(this.wid);
        this.zero = zero;
        return;
      }
    } else if (this.zero && !this.minus && this.widPresent) {
      prec = this.wid;
      if (negative || this.plus || this.space) prec--;
    }
    let text: string;
    if (magnitude === 0n) text = '0';
    else {
      text = '';
      const bigBase = BigInt(base);
      while (magnitude > 0n) {
        text = digits[Number(magnitude % bigBase)]! + text;
        magnitude /= bigBase;
      }
    }
    if (text.length < prec) text = '0'.repeat(prec - text.length) + text;
    if (this.sharp) {
      if (base === 2) text = `0b${text}`;
      else if (base === 8 && text[0] !== '0') text = `0${text}`;
      else if (base === 16) text = `0${digits[16]}${text}`;
    }
    if (verb === 'O') text = `0o${text}`;
    if (negative) text = `-${text}`;
    else if (this.plus) text = `+${text}`;
    else if (this.space) text = ` ${text}`;
    const zero = this.zero;
    this.zero = false;
    this.pad(text);
    this.zero = zero;
  }

  fmtUnicode(value: bigint): void {
    let prec = 4;
    if (this.precPresent && this.prec > 4) prec = this.prec;
    const code = BigInt.asUintN(64, value);
    let text = `U+${code.toString(16).toUpperCase().padStart(prec, '0')}`;
    if (this.sharp && code <= 0x10ffffn && isPrintRune(Number(code))) text += ` '${String.fromCodePoint(Number(code))}'`;
    const zero = this.zero;
    this.zero = false;
    this.pad(text);
    this.zero = zero;
  }

  fmtInteger(value: bigint, verb: string): void {
    switch (verb) {
      case 'v':
      case 'd':
        return this.fmtIntegerDigits(value, 10, verb, lowerDigits);
      case 'b':
        return this.fmtIntegerDigits(value, 2, verb, lowerDigits);
      case 'o':
      case 'O':
        return this.fmtIntegerDigits(value, 8, verb, lowerDigits);
      case 'x':
        return this.fmtIntegerDigits(value, 16, verb, lowerDigits);
      case 'X':
        return this.fmtIntegerDigits(value, 16, verb, upperDigits);
      case 'c': {
        const code = BigInt.asUintN(64, value);
        const rune = code > 0x10ffffn || (code >= 0xd800n && code <= 0xdfffn) ? 0xfffd : Number(code);
        return this.pad(String.fromCodePoint(rune));
      }
      case 'q': {
        const code = BigInt.asUintN(64, value);
        return this.pad(quoteRune(code > 0x10ffffn ? 0xfffd : Number(code), this.plus));
      }
      case 'U':
        return this.fmtUnicode(value);
      default:
        return this.badVerb(verb, value);
    }
  }

  fmtFloat(value: number, verb: string): void {
    let fmt: 'b' | 'e' | 'E' | 'f' | 'g' | 'G' | 'x' | 'X';
    let prec: number;
    switch (verb) {
      case 'v':
        fmt = 'g';
        prec = -1;
        break;
      case 'b':
      case 'g':
      case 'G':
      case 'x':
      case 'X':
        fmt = verb;
        prec = -1;
        break;
      case 'f':
      case 'e':
      case 'E':
        fmt = verb;
        prec = 6;
        break;
      case 'F':
        fmt = 'f';
        prec = 6;
        break;
      default:
        return this.badVerb(verb, value);
    }
    if (this.precPresent) prec = this.prec;
    let num = formatFloat(value, fmt, prec);
    if (num[0] !== '-' && num[0] !== '+') num = `+${num}`;
    if (this.space && num[0] === '+' && !this.plus) num = ` ${num.slice(1)}`;
    if (num[1] === 'I' || num[1] === 'N') {
      const zero = this.zero;
      this.zero = false;
      if (num[1] === 'N' && !this.space && !this.plus) num = num.slice(1);
      this.pad(num);
      this.zero = zero;
      return;
    }
    if (this.sharp && fmt !== 'b') {
      let digits = 0;
      if (verb === 'v' || fmt === 'g' || fmt === 'G' || fmt === 'x') digits = prec === -1 ? 6 : prec;
      let tail = '';
      let hasDecimalPoint = false;
      let sawNonzeroDigit = false;
      for (let index = 1; index < num.length; index++) {
        const character = num[index]!;
        if (character === '.') hasDecimalPoint = true;
        else if (character === 'p' || character === 'P' || ((character === 'e' || character === 'E') && fmt !== 'x' && fmt !== 'X')) {
          tail = num.slice(index);
          num = num.slice(0, index);
          break;
        } else {
          if (character !== '0') sawNonzeroDigit = true;
          if (sawNonzeroDigit) digits--;
        }
      }
      if (!hasDecimalPoint) {
        if (num.length === 2 && num[1] === '0') digits--;
        num += '.';
      }
      if (digits > 0) num += '0'.repeat(digits);
      num += tail;
    }
    if (this.plus || num[0] !== '+') {
      if (this.zero && !this.minus && this.widPresent && this.wid > num.length) {
        this.out += num[0];
        this.writePadding(this.wid - num.length);
        this.out += num.slice(1);
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }

  truncateString(text: string): string {
    if (!this.precPresent) return text;
    let remaining = this.prec;
    for (let index = 0; index < text.length; ) {
      if (remaining-- <= 0) return text.slice(0, index);
      index += runeAt(text, index)[1];
    }
    return text;
  }

  fmtHexBytes(bytes: Uint8Array, digits: string): void {
    let length = bytes.length;
    if (this.precPresent && this.prec < length) length = this.prec;
    let width = 2 * length;
    if (width > 0) {
      if (this.space) {
        if (this.sharp) width *= 2;
        width += length - 1;
      } else if (this.sharp) width += 2;
    } else {
      if (this.widPresent) this.writePadding(this.wid);
      return;
    }
    if (this.widPresent && this.wid > width && !this.minus) this.writePadding(this.wid - width);
    let text = this.sharp ? `0${digits[16]}` : '';
    for (let index = 0; index < length; index++) {
      if (this.space && index > 0) {
        text += ' ';
        if (this.sharp) text += `0${digits[16]}`;
      }
      const byte = bytes[index]!;
      text += digits[byte >> 4]! + digits[byte & 15]!;
    }
    this.out += text;
    if (this.widPresent && this.wid > width && this.minus) this.writePadding(this.wid - width);
  }

  fmtQ(text: string): void {
    text = this.truncateString(text);
    if (this.sharp && canBackquote(text)) this.pad(`\`${text}\``);
    else this.pad(appendQuoted(text, '"', this.plus));
  }

  fmtString(text: string, verb: string): void {
    switch (verb) {
      case 'v':
        if (this.sharpV) this.fmtQ(text);
        else this.pad(this.truncateString(text));
        return;
      case 's':
        return this.pad(this.truncateString(text));
      case 'x':
        return this.fmtHexBytes(encoder.encode(text), lowerDigits);
      case 'X':
        return this.fmtHexBytes(encoder.encode(text), upperDigits);
      case 'q':
        return this.fmtQ(text);
      default:
        return this.badVerb(verb, text);
    }
  }

  fmtBytes(bytes: Uint8Array, verb: string, typeName: string): void {
    switch (verb) {
      case 'v':
      case 'd': {
        if (this.sharpV) {
          this.out += `${typeName}{`;
          bytes.forEach((byte, index) => {
            if (index > 0) this.out += ', ';
            this.out += `0x${byte.toString(16)}`;
          });
          this.out += '}';
          return;
        }
        this.out += '[';
        bytes.forEach((byte, index) => {
          if (index > 0) this.out += ' ';
          this.fmtIntegerDigits(BigInt(byte), 10, verb, lowerDigits);
        });
        this.out += ']';
        return;
      }
      case 's':
        return this.pad(this.truncateString(new TextDecoder().decode(bytes)));
      case 'x':
        return this.fmtHexBytes(bytes, lowerDigits);
      case 'X':
        return this.fmtHexBytes(bytes, upperDigits);
      case 'q':
        return this.fmtQ(new TextDecoder().decode(bytes));
      default:
        this.out += '[';
        bytes.forEach((byte, index) => {
          if (index > 0) this.out += ' ';
          this.fmtInteger(BigInt(byte), verb);
        });
        this.out += ']';
    }
  }

  /** A GoStruct's String or Error method, as fmt's handleMethods uses it for the string verbs. */
  handleMethods(value: GoStruct, verb: string): boolean {
    if (this.erroring || this.sharpV) return false;
    if (verb !== 'v' && verb !== 's' && verb !== 'x' && verb !== 'X' && verb !== 'q') return false;
    const method = value.methods.get('Error') ?? value.methods.get('String');
    if (!method || method.signature.params.length > 0 || method.signature.variadic !== undefined) return false;
    const text = method.call();
    this.fmtString(typeof text === 'string' ? text : formatValue(text), verb);
    return true;
  }

  printArg(value: GoValue, verb: string): void {
    if (value === null) {
      if (verb === 'T' || verb === 'v') this.pad('<nil>');
      else this.badVerb(verb, null);
      return;
    }
    if (verb === 'T') {
      this.pad(this.truncateString(goTypeName(value)));
      return;
    }
    if (verb === 'p') {
      // Go prints an address; there is none to show here.
      this.badVerb(verb, value);
      return;
    }
    this.printValue(value, verb, 0);
  }

  printValue(value: GoValue, verb: string, depth: number): void {
    if (value === null) {
      // A nil inside a container (an interface{} element).
      if (this.sharpV) this.out += 'interface {}(nil)';
      else this.out += '<nil>';
      return;
    }
    switch (typeof value) {
      case 'boolean':
        return this.fmtBoolean(value, verb);
      case 'bigint':
        return this.fmtInteger(value, verb);
      case 'number':
        return this.fmtFloat(value, verb);
      case 'string':
        return this.fmtString(value, verb);
    }
    if (value instanceof Uint8Array) return this.fmtBytes(value, verb, depth === 0 ? '[]byte' : '[]uint8');
    if (value instanceof GoStruct) {
      if (this.handleMethods(value, verb)) return;
      // A named map or slice type prints as the map or slice it is.
      if (value.underlying !== undefined) return this.printValue(value.underlying, verb, depth);
      return this.printStruct(value, verb, depth);
    }
    if (isGoMap(value)) return this.printMap(value, verb, depth);
    return this.printList(value, verb, depth);
  }

  printMap(map: GoMap, verb: string, depth: number): void {
    this.out += this.sharpV ? 'map[string]interface {}{' : 'map[';
    const keys = [...map.keys()].sort(compareGoStrings);
    keys.forEach((key, index) => {
      if (index > 0) this.out += this.sharpV ? ', ' : ' ';
      this.printValue(key, verb, depth + 1);
      this.out += ':';
      this.printValue(map.get(key)!, verb, depth + 1);
    });
    this.out += this.sharpV ? '}' : ']';
  }

  printList(list: GoValue[], verb: string, depth: number): void {
    if (this.sharpV) {
      this.out += '[]interface {}{';
      list.forEach((element, index) => {
        if (index > 0) this.out += ', ';
        this.printValue(element, verb, depth + 1);
      });
      this.out += '}';
      return;
    }
    this.out += '[';
    list.forEach((element, index) => {
      if (index > 0) this.out += ' ';
      this.printValue(element, verb, depth + 1);
    });
    this.out += ']';
  }

  printStruct(struct: GoStruct, verb: string, depth: number): void {
    const pointer = struct.typeName.startsWith('*');
    if (pointer && depth === 0) this.out += '&';
    if (this.sharpV) this.out += pointer ? struct.typeName.slice(1) : struct.typeName;
    this.out += '{';
    let index = 0;
    for (const [name, field] of struct.fields) {
      if (index++ > 0) this.out += this.sharpV ? ', ' : ' ';
      if (this.plusV || this.sharpV) this.out += `${name}:`;
      this.printValue(field, verb, depth + 1);
    }
    this.out += '}';
  }

  /** Prints one operand of Printf: %#v and %+v are formats of their own (Go syntax, field names), not flags. */
  printVerb(value: GoValue, verb: string): void {
    if (verb === 'v') {
      this.sharpV = this.sharp;
      this.sharp = false;
      this.plusV = this.plus;
      this.plus = false;
    }
    this.printArg(value, verb);
  }

  doPrintf(format: string, values: GoValue[]): void {
    const end = format.length;
    let argNum = 0;
    let afterIndex = false;
    let reordered = false;
    let goodArgNum = true;

    // The next argument, or the one a bracketed index `[n]` at format[i] names.
    const argNumber = (current: number, i: number): [number, number, boolean] => {
      if (i >= end || format[i] !== '[') return [current, i, false];
      reordered = true;
      const close = format.indexOf(']', i + 1);
      if (end - i < 3 || close === -1) {
        goodArgNum = false;
        return [current, i + 1, false];
      }
      const [number, isNumber, next] = parseNumber(format, i + 1, close);
      if (!isNumber || next !== close) {
        goodArgNum = false;
        return [current, close + 1, false];
      }
      const index = number - 1;
      if (index >= 0 && index < values.length) return [index, close + 1, true];
      goodArgNum = false;
      return [current, close + 1, true];
    };

    const intFromArg = (index: number): [number, boolean, number] => {
      if (index >= values.length) return [0, false, index];
      const value = values[index];
      if (typeof value === 'bigint' && value <= 1000000n && value >= -1000000n) return [Number(value), true, index + 1];
      return [0, false, index + 1];
    };

    for (let i = 0; i < end; ) {
      goodArgNum = true;
      const literalFrom = i;
      while (i < end && format.charCodeAt(i) !== 37) i++;
      if (i > literalFrom) this.out += format.slice(literalFrom, i);
      if (i >= end) break;
      i++;
      this.clearFlags();
      let simple = false;
      for (; i < end; i++) {
        const c = format[i]!;
        if (c === '#') this.sharp = true;
        else if (c === '0') this.zero = true;
        else if (c === '+') this.plus = true;
        else if (c === '-') this.minus = true;
        else if (c === ' ') this.space = true;
        else {
          if (c >= 'a' && c <= 'z' && argNum < values.length) {
            this.printVerb(values[argNum]!, c);
            argNum++;
            i++;
            simple = true;
          }
          break;
        }
      }
      if (simple) continue;

      [argNum, i, afterIndex] = argNumber(argNum, i);
      if (i < end && format[i] === '*') {
        i++;
        [this.wid, this.widPresent, argNum] = intFromArg(argNum);
        if (!this.widPresent) this.out += '%!(BADWIDTH)';
        if (this.wid < 0) {
          this.wid = -this.wid;
          this.minus = true;
          this.zero = false;
        }
        afterIndex = false;
      } else {
        [this.wid, this.widPresent, i] = parseNumber(format, i, end);
        if (afterIndex && this.widPresent) goodArgNum = false;
      }

      if (i + 1 < end && format[i] === '.') {
        i++;
        if (afterIndex) goodArgNum = false;
        [argNum, i, afterIndex] = argNumber(argNum, i);
        if (i < end && format[i] === '*') {
          i++;
          [this.prec, this.precPresent, argNum] = intFromArg(argNum);
          if (this.prec < 0) {
            this.prec = 0;
            this.precPresent = false;
          }
          if (!this.precPresent) this.out += '%!(BADPREC)';
          afterIndex = false;
        } else {
          [this.prec, this.precPresent, i] = parseNumber(format, i, end);
          if (!this.precPresent) {
            this.prec = 0;
            this.precPresent = true;
          }
        }
      }

      if (!afterIndex) [argNum, i, afterIndex] = argNumber(argNum, i);

      if (i >= end) {
        this.out += '%!(NOVERB)';
        break;
      }
      const [rune, width] = runeAt(format, i);
      const verb = String.fromCodePoint(rune);
      i += width;
      if (verb === '%') this.out += '%';
      else if (!goodArgNum) this.out += `%!${verb}(BADINDEX)`;
      else if (argNum >= values.length) this.out += `%!${verb}(MISSING)`;
      else {
        this.printVerb(values[argNum]!, verb);
        argNum++;
      }
    }

    if (!reordered && argNum < values.length) {
      this.clearFlags();
      this.out += '%!(EXTRA ';
      values.slice(argNum).forEach((value, index) => {
        if (index > 0) this.out += ', ';
        if (value === null) this.out += '<nil>';
        else {
          this.out += `${goTypeName(value)}=`;
          this.printArg(value, 'v');
        }
      });
      this.out += ')';
    }
  }
}

/** fmt's parsenum: a decimal number at format[start:end], capped like Go's (a width over 1e6 is no number). */
function parseNumber(format: string, start: number, end: number): [number, boolean, number] {
  if (start >= end) return [0, false, end];
  let number = 0;
  let isNumber = false;
  let index = start;
  for (; index < end; index++) {
    const code = format.charCodeAt(index);
    if (code < 48 || code > 57) break;
    if (number > 1e6 || number < -1e6) return [0, false, end];
    number = number * 10 + (code - 48);
    isNumber = true;
  }
  return [number, isNumber, index];
}
