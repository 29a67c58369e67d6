/**
 * Go's literal syntax as text/template reads it through strconv: Unquote and UnquoteChar
 * for strings and characters, ParseInt/ParseUint with base 0 and ParseFloat for numbers
 * (prefixes 0x 0o 0b, a leading 0 for octal, `_` between digits, hexadecimal floats).
 */

/** strconv.ErrSyntax's text. */
export const INVALID_SYNTAX = 'invalid syntax';

function unhex(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/**
 * strconv.UnquoteChar: the first character of `text` (an escape or a rune), whether it is a
 * single byte of its own (\x and octal escapes, which may not be UTF-8), and where the rest starts.
 */
export function unquoteChar(text: string, at: number, quote: number): { value: number; isByte: boolean; next: number } | undefined {
  if (at >= text.length) return undefined;
  const code = text.charCodeAt(at);
  if (code === quote && (quote === 0x27 || quote === 0x22)) return undefined;
  if (code !== 0x5c) {
    const rune = text.codePointAt(at)!;
    return { value: rune, isByte: false, next: at + (rune > 0xffff ? 2 : 1) };
  }
  if (at + 1 >= text.length) return undefined;
  const escape = text[at + 1]!;
  let next = at + 2;
  const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 0x5c };
  if (escape in simple) return { value: simple[escape]!, isByte: false, next };
  if (escape === 'x' || escape === 'u' || escape === 'U') {
    const digits = escape === 'x' ? 2 : escape === 'u' ? 4 : 8;
    if (text.length - next < digits) return undefined;
    let value = 0;
    for (let index = 0; index < digits; index++) {
      const digit = unhex(text.charCodeAt(next + index));
      if (digit < 0) return undefined;
      value = value * 16 + digit;
    }
    next += digits;
    if (escape === 'x') return { value, isByte: true, next };
    if (value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) return undefined;
    return { value, isByte: false, next };
  }
  if (escape >= '0' && escape <= '7') {
    let value = escape.charCodeAt(0) - 0x30;
    if (text.length - next < 2) return undefined;
    for (let index = 0; index < 2; index++) {
      const digit = text.charCodeAt(next + index) - 0x30;
      if (digit < 0 || digit > 7) return undefined;
      value = (value << 3) | digit;
    }
    next += 2;
    if (value > 255) return undefined;
    return { value, isByte: true, next };
  }
  if (escape === "'" || escape === '"') {
    if (escape.charCodeAt(0) !== quote) return undefined;
    return { value: quote, isByte: false, next };
  }
  return undefined;
}

const utf8 = new TextEncoder();

/** strconv.Unquote of a "double-quoted" or `raw` Go string literal; undefined for invalid syntax. */
export function unquote(literal: string): string | undefined {
  if (literal.length < 2) return undefined;
  const quote = literal.charCodeAt(0);
  if (quote !== literal.charCodeAt(literal.length - 1)) return undefined;
  const body = literal.slice(1, -1);
  if (quote === 0x60) {
    if (body.includes('`')) return undefined;
    // Carriage returns inside raw strings are discarded.
    return body.includes('\r') ? body.replaceAll('\r', '') : body;
  }
  if (quote !== 0x22) return undefined;
  if (!body.includes('\\')) return body.includes('"') || body.includes('\n') ? undefined : body;
  // Escapes may spell single bytes, so the string is assembled as UTF-8.
  const bytes: number[] = [];
  for (let at = 0; at < body.length; ) {
    if (body.charCodeAt(at) === 0x0a) return undefined;
    const character = unquoteChar(body, at, quote);
    if (!character) return undefined;
    if (character.isByte) bytes.push(character.value);
    else for (const byte of utf8.encode(String.fromCodePoint(character.value))) bytes.push(byte);
    at = character.next;
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** strconv's underscoreOK: `_` only between digits, or between a base prefix and a digit. */
function underscoreOK(text: string): boolean {
  let saw = '^';
  let index = 0;
  if (text.length >= 1 && (text[0] === '-' || text[0] === '+')) text = text.slice(1);
  let hex = false;
  if (text.length >= 2 && text[0] === '0' && 'box'.includes(text[1]!.toLowerCase())) {
    index = 2;
    saw = '0';
    hex = text[1]!.toLowerCase() === 'x';
  }
  for (; index < text.length; index++) {
    const character = text[index]!;
    if ((character >= '0' && character <= '9') || (hex && character.toLowerCase() >= 'a' && character.toLowerCase() <= 'f')) {
      saw = '0';
      continue;
    }
    if (character === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

/** strconv.ParseInt(text, 0, 64) (`signed`) or ParseUint(text, 0, 64); undefined on any error. */
export function parseInteger(text: string, signed: boolean): bigint | undefined {
  let rest = text;
  let negative = false;
  if (signed && (rest[0] === '+' || rest[0] === '-')) {
    negative = rest[0] === '-';
    rest = rest.slice(1);
  }
  if (rest.length === 0) return undefined;
  let base = 10;
  let digits = rest;
  if (rest[0] === '0') {
    const prefix = rest.length >= 2 ? rest[1]!.toLowerCase() : '';
    if (prefix === 'x' || prefix === 'o' || prefix === 'b') {
      base = prefix === 'x' ? 16 : prefix === 'o' ? 8 : 2;
      digits = rest.slice(2);
    } else {
      base = 8;
      digits = rest.slice(1);
      if (digits.length === 0) return 0n;
    }
  }
  let sawUnderscore = false;
  let value = 0n;
  let sawDigit = false;
  const bigBase = BigInt(base);
  for (const character of digits) {
    if (character === '_') {
      sawUnderscore = true;
      continue;
    }
    const digit = unhex(character.charCodeAt(0));
    if (digit < 0 || digit >= base) return undefined;
    value = value * bigBase + BigInt(digit);
    sawDigit = true;
  }
  if (!sawDigit && base !== 8) return undefined;
  if (sawUnderscore && !underscoreOK(text)) return undefined;
  if (negative) value = -value;
  if (signed ? value < -(2n ** 63n) || value >= 2n ** 63n : value >= 2n ** 64n) return undefined;
  return value;
}

const decimalFloat = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const hexFloat = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/;

/** strconv.ParseFloat(text, 64); undefined on a syntax error or out of range (Go's ErrRange). */
export function parseFloat64(text: string): number | undefined {
  if (text.includes('_')) {
    if (!underscoreOK(text)) return undefined;
    text = text.replaceAll('_', '');
  }
  let value: number;
  if (decimalFloat.test(text)) value = Number(text);
  else {
    const match = hexFloat.exec(text);
    if (!match || match[2]!.length + match[3]!.length === 0) return undefined;
    const mantissa = BigInt(`0x${match[2]! || '0'}${match[3]!}`);
    const exponent = Number(match[4]) - 4 * match[3]!.length;
    value = Number(mantissa) * 2 ** exponent;
    if (match[1] === '-') value = -value;
  }
  return Number.isFinite(value) ? value : undefined;
}
