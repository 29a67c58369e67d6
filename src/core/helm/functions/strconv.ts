import { quoteGo } from '../fmt.js';
import { parseFloat64 as parseFloatLiteral, parseInteger } from '../template/literals.js';

/**
 * Go's strconv as Sprig's conversions (and semver's) parse numbers. Base 0 (Go's number
 * syntax: prefixes, `_` separators) and float syntax are the template engine's
 * (template/literals.ts); the explicit bases and the error texts are here.
 */

export class NumError extends Error {
  constructor(fn: string, input: string, reason: 'invalid syntax' | 'value out of range') {
    super(`strconv.${fn}: parsing ${quoteGo(input)}: ${reason}`);
  }
}

const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';

/** strconv.ParseUint's digits in an explicit base (2 to 36): no sign, no prefix, no `_`. Throws NumError. */
export function parseUint(fn: string, input: string, text: string, base: number, bits: number): bigint {
  if (text === '') throw new NumError(fn, input, 'invalid syntax');
  let value = 0n;
  const limit = 1n << BigInt(bits);
  let outOfRange = false;
  for (const char of text) {
    const digit = DIGITS.indexOf(char.toLowerCase());
    if (digit === -1 || digit >= base) throw new NumError(fn, input, 'invalid syntax');
    value = value * BigInt(base) + BigInt(digit);
    if (value >= limit) outOfRange = true;
  }
  if (outOfRange) throw new NumError(fn, input, 'value out of range');
  return value;
}

/** strconv.ParseInt(text, base, 64) for an explicit base. Throws NumError. */
export function parseInt64(text: string, base: number): bigint {
  const negative = text[0] === '-';
  const digits = text[0] === '+' || negative ? text.slice(1) : text;
  const magnitude = parseUint('ParseInt', text, digits, base, 64);
  if (negative ? magnitude > 1n << 63n : magnitude >= 1n << 63n) throw new NumError('ParseInt', text, 'value out of range');
  return negative ? -magnitude : magnitude;
}

/** strconv.ParseInt(text, 0, 64): Go's integer syntax; undefined when it is none. */
export function parseGoInteger(text: string): bigint | undefined {
  return parseInteger(text, true);
}

/** strconv.Atoi: base 10, an optional sign, nothing else. */
export function atoi(text: string): bigint {
  if (!/^[+-]?[0-9]+$/.test(text)) throw new NumError('Atoi', text, 'invalid syntax');
  return parseInt64(text, 10);
}

const SPECIAL_FLOAT = /^([+-]?)(inf|infinity|nan)$/i;

/** strconv.ParseFloat(text, 64), with its Inf and NaN spellings; undefined on a syntax or range error. */
export function parseGoFloat(text: string): number | undefined {
  const special = SPECIAL_FLOAT.exec(text);
  if (!special) return parseFloatLiteral(text);
  if (special[2]!.toLowerCase() === 'nan') return special[1] === '' ? NaN : undefined;
  return special[1] === '-' ? -Infinity : Infinity;
}

/** Go's `int64(f)` on amd64: truncation; NaN and out-of-range values give the minimum int64. */
export function float64ToInt64(value: number): bigint {
  if (!Number.isFinite(value) || value >= 2 ** 63 || value < -(2 ** 63)) return -(1n << 63n);
  return BigInt(Math.trunc(value));
}

export function wrapInt64(value: bigint): bigint {
  return BigInt.asIntN(64, value);
}
