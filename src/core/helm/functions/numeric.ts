import { randomBytes } from 'node:crypto';
import type { GoFunction, GoValue } from '../values.js';
import { toFloat64, toInt64 } from './cast.js';
import { fail, goFunction, guardSize } from './define.js';
import { formatValue } from '../fmt.js';
import { atoi, parseInt64, wrapInt64 } from './strconv.js';

/**
 * Sprig's numeric.go and the arithmetic functions.go defines inline: the integer ones
 * convert every argument with cast.ToInt64 (a float64 is truncated, "12" is 12, anything
 * else 0) and compute in int64, wrapping as Go does; the `f` ones go through
 * shopspring/decimal and back to float64.
 */

const DIVIDE_BY_ZERO = 'runtime error: integer divide by zero';

/** shopspring/decimal v1.4.0's Decimal: coefficient × 10^exponent, exact. */
interface Decimal {
  coefficient: bigint;
  exponent: number;
}

/** decimal.NewFromFloat: the shortest decimal that reads back as the float (what JavaScript prints). */
function decimalFromFloat(value: number): Decimal {
  if (!Number.isFinite(value)) fail(`Cannot create a Decimal from ${formatValue(value)}`);
  const [mantissa, exponentText] = value.toExponential().split('e') as [string, string];
  const [whole, fraction = ''] = mantissa.split('.') as [string, string?];
  return { coefficient: BigInt(whole + fraction), exponent: Number(exponentText) - fraction.length };
}

function aligned(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const exponent = Math.min(a.exponent, b.exponent);
  return [a.coefficient * 10n ** BigInt(a.exponent - exponent), b.coefficient * 10n ** BigInt(b.exponent - exponent), exponent];
}

const DIVISION_PRECISION = 16;

const decimalOps: Record<'add' | 'sub' | 'mul' | 'div', (a: Decimal, b: Decimal) => Decimal> = {
  add: (a, b) => {
    const [x, y, exponent] = aligned(a, b);
    return { coefficient: x + y, exponent };
  },
  sub: (a, b) => {
    const [x, y, exponent] = aligned(a, b);
    return { coefficient: x - y, exponent };
  },
  mul: (a, b) => ({ coefficient: a.coefficient * b.coefficient, exponent: a.exponent + b.exponent }),
  /** Decimal.Div: DivRound to 16 places, half away from zero. */
  div: (a, b) => {
    if (b.coefficient === 0n) fail('decimal division by 0');
    const shift = a.exponent - b.exponent + DIVISION_PRECISION;
    let numerator = a.coefficient;
    let denominator = b.coefficient;
    if (shift >= 0) numerator *= 10n ** BigInt(shift);
    else denominator *= 10n ** BigInt(-shift);
    let quotient = numerator / denominator;
    const remainder = numerator - quotient * denominator;
    const abs = (n: bigint) => (n < 0n ? -n : n);
    if (2n * abs(remainder) >= abs(denominator)) quotient += (numerator < 0n) !== (denominator < 0n) ? -1n : 1n;
    return { coefficient: quotient, exponent: -DIVISION_PRECISION };
  },
};

function decimalOp(op: keyof typeof decimalOps) {
  return (first: GoValue, ...rest: GoValue[]): number => {
    let result = decimalFromFloat(toFloat64(first));
    for (const value of rest) result = decimalOps[op](result, decimalFromFloat(toFloat64(value)));
    return Number(`${result.coefficient}e${result.exponent}`);
  };
}

export function untilStep(start: bigint, stop: bigint, step: bigint): bigint[] {
  const out: bigint[] = [];
  if ((stop < start && step < 0n) || (stop > start && step > 0n)) guardSize('untilStep', (stop - start + step - (step > 0n ? 1n : -1n)) / step);
  if (stop < start) {
    if (step >= 0n) return out;
    for (let i = start; i > stop; i += step) out.push(i);
    return out;
  }
  if (step <= 0n) return out;
  for (let i = start; i < stop; i += step) out.push(i);
  return out;
}

function seq(...params: bigint[]): string {
  let steps: bigint[];
  if (params.length === 1) {
    const end = params[0]!;
    const increment = end < 1n ? -1n : 1n;
    steps = untilStep(1n, end + increment, increment);
  } else if (params.length === 2) {
    const [start, end] = params as [bigint, bigint];
    const step = end < start ? -1n : 1n;
    steps = untilStep(start, end + step, step);
  } else if (params.length === 3) {
    const [start, step, end] = params as [bigint, bigint, bigint];
    let increment = 1n;
    if (end < start) {
      increment = -1n;
      if (step > 0n) return '';
    }
    steps = untilStep(start, end + increment, step);
  } else {
    return '';
  }
  return steps.join(' ');
}

/** Sprig's round: the digit after `places` compared with roundOn (.5 unless given), on float64. */
function round(value: GoValue, places: bigint, ...roundOn: number[]): number {
  const threshold = roundOn[0] ?? 0.5;
  const pow = 10 ** Number(places);
  const digit = pow * toFloat64(value);
  const fraction = digit - Math.trunc(digit);
  return (fraction >= threshold ? Math.ceil(digit) : Math.floor(digit)) / pow;
}

/** math.Max / math.Min: NaN wins; +0 beats -0 for Max, -0 for Min. */
function goMax(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  if (a === 0 && b === 0) return Object.is(a, -0) ? b : a;
  return a > b ? a : b;
}

function goMin(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  if (a === 0 && b === 0) return Object.is(a, -0) ? a : b;
  return a < b ? a : b;
}

const int64s = (values: GoValue[]) => values.map(toInt64);

function divide(a: GoValue, b: GoValue): bigint {
  const divisor = toInt64(b);
  if (divisor === 0n) fail(DIVIDE_BY_ZERO);
  return wrapInt64(toInt64(a) / divisor);
}

function modulo(a: GoValue, b: GoValue): bigint {
  const divisor = toInt64(b);
  if (divisor === 0n) fail(DIVIDE_BY_ZERO);
  return toInt64(a) % divisor;
}

/** math/rand's Intn(max-min)+min: a range that is empty or negative panics. */
function randInt(min: bigint, max: bigint): bigint {
  const span = max - min;
  if (span <= 0n) fail('invalid argument to Intn');
  return (randomBytes(8).readBigUInt64BE() % span) + min;
}

/** Sprig's toDecimal: fmt.Sprint of the value read as an octal number (0 if it is not one). */
function octal(value: GoValue): bigint {
  try {
    return parseInt64(formatValue(value), 8);
  } catch {
    return 0n;
  }
}

export const NUMERIC_FUNCTIONS: ReadonlyMap<string, GoFunction> = new Map<string, GoFunction>([
  ['atoi', goFunction(['string'], (text: string) => {
    try {
      return atoi(text);
    } catch {
      return 0n;
    }
  })],
  ['int64', goFunction(['any'], toInt64)],
  ['int', goFunction(['any'], toInt64)],
  ['float64', goFunction(['any'], toFloat64)],
  ['seq', goFunction([], seq, 'int')],
  ['toDecimal', goFunction(['any'], octal)],
  ['until', goFunction(['int'], (count: bigint) => untilStep(0n, count, count < 0n ? -1n : 1n))],
  ['untilStep', goFunction(['int', 'int', 'int'], untilStep)],
  ['add1', goFunction(['any'], (value: GoValue) => wrapInt64(toInt64(value) + 1n))],
  ['add', goFunction([], (...values: GoValue[]) => int64s(values).reduce((sum, value) => wrapInt64(sum + value), 0n), 'any')],
  ['sub', goFunction(['any', 'any'], (a: GoValue, b: GoValue) => wrapInt64(toInt64(a) - toInt64(b)))],
  ['div', goFunction(['any', 'any'], divide)],
  ['mod', goFunction(['any', 'any'], modulo)],
  ['mul', goFunction(['any'], (first: GoValue, ...rest: GoValue[]) => int64s(rest).reduce((product, value) => wrapInt64(product * value), toInt64(first)), 'any')],
  ['randInt', goFunction(['int', 'int'], randInt)],
  ['add1f', goFunction(['any'], (value: GoValue) => decimalOp('add')(value, 1n))],
  ['addf', goFunction([], (...values: GoValue[]) => decimalOp('add')(0, ...values), 'any')],
  ['subf', goFunction(['any'], decimalOp('sub'), 'any')],
  ['divf', goFunction(['any'], decimalOp('div'), 'any')],
  ['mulf', goFunction(['any'], decimalOp('mul'), 'any')],
  ['biggest', goFunction(['any'], (first: GoValue, ...rest: GoValue[]) => int64s(rest).reduce((a, b) => (b > a ? b : a), toInt64(first)), 'any')],
  ['max', goFunction(['any'], (first: GoValue, ...rest: GoValue[]) => int64s(rest).reduce((a, b) => (b > a ? b : a), toInt64(first)), 'any')],
  ['min', goFunction(['any'], (first: GoValue, ...rest: GoValue[]) => int64s(rest).reduce((a, b) => (b < a ? b : a), toInt64(first)), 'any')],
  ['maxf', goFunction(['any'], (first: GoValue, ...rest: GoValue[]) => rest.map(toFloat64).reduce(goMax, toFloat64(first)), 'any')],
  ['minf', goFunction(['any'], (first: GoValue, ...rest: GoValue[]) => rest.map(toFloat64).reduce(goMin, toFloat64(first)), 'any')],
  ['ceil', goFunction(['any'], (value: GoValue) => Math.ceil(toFloat64(value)))],
  ['floor', goFunction(['any'], (value: GoValue) => Math.floor(toFloat64(value)))],
  ['round', goFunction(['any', 'int'], round, 'float64')],
]);
