/** Go's strconv number syntax, as Sprig's conversions (and semver's) parse numbers. */

export class NumError extends Error {
  constructor(fn: string, input: string, reason: 'invalid syntax' | 'value out of range') {
    super(`strconv.${fn}: parsing ${goQuoteAscii(input)}: ${reason}`);
  }
}

/** strconv.Quote for the error texts: ASCII printable as is, the rest escaped. */
function goQuoteAscii(text: string): string {
  let out = '"';
  for (const rune of text) {
    const code = rune.codePointAt(0)!;
    if (rune === '"' || rune === '\\') out += `\\${rune}`;
    else if (code >= 0x20 && code < 0x7f) out += rune;
    else if (rune === '\n') out += '\\n';
    else if (rune === '\t') out += '\\t';
    else if (rune === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += rune;
  }
  return `${out}"`;
}

const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * strconv.ParseUint's digits: base 0 reads Go's prefixes (0x, 0o, 0b, a leading 0 for octal)
 * and allows `_` between digits; other bases take plain digits. Throws NumError.
 */
export function parseUint(fn: string, input: string, text: string, base: number, bits: number): bigint {
  if (text === '') throw new NumError(fn, input, 'invalid syntax');
  let digits = text;
  let radix = base;
  const base0 = base === 0;
  if (base0) {
    radix = 10;
    if (digits[0] === '0') {
      const marker = digits[1]?.toLowerCase();
      if (digits.length >= 3 && marker === 'x') [radix, digits] = [16, digits.slice(2)];
      else if (digits.length >= 3 && marker === 'o') [radix, digits] = [8, digits.slice(2)];
      else if (digits.length >= 3 && marker === 'b') [radix, digits] = [2, digits.slice(2)];
      else [radix, digits] = [8, digits.slice(1)];
    }
  }
  if (base0 && !underscoresOk(text)) throw new NumError(fn, input, 'invalid syntax');
  let value = 0n;
  const limit = 1n << BigInt(bits);
  let outOfRange = false;
  for (const char of digits) {
    if (char === '_' && base0) continue;
    const digit = DIGITS.indexOf(char.toLowerCase());
    if (digit === -1 || digit >= radix) throw new NumError(fn, input, 'invalid syntax');
    value = value * BigInt(radix) + BigInt(digit);
    if (value >= limit) outOfRange = true;
  }
  if (outOfRange) throw new NumError(fn, input, 'value out of range');
  return value;
}

/** Go's underscoreOK: `_` only between digits (or after a base prefix). */
function underscoresOk(text: string): boolean {
  let saw = '^';
  let i = 0;
  let s = text;
  if (s[0] === '-' || s[0] === '+') s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'bBoOxX'.includes(s[1]!)) {
    i = 2;
    saw = '0';
    hex = s[1] === 'x' || s[1] === 'X';
  }
  for (; i < s.length; i++) {
    const c = s[i]!;
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

/** strconv.ParseInt(text, base, bits). Throws NumError. */
export function parseInt64(text: string, base: number, bits = 64): bigint {
  const fn = 'ParseInt';
  if (text === '') throw new NumError(fn, text, 'invalid syntax');
  const negative = text[0] === '-';
  const unsigned = text[0] === '+' || negative ? text.slice(1) : text;
  let magnitude: bigint;
  try {
    magnitude = parseUint(fn, text, unsigned, base, bits);
  } catch (error) {
    if (error instanceof NumError && error.message.endsWith('value out of range')) throw new NumError(fn, text, 'value out of range');
    throw error;
  }
  const cutoff = 1n << BigInt(bits - 1);
  if (!negative && magnitude >= cutoff) throw new NumError(fn, text, 'value out of range');
  if (negative && magnitude > cutoff) throw new NumError(fn, text, 'value out of range');
  return negative ? -magnitude : magnitude;
}

/** strconv.Atoi: base 10, an optional sign, nothing else. */
export function atoi(text: string): bigint {
  if (!/^[+-]?[0-9]+$/.test(text)) throw new NumError('Atoi', text, 'invalid syntax');
  return parseInt64(text, 10);
}

const DECIMAL_FLOAT = /^[+-]?(?:[0-9](?:_?[0-9])*(?:\.(?:[0-9](?:_?[0-9])*)?)?|\.[0-9](?:_?[0-9])*)(?:[eE][+-]?[0-9](?:_?[0-9])*)?$/;
const HEX_FLOAT = /^([+-]?)0[xX]((?:_?[0-9a-fA-F])*)(?:\.([0-9a-fA-F_]*))?[pP]([+-]?[0-9](?:_?[0-9])*)$/;
const SPECIAL_FLOAT = /^([+-]?)(inf|infinity|nan)$/i;

/** strconv.ParseFloat(text, 64): decimal and hexadecimal syntax, inf/nan; ±Inf past the range is an error. */
export function parseFloat64(text: string): number {
  const special = SPECIAL_FLOAT.exec(text);
  if (special) {
    if (special[2]!.toLowerCase() === 'nan') return special[1] === '' ? NaN : failFloat(text, 'invalid syntax');
    return special[1] === '-' ? -Infinity : Infinity;
  }
  let value: number;
  if (DECIMAL_FLOAT.test(text) && !text.includes('_')) {
    value = Number(text);
  } else {
    const hex = HEX_FLOAT.exec(text);
    if (!hex || (hex[2] === '' && (hex[3] ?? '') === '')) return failFloat(text, 'invalid syntax');
    const mantissa = BigInt(`0x${(hex[2]! + (hex[3] ?? '')).replaceAll('_', '') || '0'}`);
    const exponent = Number(hex[4]!.replaceAll('_', '')) - 4 * (hex[3] ?? '').replaceAll('_', '').length;
    value = Number(mantissa) * 2 ** exponent;
    if (hex[1] === '-') value = -value;
  }
  if (!Number.isFinite(value)) return failFloat(text, 'value out of range');
  return value;
}

function failFloat(text: string, reason: 'invalid syntax' | 'value out of range'): never {
  throw new NumError('ParseFloat', text, reason);
}

/** Go's `int64(f)` on amd64: truncation; NaN and out-of-range values give the minimum int64. */
export function float64ToInt64(value: number): bigint {
  if (!Number.isFinite(value) || value >= 2 ** 63 || value < -(2 ** 63)) return -(1n << 63n);
  return BigInt(Math.trunc(value));
}

export function wrapInt64(value: bigint): bigint {
  return BigInt.asIntN(64, value);
}
