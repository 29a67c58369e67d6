/** Go's `strconv.FormatFloat` with the shortest precision (`-1`), and encoding/json's float form. */

export type FloatBits = 32 | 64;

interface Digits {
  negative: boolean;
  /** The shortest decimal digits that read back as the value; empty for zero. */
  digits: string;
  /** Where the decimal point goes: the value is 0.DIGITS × 10^point. */
  point: number;
}

function shortestDigits(value: number, bits: FloatBits): Digits {
  const negative = value < 0 || Object.is(value, -0);
  const magnitude = Math.abs(value);
  if (magnitude === 0) return { negative, digits: '', point: 0 };
  let text = magnitude.toExponential();
  if (bits === 32) {
    const single = Math.fround(magnitude);
    for (let precision = 1; precision <= 9; precision++) {
      const candidate = single.toExponential(precision - 1);
      if (Math.fround(Number(candidate)) === single) {
        text = candidate;
        break;
      }
    }
  }
  const [mantissa = '', exponent = '0'] = text.split('e');
  const digits = mantissa.replace('.', '').replace(/0+$/, '') || '0';
  return { negative, digits, point: Number(exponent) + 1 };
}

function special(value: number): string | undefined {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return undefined;
}

function exponential({ negative, digits, point }: Digits): string {
  const shown = digits || '0';
  const exponent = digits ? point - 1 : 0;
  const mantissa = shown.length > 1 ? `${shown[0]}.${shown.slice(1)}` : shown;
  const sign = exponent < 0 ? '-' : '+';
  const magnitude = String(Math.abs(exponent)).padStart(2, '0');
  return `${negative ? '-' : ''}${mantissa}e${sign}${magnitude}`;
}

function fixed({ negative, digits, point }: Digits): string {
  let text: string;
  if (digits === '') text = '0';
  else if (point <= 0) text = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) text = digits + '0'.repeat(point - digits.length);
  else text = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return (negative ? '-' : '') + text;
}

/** `strconv.FormatFloat(value, 'g', -1, bits)`: `1e+06`, `0.0001`, `1.5e-05`, `+Inf`. */
export function formatFloatG(value: number, bits: FloatBits = 64): string {
  const named = special(value);
  if (named) return named;
  const digits = shortestDigits(value, bits);
  const exponent = digits.digits ? digits.point - 1 : -1;
  return exponent < -4 || exponent >= 6 ? exponential(digits) : fixed(digits);
}

/** `strconv.FormatFloat(value, 'e', -1, bits)`. */
export function formatFloatE(value: number, bits: FloatBits = 64): string {
  return special(value) ?? exponential(shortestDigits(value, bits));
}

/** `strconv.FormatFloat(value, 'f', -1, bits)`. */
export function formatFloatF(value: number, bits: FloatBits = 64): string {
  return special(value) ?? fixed(shortestDigits(value, bits));
}

/**
 * How encoding/json writes a finite float: plain digits from 1e-6 up to 1e21, exponent
 * form outside, its exponent without a leading zero (`1e-7`, `1e+21`).
 */
export function formatJsonFloat(value: number, bits: FloatBits = 64): string {
  const magnitude = bits === 32 ? Math.fround(Math.abs(value)) : Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-6 || magnitude >= 1e21)) {
    return formatFloatE(value, bits).replace(/e-0(\d)$/, 'e-$1');
  }
  return formatFloatF(value, bits);
}
