/**
 * What a plain YAML scalar means to go-yaml v2 (YAML 1.1's booleans, nulls, ints in every
 * base, floats, timestamps, `<<`), ported from go-yaml v2.4.3's `resolve.go`. The decoder
 * reads values with it, and the encoder quotes every string that would read back as
 * something else.
 */

export const TAG_PREFIX = 'tag:yaml.org,2002:';
export const STR_TAG = `${TAG_PREFIX}str`;
export const BOOL_TAG = `${TAG_PREFIX}bool`;
export const INT_TAG = `${TAG_PREFIX}int`;
export const FLOAT_TAG = `${TAG_PREFIX}float`;
export const NULL_TAG = `${TAG_PREFIX}null`;
export const TIMESTAMP_TAG = `${TAG_PREFIX}timestamp`;
export const BINARY_TAG = `${TAG_PREFIX}binary`;
export const MERGE_TAG = `${TAG_PREFIX}merge`;

/** A Go integer as go-yaml resolves one: `int` (int64 on 64-bit) or, past its range, `uint64`. */
export class YamlInt {
  constructor(
    readonly value: bigint,
    readonly unsigned: boolean,
  ) {}
}

export type Resolved = null | boolean | string | number | YamlInt;

/** A go-yaml `failf`: its message without the `yaml: ` prefix the caller adds. */
export class YamlDecodeError extends Error {}

export function shortTag(tag: string): string {
  return tag.startsWith(TAG_PREFIX) ? `!!${tag.slice(TAG_PREFIX.length)}` : tag;
}

const RESOLVE_MAP = new Map<string, { tag: string; value: Resolved | 'merge' }>();
for (const [value, tag, words] of [
  [true, BOOL_TAG, ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']],
  [false, BOOL_TAG, ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']],
  [null, NULL_TAG, ['', '~', 'null', 'Null', 'NULL']],
  [NaN, FLOAT_TAG, ['.nan', '.NaN', '.NAN']],
  [Infinity, FLOAT_TAG, ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']],
  [-Infinity, FLOAT_TAG, ['-.inf', '-.Inf', '-.INF']],
  ['merge', MERGE_TAG, ['<<']],
] as const) {
  for (const word of words) RESOLVE_MAP.set(word, { tag, value });
}

/** Whether an untagged plain scalar reads as NaN or an infinity: only the words for them do (a number too large for a float reads as a string). */
export function readsAsNonFinite(text: string): boolean {
  const known = RESOLVE_MAP.get(text)?.value;
  return typeof known === 'number' && !Number.isFinite(known);
}

/** The first character's hint, as go-yaml's resolve table gives it (0: surely a string). */
function hintOf(first: string | undefined): string {
  if (first === undefined) return 'N';
  if (first === '+' || first === '-') return 'S';
  if (first >= '0' && first <= '9') return 'D';
  if ('yYnNtTfFoO~'.includes(first)) return 'M';
  if (first === '.') return '.';
  return '';
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Go's `strconv.ParseInt(s, 0, 64)`/`ParseUint(s, 0, 64)` digits: base prefix, octal leading zero; undefined when malformed. */
function parseGoInteger(s: string, signed: boolean): bigint | undefined {
  let rest = s;
  let negative = false;
  if (signed && (rest.startsWith('+') || rest.startsWith('-'))) {
    negative = rest.startsWith('-');
    rest = rest.slice(1);
  }
  let base = 10;
  if (rest.length > 1 && rest[0] === '0') {
    const marker = rest[1]!.toLowerCase();
    if (marker === 'x') [base, rest] = [16, rest.slice(2)];
    else if (marker === 'o') [base, rest] = [8, rest.slice(2)];
    else if (marker === 'b') [base, rest] = [2, rest.slice(2)];
    else [base, rest] = [8, rest.slice(1)];
  }
  if (rest === '') return undefined;
  const digits = base === 16 ? /^[0-9a-fA-F]+$/ : base === 8 ? /^[0-7]+$/ : base === 2 ? /^[01]+$/ : /^[0-9]+$/;
  if (!digits.test(rest)) return undefined;
  const prefix = base === 16 ? '0x' : base === 8 ? '0o' : base === 2 ? '0b' : '';
  const magnitude = BigInt(prefix + rest);
  const value = negative ? -magnitude : magnitude;
  if (signed ? value < INT64_MIN || value > INT64_MAX : value > UINT64_MAX) return undefined;
  return value;
}

function integer(value: bigint): YamlInt {
  return new YamlInt(value, false);
}

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** Go's `strconv.ParseFloat(s, 64)` for decimal text; undefined when malformed or out of range. */
export function parseGoFloat(s: string): number | undefined {
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(s);
  if (special) {
    if (special[2]!.toLowerCase() === 'nan') return NaN;
    return special[1] === '-' ? -Infinity : Infinity;
  }
  if (/^[+-]?0[xX]/.test(s)) return parseGoHexFloat(s);
  if (s.includes('_')) {
    // Underscores only between digits, as in Go literals.
    if (/(^|[^0-9])_|_($|[^0-9])/.test(s)) return undefined;
    s = s.replaceAll('_', '');
  }
  if (!/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(s)) return undefined;
  const value = Number(s);
  return Number.isFinite(value) ? value : undefined;
}

function parseGoHexFloat(s: string): number | undefined {
  const match = /^([+-]?)0[xX]([0-9a-fA-F_]*)(?:\.([0-9a-fA-F_]*))?(?:[pP]([+-]?[0-9_]+))?$/.exec(s);
  if (!match) return undefined;
  const [, sign, whole = '', fraction = '', exponent] = match;
  if (whole + fraction === '' || exponent === undefined) return undefined;
  const digits = (whole + fraction).replaceAll('_', '');
  let value = 0;
  for (const d of digits) value = value * 16 + parseInt(d, 16);
  value *= 2 ** (Number(exponent.replaceAll('_', '')) - 4 * fraction.replaceAll('_', '').length);
  if (!Number.isFinite(value)) return undefined;
  return sign === '-' ? -value : value;
}

function resolvable(tag: string): boolean {
  return tag === '' || tag === STR_TAG || tag === BOOL_TAG || tag === INT_TAG || tag === FLOAT_TAG || tag === NULL_TAG || tag === TIMESTAMP_TAG;
}

export interface Resolution {
  tag: string;
  /** `'merge'` for `<<`. */
  value: Resolved | 'merge';
}

/** go-yaml v2's `resolve(tag, in)`: what a scalar with this tag (empty for none) and text means. */
export function resolveV2(tag: string, text: string): Resolution {
  if (!resolvable(tag)) return { tag, value: text };
  const found = resolveUntagged(tag, text);
  if (tag === '' || tag === found.tag || tag === STR_TAG || tag === BINARY_TAG) return found;
  if (tag === FLOAT_TAG && found.tag === INT_TAG && found.value instanceof YamlInt && !found.value.unsigned) {
    return { tag: FLOAT_TAG, value: Number(found.value.value) };
  }
  throw new YamlDecodeError(`cannot decode ${shortTag(found.tag)} \`${text}\` as a ${shortTag(tag)}`);
}

/** What go-yaml's decoder makes of an untagged plain scalar (`resolve("", text)`'s value, `<<` as itself); text only a string can be is not resolved further. */
export function resolvePlain(text: string): Resolved {
  if (hintOf(text[0]) === '') return text;
  const { value } = resolveUntagged('', text);
  return value === 'merge' ? '<<' : value;
}

function resolveUntagged(tag: string, text: string): Resolution {
  const hint = hintOf(text[0]);
  if (hint === '' || tag === STR_TAG || tag === BINARY_TAG) return { tag: STR_TAG, value: text };
  const known = RESOLVE_MAP.get(text);
  if (known) return known;
  if (hint === '.') {
    const float = parseGoFloat(text);
    if (float !== undefined) return { tag: FLOAT_TAG, value: float };
  } else if (hint === 'D' || hint === 'S') {
    if ((tag === '' || tag === TIMESTAMP_TAG) && isTimestamp(text)) return { tag: TIMESTAMP_TAG, value: text };
    const plain = text.replaceAll('_', '');
    const signed = parseGoInteger(plain, true);
    if (signed !== undefined) return { tag: INT_TAG, value: integer(signed) };
    const unsigned = parseGoInteger(plain, false);
    if (unsigned !== undefined) return { tag: INT_TAG, value: new YamlInt(unsigned, true) };
    if (YAML_STYLE_FLOAT.test(plain)) {
      const float = parseGoFloat(plain);
      if (float !== undefined) return { tag: FLOAT_TAG, value: float };
    }
  }
  return { tag: STR_TAG, value: text };
}

const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

/** YAML 1.1's sexagesimal floats (`1:20`), which go-yaml quotes for other parsers' sake. */
export function isBase60Float(s: string): boolean {
  if (s === '') return false;
  const c = s[0]!;
  if (!(c === '+' || c === '-' || (c >= '0' && c <= '9')) || !s.includes(':')) return false;
  return BASE60_FLOAT.test(s);
}

/** Whether go-yaml v2 writes this string plain (when nothing else forbids it): it must read back as the same string. */
export function plainReadsAsStringV2(s: string): boolean {
  return resolveV2('', s).tag === STR_TAG && !isBase60Float(s);
}

// --- timestamps: go-yaml's four layouts, as Go's time.Parse accepts them ----------------

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(month: number, year: number): number {
  if (month === 2 && (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) return 29;
  return DAYS_IN_MONTH[month - 1]!;
}

class Cursor {
  constructor(
    public rest: string,
    public ok = true,
  ) {}

  literal(text: string): void {
    if (this.ok && this.rest.startsWith(text)) this.rest = this.rest.slice(text.length);
    else this.ok = false;
  }

  /** Go's getnum: one or two digits. */
  number(): number {
    if (!this.ok || !/^[0-9]/.test(this.rest)) {
      this.ok = false;
      return 0;
    }
    const digits = /^[0-9]{2}/.test(this.rest) ? 2 : 1;
    const value = Number(this.rest.slice(0, digits));
    this.rest = this.rest.slice(digits);
    return value;
  }
}

function parsesAs(s: string, separator: string | undefined, zone: boolean): boolean {
  const c = new Cursor(s);
  if (!/^[0-9]{4}/.test(s)) return false;
  const year = Number(s.slice(0, 4));
  c.rest = s.slice(4);
  c.literal('-');
  const month = c.number();
  c.literal('-');
  const day = c.number();
  if (!c.ok || month < 1 || month > 12 || day < 1 || day > 31) return false;
  if (separator !== undefined) {
    c.literal(separator);
    const hour = c.number();
    c.literal(':');
    const minute = c.number();
    c.literal(':');
    const second = c.number();
    if (!c.ok || hour >= 24 || minute >= 60 || second >= 60) return false;
    if (/^[.,][0-9]/.test(c.rest)) c.rest = c.rest.replace(/^[.,][0-9]+/, '');
    if (zone) {
      if (c.rest.startsWith('Z')) {
        c.rest = c.rest.slice(1);
      } else {
        const offset = /^([+-])([0-9]{2}):([0-9]{2})/.exec(c.rest);
        if (!offset || Number(offset[2]) > 24 || Number(offset[3]) > 60) return false;
        c.rest = c.rest.slice(6);
      }
    }
  }
  return c.ok && c.rest === '' && day <= daysIn(month, year);
}

/** go-yaml's `parseTimestamp`: a date, or a date and time in one of the layouts it tries. */
export function isTimestamp(s: string): boolean {
  if (!/^[0-9]{4}-/.test(s)) return false;
  return parsesAs(s, 'T', true) || parsesAs(s, 't', true) || parsesAs(s, ' ', false) || parsesAs(s, undefined, false);
}
