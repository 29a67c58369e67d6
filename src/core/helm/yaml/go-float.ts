/**
 * The float forms the YAML, JSON and TOML writers need beyond fmt.ts's strconv.FormatFloat:
 * float32's shortest form (sigs.k8s.io/yaml writes float keys with it) and encoding/json's.
 */
import { formatFloat } from '../fmt.js';

export type FloatBits = 32 | 64;

/** The shortest `%e`-style text of a float32 that reads back as it (strconv's float32 shortest). */
function shortestSingle(value: number): string {
  const single = Math.fround(value);
  for (let precision = 1; precision < 9; precision++) {
    const candidate = single.toExponential(precision - 1);
    if (Math.fround(Number(candidate)) === single) return candidate;
  }
  return single.toExponential(8);
}

/** `strconv.FormatFloat(value, 'g', -1, bits)`: `1e+06`, `0.0001`, `1.5e-05`, `+Inf`. */
export function formatFloatG(value: number, bits: FloatBits = 64): string {
  if (bits === 64 || !Number.isFinite(value) || value === 0) return formatFloat(bits === 64 ? value : Math.fround(value), 'g', -1);
  // A float32's shortest digits, laid out as %g lays out shortest digits (exponent past -4 or from 6).
  const [mantissa = '', exponentText = '0'] = shortestSingle(Math.abs(value)).split('e');
  const digits = mantissa.replace('.', '').replace(/0+$/, '') || '0';
  const exponent = Number(exponentText);
  const sign = value < 0 ? '-' : '';
  if (exponent < -4 || exponent >= 6) {
    const shown = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${shown}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  const point = exponent + 1;
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * How encoding/json writes a finite float64: plain digits from 1e-6 up to 1e21, exponent
 * form outside, its exponent without a leading zero (`1e-7`, `1e+21`).
 */
export function formatJsonFloat(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-6 || magnitude >= 1e21)) return formatFloat(value, 'e', -1).replace(/e-0(\d)$/, 'e-$1');
  return formatFloat(value, 'f', -1);
}
