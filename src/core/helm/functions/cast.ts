import { formatValue } from '../fmt.js';
import type { GoValue } from '../values.js';
import { GoNamedValue } from './reflect.js';
import { float64ToInt64, parseGoFloat, parseGoInteger } from './strconv.js';

/**
 * spf13/cast v1.7.0, as Sprig converts its arguments (`add`, `int`, `float64`, `max`, ...):
 * every integer kind and float64 (truncated), numeric strings, bools as 1/0, nil as 0;
 * anything else (and a string that is no number) converts to 0 without an error.
 */
export function toInt64(value: GoValue): bigint {
  switch (typeof value) {
    case 'bigint':
      return value;
    case 'number':
      return float64ToInt64(value);
    case 'boolean':
      return value ? 1n : 0n;
    case 'string':
      return parseGoInteger(trimZeroDecimal(value)) ?? 0n;
  }
  // cast knows time.Month and time.Weekday as ints; time.Duration falls to the default.
  if (value instanceof GoNamedValue && value.kind === 'int') return value.value;
  return 0n;
}

export function toFloat64(value: GoValue): number {
  switch (typeof value) {
    case 'bigint':
      return Number(value);
    case 'number':
      return value;
    case 'boolean':
      return value ? 1 : 0;
    case 'string':
      return parseGoFloat(value) ?? 0;
  }
  if (value instanceof GoNamedValue && value.kind === 'int') return Number(value.value);
  return 0;
}

/** cast's trimZeroDecimal: "10.00" reads as "10", "1.50" stays. */
function trimZeroDecimal(text: string): string {
  let foundZero = false;
  for (let i = text.length; i > 0; i--) {
    const char = text[i - 1];
    if (char === '.') {
      if (foundZero) return text.slice(0, i - 1);
    } else if (char === '0') {
      foundZero = true;
    } else {
      return text;
    }
  }
  return text;
}

/** Sprig's strval: strings and bytes as they are, a Stringer through String, the rest as %v. */
export function stringValue(value: GoValue): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  return formatValue(value);
}
