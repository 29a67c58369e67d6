import { goTypeName } from '../fmt.js';
import type { FunctionSignature, GoMethod, GoValue } from '../values.js';
import { GoStruct } from '../values.js';
import { wrongType } from './define.js';
import { GoNamedValue } from './reflect.js';
import type { StructWithState } from './reflect.js';
import { zoneAbbreviation } from './zones.js';

/**
 * Go's time package as templates see it: time.Time (an instant, a location, and the
 * monotonic reading `now` carries), time.Duration, Month and Weekday, Go's layout-based
 * Format and Parse, Duration's String and ParseDuration. Calendar arithmetic is done here
 * (proleptic Gregorian, as Go); a named zone's offset comes from Intl, its abbreviation
 * from tzdata's table (zones.ts). `Local` is UTC: helm's local zone is its machine's, and CI machines run in UTC.
 */

interface Zone {
  /** The location's name (`UTC`, `Local`, an IANA name, or "" for a fixed zone without one). */
  name: string;
  /** A fixed zone's offset in seconds; named zones look theirs up for each instant. */
  fixedOffset?: number;
}

export const UTC: Zone = { name: 'UTC', fixedOffset: 0 };
export const LOCAL: Zone = { name: 'Local', fixedOffset: 0 };

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

function offsetFormat(zone: string): Intl.DateTimeFormat {
  let format = offsetFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    offsetFormats.set(zone, format);
  }
  return format;
}

const zoneNamePart = (format: Intl.DateTimeFormat, date: Date) => format.formatToParts(date).find((part) => part.type === 'timeZoneName')?.value ?? '';

/** time.LoadLocation: "" and UTC, Local, and the IANA names Intl knows by exactly that spelling. */
export function loadLocation(name: string): Zone | undefined {
  if (name === '' || name === 'UTC') return UTC;
  if (name === 'Local') return LOCAL;
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    // Zone files are looked up by path: another spelling of a known name is not found.
    if (resolved !== name && resolved.toLowerCase() === name.toLowerCase()) return undefined;
    return { name };
  } catch {
    return undefined;
  }
}

const SECONDS_PER_DAY = 86_400;

/** Days since 1970-01-01 of a proleptic Gregorian date (months may overflow, as Go's Date normalises). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const monthIndex = (month + 9) % 12;
  const dayOfYear = Math.floor((153 * monthIndex + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: era * 400 + yearOfEra + (month <= 2 ? 1 : 0), month, day };
}

const isLeap = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

interface Civil {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
  yearDay: number;
}

/** The monotonic clock's origin: Go counts from process start. */
const monotonicOrigin = performance.now();

export function monotonicNow(): bigint {
  return BigInt(Math.round((performance.now() - monotonicOrigin) * 1e6));
}

export class GoTime extends GoStruct implements StructWithState {
  constructor(
    /** Seconds since the Unix epoch. */
    readonly seconds: bigint,
    /** Nanoseconds within the second, 0..999999999. */
    readonly nanos: number,
    readonly zone: Zone,
    /** Go's monotonic reading (time.Now only), in nanoseconds since the process started. */
    readonly monotonic?: bigint,
  ) {
    super('time.Time', new Map(), timeMethods(() => this));
  }

  static fromUnixNanos(nanos: bigint, zone: Zone, monotonic?: bigint): GoTime {
    const seconds = nanos >= 0n ? nanos / 1_000_000_000n : -((-nanos + 999_999_999n) / 1_000_000_000n);
    return new GoTime(seconds, Number(nanos - seconds * 1_000_000_000n), zone, monotonic);
  }

  /** time.Time{}: January 1, year 1, 00:00:00 UTC. */
  static zero(): GoTime {
    return new GoTime(BigInt(daysFromCivil(1, 1, 1) * SECONDS_PER_DAY), 0, UTC);
  }

  get unixNanos(): bigint {
    return this.seconds * 1_000_000_000n + BigInt(this.nanos);
  }

  /** The zone's offset east of UTC (seconds) and abbreviation at this instant. */
  offset(): { seconds: number; abbreviation: string } {
    if (this.zone.fixedOffset !== undefined) {
      const abbreviation = this.zone === LOCAL ? 'UTC' : this.zone.name;
      return { seconds: this.zone.fixedOffset, abbreviation };
    }
    const date = new Date(Number(this.seconds) * 1000);
    const longOffset = zoneNamePart(offsetFormat(this.zone.name), date);
    const m = /^GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(longOffset);
    const seconds = m && m[1] ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4] ?? 0)) : 0;
    return { seconds, abbreviation: this.abbreviation(seconds) };
  }

  /** tzdata's abbreviation (zones.ts), or the numeric form tzdata uses where it has no name (+04, +0530). */
  private abbreviation(offset: number): string {
    const name = zoneAbbreviation(this.zone.name, offset);
    if (name !== undefined) return name;
    const sign = offset < 0 ? '-' : '+';
    const abs = Math.abs(offset);
    const hours = String(Math.floor(abs / 3600)).padStart(2, '0');
    const minutes = Math.floor((abs % 3600) / 60);
    return `${sign}${hours}${minutes ? String(minutes).padStart(2, '0') : ''}`;
  }

  civil(): Civil & { offset: number; abbreviation: string } {
    const { seconds: offset, abbreviation } = this.offset();
    const local = Number(this.seconds) + offset;
    const days = Math.floor(local / SECONDS_PER_DAY);
    const secondOfDay = local - days * SECONDS_PER_DAY;
    const { year, month, day } = civilFromDays(days);
    return {
      year,
      month,
      day,
      hour: Math.floor(secondOfDay / 3600),
      minute: Math.floor((secondOfDay % 3600) / 60),
      second: secondOfDay % 60,
      weekday: (((days + 4) % 7) + 7) % 7,
      yearDay: days - daysFromCivil(year, 1, 1) + 1,
      offset,
      abbreviation,
    };
  }

  in(zone: Zone): GoTime {
    return new GoTime(this.seconds, this.nanos, zone);
  }

  add(nanos: bigint): GoTime {
    return GoTime.fromUnixNanos(this.unixNanos + nanos, this.zone, this.monotonic === undefined ? undefined : this.monotonic + nanos);
  }

  format(layout: string): string {
    return formatTime(this, layout);
  }

  /** Time.String: Go's default layout, and `m=±seconds` when the time has a monotonic reading. */
  override toString(): string {
    const text = this.format('2006-01-02 15:04:05.999999999 -0700 MST');
    if (this.monotonic === undefined) return text;
    const sign = this.monotonic < 0n ? '-' : '+';
    const abs = this.monotonic < 0n ? -this.monotonic : this.monotonic;
    return `${text} m=${sign}${abs / 1_000_000_000n}.${String(abs % 1_000_000_000n).padStart(9, '0')}`;
  }

  equalTo(other: GoStruct): boolean {
    return other instanceof GoTime && other.unixNanos === this.unixNanos && other.zone.name === this.zone.name && other.monotonic === this.monotonic;
  }
}

/** time.Date in a zone: wall clock fields (normalised) to an instant. */
function dateIn(year: number, month: number, day: number, hour: number, minute: number, second: number, nanos: number, zone: Zone): GoTime {
  const monthIndex = month - 1;
  const normalizedYear = year + Math.floor(monthIndex / 12);
  const normalizedMonth = (((monthIndex % 12) + 12) % 12) + 1;
  const wall = BigInt(daysFromCivil(normalizedYear, normalizedMonth, 1) + day - 1) * 86_400n + BigInt(hour * 3600 + minute * 60 + second);
  const guess = GoTime.fromUnixNanos(wall * 1_000_000_000n + BigInt(nanos), zone);
  if (zone.fixedOffset !== undefined) return guess.add(-BigInt(zone.fixedOffset) * 1_000_000_000n);
  // Go takes the offset in effect at the wall time read as UTC, then corrects once for a transition.
  const first = guess.offset().seconds;
  const candidate = guess.add(-BigInt(first) * 1_000_000_000n);
  const second2 = candidate.offset().seconds;
  return second2 === first ? candidate : guess.add(-BigInt(second2) * 1_000_000_000n);
}

export class Duration extends GoNamedValue {
  constructor(nanos: bigint) {
    const value = BigInt.asIntN(64, nanos);
    super('time.Duration', 'int64', value, durationMethods(value));
  }
}

function namedInt(typeName: string, value: number, names: string[], offset: number): GoNamedValue {
  return new GoNamedValue(typeName, 'int', BigInt(value), new Map([['String', { signature: { params: [] }, call: () => names[value - offset] ?? `%!${typeName.slice(5)}(${value})` }]]));
}

/** Duration.String: 1h2m3.5s, 1.5ms, 0s. */
export function formatDuration(nanos: bigint): string {
  const negative = nanos < 0n;
  let u = negative ? -nanos : nanos;
  let out: string;
  const fraction = (value: bigint, precision: number): [string, bigint] => {
    let digits = '';
    let printed = false;
    let v = value;
    for (let i = 0; i < precision; i++) {
      const digit = v % 10n;
      printed ||= digit !== 0n;
      if (printed) digits = String(digit) + digits;
      v /= 10n;
    }
    return [printed ? `.${digits}` : '', v];
  };
  if (u < 1_000_000_000n) {
    if (u === 0n) return '0s';
    const [unit, precision] = u < 1000n ? ['ns', 0] : u < 1_000_000n ? ['µs', 3] : ['ms', 6];
    const [frac, whole] = fraction(u, precision as number);
    out = `${whole}${frac}${unit}`;
  } else {
    const [frac, wholeSeconds] = fraction(u, 9);
    u = wholeSeconds;
    out = `${u % 60n}${frac}s`;
    u /= 60n;
    if (u > 0n) {
      out = `${u % 60n}m${out}`;
      u /= 60n;
      if (u > 0n) out = `${u}h${out}`;
    }
  }
  return negative ? `-${out}` : out;
}

/** time's quote: ASCII as is (with \" and \\), other bytes as \x escapes. */
function timeQuote(text: string): string {
  let out = '"';
  for (const rune of text) {
    const code = rune.codePointAt(0)!;
    if (code >= 0x80 || code < 0x20) {
      for (const byte of Buffer.from(rune, 'utf8')) out += `\\x${byte.toString(16).padStart(2, '0')}`;
    } else out += rune === '"' || rune === '\\' ? `\\${rune}` : rune;
  }
  return `${out}"`;
}

const UNITS: Record<string, bigint> = { ns: 1n, us: 1000n, 'µs': 1000n, 'μs': 1000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n };

/** time.ParseDuration. Throws with Go's message. */
export function parseDuration(text: string): bigint {
  const invalid = () => new Error(`time: invalid duration ${timeQuote(text)}`);
  let s = text;
  let negative = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') throw invalid();
  // Exact: whole units in nanoseconds, fractions kept as a rational until the end.
  let total = 0n;
  const max = 1n << 63n;
  while (s !== '') {
    const number = /^([0-9]*)(?:\.([0-9]*))?/.exec(s)!;
    const whole = number[1]!;
    const fractionDigits = number[2];
    if (whole === '' && (fractionDigits === undefined || fractionDigits === '')) throw invalid();
    s = s.slice(number[0].length);
    const unitMatch = /^[^0-9.]*/.exec(s)![0];
    if (unitMatch === '') throw new Error(`time: missing unit in duration ${timeQuote(text)}`);
    const unit = UNITS[unitMatch];
    if (unit === undefined) throw new Error(`time: unknown unit ${timeQuote(unitMatch)} in duration ${timeQuote(text)}`);
    s = s.slice(unitMatch.length);
    const v = BigInt(whole || '0');
    if (v > (max - 1n) / unit) throw invalid();
    let value = v * unit;
    if (fractionDigits) {
      const scale = 10n ** BigInt(fractionDigits.length);
      // Go accumulates the fraction in float64 and truncates: scale*unit fits for the units here.
      value += BigInt(Math.trunc(Number(BigInt(fractionDigits)) * (Number(unit) / Number(scale))));
      if (value > max) throw invalid();
    }
    total += value;
    if (total > max) throw invalid();
  }
  if (total > max - 1n && !(negative && total === max)) throw invalid();
  return negative ? -total : total;
}

function asDuration(value: GoValue): bigint {
  if (typeof value === 'bigint') return value;
  if (value instanceof GoNamedValue) return value.value;
  return wrongType('time.Duration', goTypeName(value));
}

/** A time.Time parameter: text/template refuses anything else before the call. */
export function asTime(value: GoValue): GoTime {
  if (value instanceof GoTime) return value;
  return wrongType('time.Time', goTypeName(value));
}

/** Duration.Round(m) and Truncate(m) on nanoseconds, as Go (half away from zero, saturating). */
export function roundDuration(d: bigint, m: bigint): bigint {
  if (m <= 0n) return d;
  let r = d % m;
  if (d < 0n) {
    r = -r;
    if (r + r < m) return d + r;
    const d1 = d - m + r;
    return d1 < d ? d1 : -(1n << 63n);
  }
  if (r + r < m) return d - r;
  const d1 = d + m - r;
  return d1 > d ? d1 : (1n << 63n) - 1n;
}

function durationMethods(value: bigint): Map<string, { signature: FunctionSignature; call: GoMethod }> {
  const method = (params: FunctionSignature['params'], call: GoMethod) => ({ signature: { params }, call });
  return new Map([
    ['String', method([], () => formatDuration(value))],
    ['Nanoseconds', method([], () => value)],
    ['Microseconds', method([], () => value / 1000n)],
    ['Milliseconds', method([], () => value / 1_000_000n)],
    ['Seconds', method([], () => Number(value / 1_000_000_000n) + Number(value % 1_000_000_000n) / 1e9)],
    ['Minutes', method([], () => Number(value / 60_000_000_000n) + Number(value % 60_000_000_000n) / 6e10)],
    ['Hours', method([], () => Number(value / 3_600_000_000_000n) + Number(value % 3_600_000_000_000n) / 3.6e12)],
    ['Round', method(['any'], (m) => new Duration(roundDuration(value, asDuration(m))))],
    ['Truncate', method(['any'], (m) => new Duration(asDuration(m) <= 0n ? value : value - (value % asDuration(m))))],
    ['Abs', method([], () => new Duration(value < 0n ? (value === -(1n << 63n) ? (1n << 63n) - 1n : -value) : value))],
  ]);
}

/** Time.Round / Truncate: on the time since year 1, as Go measures it. */
function roundTime(t: GoTime, d: bigint, round: boolean): GoTime {
  const stripped = new GoTime(t.seconds, t.nanos, t.zone);
  if (d <= 0n) return stripped;
  const sinceZero = t.unixNanos - GoTime.zero().unixNanos;
  const r = ((sinceZero % d) + d) % d;
  if (round && r + r >= d) return stripped.add(d - r);
  return stripped.add(-r);
}

function timeMethods(self: () => GoTime): Map<string, { signature: FunctionSignature; call: GoMethod }> {
  const method = (params: FunctionSignature['params'], call: GoMethod) => ({ signature: { params }, call });
  const field = (pick: (c: ReturnType<GoTime['civil']>) => number) => method([], () => BigInt(pick(self().civil())));
  return new Map([
    ['String', method([], () => self().toString())],
    ['Format', method(['string'], (layout) => self().format(layout as string))],
    ['Year', field((c) => c.year)],
    ['Month', method([], () => namedInt('time.Month', self().civil().month, MONTHS, 1))],
    ['Day', field((c) => c.day)],
    ['Hour', field((c) => c.hour)],
    ['Minute', field((c) => c.minute)],
    ['Second', field((c) => c.second)],
    ['Nanosecond', method([], () => BigInt(self().nanos))],
    ['YearDay', field((c) => c.yearDay)],
    ['Weekday', method([], () => namedInt('time.Weekday', self().civil().weekday, WEEKDAYS, 0))],
    ['Unix', method([], () => self().seconds)],
    ['UnixMilli', method([], () => self().unixNanos / 1_000_000n - (self().unixNanos < 0n && self().unixNanos % 1_000_000n !== 0n ? 1n : 0n))],
    ['UnixMicro', method([], () => self().unixNanos / 1000n - (self().unixNanos < 0n && self().unixNanos % 1000n !== 0n ? 1n : 0n))],
    ['UnixNano', method([], () => BigInt.asIntN(64, self().unixNanos))],
    ['UTC', method([], () => self().in(UTC))],
    ['Local', method([], () => self().in(LOCAL))],
    ['IsZero', method([], () => self().unixNanos === GoTime.zero().unixNanos)],
    ['Add', method(['any'], (d) => self().add(asDuration(d)))],
    ['AddDate', method(['int', 'int', 'int'], (years, months, days) => {
      const c = self().civil();
      const t = self();
      return dateIn(c.year + Number(years), c.month + Number(months), c.day + Number(days), c.hour, c.minute, c.second, t.nanos, t.zone);
    })],
    ['Sub', method(['any'], (other) => new Duration(self().unixNanos - asTime(other).unixNanos))],
    ['Before', method(['any'], (other) => self().unixNanos < asTime(other).unixNanos)],
    ['After', method(['any'], (other) => self().unixNanos > asTime(other).unixNanos)],
    ['Equal', method(['any'], (other) => self().unixNanos === asTime(other).unixNanos)],
    ['Compare', method(['any'], (other) => {
      const a = self().unixNanos;
      const b = asTime(other).unixNanos;
      return a < b ? -1n : a > b ? 1n : 0n;
    })],
    ['Round', method(['any'], (d) => roundTime(self(), asDuration(d), true))],
    ['Truncate', method(['any'], (d) => roundTime(self(), asDuration(d), false))],
  ]);
}

// Layouts: Go's nextStdChunk and appendFormat.

type Std =
  | { kind: 'literal' }
  | { kind: 'LongMonth' | 'Month' | 'NumMonth' | 'ZeroMonth' | 'LongWeekDay' | 'WeekDay' | 'Day' | 'UnderDay' | 'ZeroDay' | 'UnderYearDay' | 'ZeroYearDay' }
  | { kind: 'Hour' | 'Hour12' | 'ZeroHour12' | 'Minute' | 'ZeroMinute' | 'Second' | 'ZeroSecond' | 'LongYear' | 'Year' | 'PM' | 'pm' | 'TZ' }
  | { kind: 'ISO8601TZ' | 'ISO8601SecondsTZ' | 'ISO8601ShortTZ' | 'ISO8601ColonTZ' | 'ISO8601ColonSecondsTZ' | 'NumTZ' | 'NumSecondsTz' | 'NumShortTZ' | 'NumColonTZ' | 'NumColonSecondsTZ' }
  | { kind: 'FracSecond0' | 'FracSecond9'; digits: number; separator: string };

interface Chunk {
  prefix: string;
  std: Std | undefined;
  suffix: string;
}

const isDigitAt = (text: string, i: number) => i < text.length && text[i]! >= '0' && text[i]! <= '9';

function nextStdChunk(layout: string): Chunk {
  const at = (i: number, text: string) => layout.startsWith(text, i);
  const chunk = (i: number, kind: string, length: number, extra: object = {}): Chunk => ({ prefix: layout.slice(0, i), std: { kind, ...extra } as Std, suffix: layout.slice(i + length) });
  const lowerAfter = (i: number) => /^[a-z]/.test(layout.slice(i));
  for (let i = 0; i < layout.length; i++) {
    switch (layout[i]) {
      case 'J':
        if (at(i, 'Jan')) {
          if (at(i, 'January')) return chunk(i, 'LongMonth', 7);
          if (!lowerAfter(i + 3)) return chunk(i, 'Month', 3);
        }
        break;
      case 'M':
        if (at(i, 'Mon')) {
          if (at(i, 'Monday')) return chunk(i, 'LongWeekDay', 6);
          if (!lowerAfter(i + 3)) return chunk(i, 'WeekDay', 3);
        }
        if (at(i, 'MST')) return chunk(i, 'TZ', 3);
        break;
      case '0': {
        const next = layout[i + 1];
        if (next !== undefined && next >= '1' && next <= '6') return chunk(i, ['ZeroMonth', 'ZeroDay', 'ZeroHour12', 'ZeroMinute', 'ZeroSecond', 'Year'][Number(next) - 1]!, 2);
        if (at(i, '002')) return chunk(i, 'ZeroYearDay', 3);
        break;
      }
      case '1':
        if (at(i, '15')) return chunk(i, 'Hour', 2);
        return chunk(i, 'NumMonth', 1);
      case '2':
        if (at(i, '2006')) return chunk(i, 'LongYear', 4);
        return chunk(i, 'Day', 1);
      case '_':
        if (layout[i + 1] === '2') {
          if (at(i + 1, '2006')) return { prefix: layout.slice(0, i + 1), std: { kind: 'LongYear' }, suffix: layout.slice(i + 5) };
          return chunk(i, 'UnderDay', 2);
        }
        if (at(i, '__2')) return chunk(i, 'UnderYearDay', 3);
        break;
      case '3':
        return chunk(i, 'Hour12', 1);
      case '4':
        return chunk(i, 'Minute', 1);
      case '5':
        return chunk(i, 'Second', 1);
      case 'P':
        if (layout[i + 1] === 'M') return chunk(i, 'PM', 2);
        break;
      case 'p':
        if (layout[i + 1] === 'm') return chunk(i, 'pm', 2);
        break;
      case '-':
        if (at(i, '-070000')) return chunk(i, 'NumSecondsTz', 7);
        if (at(i, '-07:00:00')) return chunk(i, 'NumColonSecondsTZ', 9);
        if (at(i, '-0700')) return chunk(i, 'NumTZ', 5);
        if (at(i, '-07:00')) return chunk(i, 'NumColonTZ', 6);
        if (at(i, '-07')) return chunk(i, 'NumShortTZ', 3);
        break;
      case 'Z':
        if (at(i, 'Z070000')) return chunk(i, 'ISO8601SecondsTZ', 7);
        if (at(i, 'Z07:00:00')) return chunk(i, 'ISO8601ColonSecondsTZ', 9);
        if (at(i, 'Z0700')) return chunk(i, 'ISO8601TZ', 5);
        if (at(i, 'Z07:00')) return chunk(i, 'ISO8601ColonTZ', 6);
        if (at(i, 'Z07')) return chunk(i, 'ISO8601ShortTZ', 3);
        break;
      case '.':
      case ',': {
        const digit = layout[i + 1];
        if (digit === '0' || digit === '9') {
          let j = i + 1;
          while (j < layout.length && layout[j] === digit) j++;
          if (!isDigitAt(layout, j)) return { prefix: layout.slice(0, i), std: { kind: digit === '0' ? 'FracSecond0' : 'FracSecond9', digits: j - (i + 1), separator: layout[i]! }, suffix: layout.slice(j) };
        }
        break;
      }
    }
  }
  return { prefix: layout, std: undefined, suffix: '' };
}

const pad = (value: number, width: number) => (value < 0 ? `-${String(-value).padStart(width, '0')}` : String(value).padStart(width, '0'));

function formatTime(t: GoTime, layout: string): string {
  const c = t.civil();
  let out = '';
  let rest = layout;
  while (rest !== '') {
    const { prefix, std, suffix } = nextStdChunk(rest);
    out += prefix;
    if (!std) break;
    rest = suffix;
    switch (std.kind) {
      case 'Year':
        out += pad(((c.year % 100) + 100) % 100, 2);
        break;
      case 'LongYear':
        out += pad(c.year, 4);
        break;
      case 'Month':
        out += MONTHS[c.month - 1]!.slice(0, 3);
        break;
      case 'LongMonth':
        out += MONTHS[c.month - 1];
        break;
      case 'NumMonth':
        out += c.month;
        break;
      case 'ZeroMonth':
        out += pad(c.month, 2);
        break;
      case 'WeekDay':
        out += WEEKDAYS[c.weekday]!.slice(0, 3);
        break;
      case 'LongWeekDay':
        out += WEEKDAYS[c.weekday];
        break;
      case 'Day':
        out += c.day;
        break;
      case 'UnderDay':
        out += c.day < 10 ? ` ${c.day}` : c.day;
        break;
      case 'ZeroDay':
        out += pad(c.day, 2);
        break;
      case 'UnderYearDay':
        out += String(c.yearDay).padStart(3, ' ');
        break;
      case 'ZeroYearDay':
        out += pad(c.yearDay, 3);
        break;
      case 'Hour':
        out += pad(c.hour, 2);
        break;
      case 'Hour12':
        out += c.hour % 12 === 0 ? 12 : c.hour % 12;
        break;
      case 'ZeroHour12':
        out += pad(c.hour % 12 === 0 ? 12 : c.hour % 12, 2);
        break;
      case 'Minute':
        out += c.minute;
        break;
      case 'ZeroMinute':
        out += pad(c.minute, 2);
        break;
      case 'Second':
        out += c.second;
        break;
      case 'ZeroSecond':
        out += pad(c.second, 2);
        break;
      case 'PM':
        out += c.hour >= 12 ? 'PM' : 'AM';
        break;
      case 'pm':
        out += c.hour >= 12 ? 'pm' : 'am';
        break;
      case 'TZ':
        out += c.abbreviation !== '' ? c.abbreviation : numericZone(c.offset, 'NumTZ');
        break;
      case 'FracSecond0':
      case 'FracSecond9': {
        let digits = String(t.nanos).padStart(9, '0').slice(0, std.digits);
        if (std.kind === 'FracSecond9' && (std.digits === 0 || t.nanos === 0)) break;
        if (std.kind === 'FracSecond9') digits = digits.replace(/0+$/, '');
        if (digits !== '' || std.kind === 'FracSecond0') out += std.separator + digits;
        break;
      }
      default:
        out += numericZone(c.offset, std.kind);
    }
  }
  return out;
}

function numericZone(offset: number, kind: string): string {
  if (offset === 0 && kind.startsWith('ISO8601')) return 'Z';
  const negative = offset < 0;
  const abs = Math.abs(offset);
  const minutes = Math.floor(abs / 60);
  let out = `${negative ? '-' : '+'}${pad(Math.floor(minutes / 60), 2)}`;
  if (kind.includes('Colon')) out += ':';
  if (!kind.includes('Short')) out += pad(minutes % 60, 2);
  if (kind.includes('Seconds')) out += `${kind.includes('Colon') ? ':' : ''}${pad(abs % 60, 2)}`;
  return out;
}

// Parsing: Go's time.Parse.

class ParseError extends Error {
  constructor(layout: string, value: string, layoutElem: string, valueElem: string, message = '') {
    super(
      message !== ''
        ? `parsing time ${timeQuote(value)}${message}`
        : `parsing time ${timeQuote(value)} as ${timeQuote(layout)}: cannot parse ${timeQuote(valueElem)} as ${timeQuote(layoutElem)}`,
    );
  }
}

const lookupName = (names: readonly string[], value: string): [number, string] | undefined => {
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    if (value.length >= name.length && value.slice(0, name.length).toLowerCase() === name.toLowerCase()) return [i, value.slice(name.length)];
  }
  return undefined;
};

/** getnum: one or two digits (exactly two when fixed). */
function getNumber(value: string, fixed: boolean): [number, string] | undefined {
  if (!isDigitAt(value, 0)) return undefined;
  if (!isDigitAt(value, 1)) return fixed ? undefined : [Number(value[0]), value.slice(1)];
  return [Number(value.slice(0, 2)), value.slice(2)];
}

function getNumber3(value: string, fixed: boolean): [number, string] | undefined {
  let n = 0;
  let i = 0;
  for (; i < 3 && isDigitAt(value, i); i++) n = n * 10 + Number(value[i]);
  if (i === 0 || (fixed && i !== 3)) return undefined;
  return [n, value.slice(i)];
}

function cutSpace(text: string): string {
  return text.replace(/^ +/, '');
}

/** skip: the layout's literal prefix must match, runs of spaces matching runs of spaces. */
function skip(value: string, prefix: string): string | undefined {
  let v = value;
  let p = prefix;
  while (p.length > 0) {
    if (p[0] === ' ') {
      if (v.length > 0 && v[0] !== ' ') return undefined;
      p = cutSpace(p);
      v = cutSpace(v);
      continue;
    }
    if (v.length === 0 || v[0] !== p[0]) return undefined;
    p = p.slice(1);
    v = v.slice(1);
  }
  return v;
}

/** time.ParseInLocation(layout, value, Local). Throws with Go's message. */
export function parseTime(layout: string, value: string, zone: Zone = LOCAL): GoTime {
  const originalLayout = layout;
  const originalValue = value;
  let rest = layout;
  let v = value;
  let year = 0;
  let month = -1;
  let day = -1;
  let yearDay = -1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let nanos = 0;
  let pmSet = false;
  let amSet = false;
  let zoneOffset = -1;
  let zoneName = '';
  let rangeError = '';
  for (;;) {
    const { prefix, std, suffix } = nextStdChunk(rest);
    const stdText = rest.slice(prefix.length, rest.length - suffix.length);
    const skipped = skip(v, prefix);
    if (skipped === undefined) throw new ParseError(originalLayout, originalValue, prefix, v);
    v = skipped;
    if (!std) {
      if (v.length !== 0) throw new ParseError(originalLayout, originalValue, '', '', `: extra text: ${timeQuote(v)}`);
      break;
    }
    rest = suffix;
    const hold = v;
    let ok = true;
    const take = (result: [number, string] | undefined, check?: (n: number) => boolean, name?: string): number => {
      if (!result) {
        ok = false;
        return 0;
      }
      v = result[1];
      if (check && !check(result[0])) rangeError ||= name!;
      return result[0];
    };
    switch (std.kind) {
      case 'Year': {
        if (v.length < 2 || !isDigitAt(v, 0) || !isDigitAt(v, 1)) {
          ok = false;
          break;
        }
        const p = Number(v.slice(0, 2));
        v = v.slice(2);
        year = p >= 69 ? p + 1900 : p + 2000;
        break;
      }
      case 'LongYear':
        if (v.length < 4 || ![0, 1, 2, 3].every((i) => isDigitAt(v, i))) {
          ok = false;
          break;
        }
        year = Number(v.slice(0, 4));
        v = v.slice(4);
        break;
      case 'Month':
      case 'LongMonth': {
        const names = std.kind === 'Month' ? MONTHS.map((m) => m.slice(0, 3)) : MONTHS;
        const found = lookupName(names, v);
        if (!found) ok = false;
        else [month, v] = [found[0] + 1, found[1]];
        break;
      }
      case 'NumMonth':
      case 'ZeroMonth':
        month = take(getNumber(v, std.kind === 'ZeroMonth'), (n) => n > 0 && n <= 12, 'month');
        break;
      case 'WeekDay':
      case 'LongWeekDay': {
        const found = lookupName(std.kind === 'WeekDay' ? WEEKDAYS.map((d) => d.slice(0, 3)) : WEEKDAYS, v);
        if (!found) ok = false;
        else v = found[1];
        break;
      }
      case 'Day':
      case 'UnderDay':
      case 'ZeroDay':
        if (std.kind === 'UnderDay' && v[0] === ' ') v = v.slice(1);
        day = take(getNumber(v, std.kind === 'ZeroDay'));
        break;
      case 'UnderYearDay':
      case 'ZeroYearDay':
        if (std.kind === 'UnderYearDay') for (let i = 0; i < 2 && v[0] === ' '; i++) v = v.slice(1);
        yearDay = take(getNumber3(v, std.kind === 'ZeroYearDay'), (n) => n >= 1 && n <= 366, 'day-of-year');
        break;
      case 'Hour':
        hour = take(getNumber(v, false), (n) => n >= 0 && n < 24, 'hour');
        break;
      case 'Hour12':
      case 'ZeroHour12':
        hour = take(getNumber(v, std.kind === 'ZeroHour12'), (n) => n >= 0 && n <= 12, 'hour');
        break;
      case 'Minute':
      case 'ZeroMinute':
        minute = take(getNumber(v, std.kind === 'ZeroMinute'), (n) => n >= 0 && n < 60, 'minute');
        break;
      case 'Second':
      case 'ZeroSecond': {
        second = take(getNumber(v, std.kind === 'ZeroSecond'), (n) => n >= 0 && n < 60, 'second');
        if (!ok) break;
        // A fraction after the seconds is read even when the layout has none.
        if (v.length >= 2 && (v[0] === '.' || v[0] === ',') && isDigitAt(v, 1)) {
          const next = nextStdChunk(rest).std;
          if (next && (next.kind === 'FracSecond0' || next.kind === 'FracSecond9')) break;
          let n = 2;
          while (n < v.length && isDigitAt(v, n)) n++;
          nanos = fractionNanos(v.slice(1, n));
          v = v.slice(n);
        }
        break;
      }
      case 'PM':
      case 'pm': {
        const p = v.slice(0, 2);
        const upper = p.toUpperCase();
        if (v.length < 2 || (std.kind === 'PM' ? !['PM', 'AM'].includes(p) : !['pm', 'am'].includes(p))) {
          ok = false;
          break;
        }
        v = v.slice(2);
        if (upper === 'PM') pmSet = true;
        else amSet = true;
        break;
      }
      case 'TZ': {
        if (v.length >= 3 && v.startsWith('UTC')) {
          zoneName = 'UTC';
          v = v.slice(3);
          break;
        }
        const length = timeZoneLength(v);
        if (length === 0) {
          ok = false;
          break;
        }
        zoneName = v.slice(0, length);
        v = v.slice(length);
        break;
      }
      case 'FracSecond0': {
        const n = 1 + std.digits;
        if (v.length < n || v[0] !== std.separator && !(v[0] === '.' || v[0] === ',')) {
          ok = false;
          break;
        }
        if (!/^[0-9]+$/.test(v.slice(1, n))) {
          ok = false;
          break;
        }
        nanos = fractionNanos(v.slice(1, n));
        v = v.slice(n);
        break;
      }
      case 'FracSecond9': {
        if (v.length < 2 || !(v[0] === '.' || v[0] === ',') || v[1]! < '0' || v[1]! > '9') break;
        let i = 0;
        while (i + 1 < v.length && isDigitAt(v, i + 1)) i++;
        nanos = fractionNanos(v.slice(1, 1 + i));
        v = v.slice(1 + i);
        break;
      }
      default: {
        if (std.kind.startsWith('ISO8601') && v.length >= 1 && v[0] === 'Z') {
          v = v.slice(1);
          zoneOffset = 0;
          zoneName = 'UTC';
          break;
        }
        const parsed = parseNumericZone(v, std.kind);
        if (!parsed) {
          ok = false;
          break;
        }
        [zoneOffset, v] = parsed;
      }
    }
    if (rangeError !== '') throw new ParseError(originalLayout, originalValue, stdText, hold, `: ${rangeError} out of range`);
    if (!ok) throw new ParseError(originalLayout, originalValue, stdText, hold);
  }
  if (pmSet && hour < 12) hour += 12;
  else if (amSet && hour === 12) hour = 0;
  if (yearDay >= 0) {
    let d = 0;
    let m = 0;
    if (isLeap(year)) {
      if (yearDay === 31 + 29) [m, d] = [2, 29];
      else if (yearDay > 31 + 29) yearDay--;
    }
    if (m === 0) {
      m = 1;
      const lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
      let remaining = yearDay;
      while (m <= 12 && remaining > lengths[m - 1]!) remaining -= lengths[m++ - 1]!;
      d = remaining;
      if (m > 12) throw new ParseError(originalLayout, originalValue, '', '', ': day-of-year out of range');
    }
    if ((month >= 0 && month !== m) || (day >= 0 && day !== d)) throw new ParseError(originalLayout, originalValue, '', '', ': day-of-year does not match month');
    [month, day] = [m, d];
  } else {
    if (month < 0) month = 1;
    if (day < 0) day = 1;
  }
  const monthLength = month === 2 && isLeap(year) ? 29 : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  if (day < 1 || day > monthLength) throw new ParseError(originalLayout, originalValue, '', '', ': day out of range');
  if (zoneOffset !== -1) {
    const t = dateIn(year, month, day, hour, minute, second, nanos, UTC).add(-BigInt(zoneOffset) * 1_000_000_000n);
    if (t.in(zone).offset().seconds === zoneOffset && (zoneName === '' || t.in(zone).offset().abbreviation === zoneName)) return t.in(zone);
    return t.in({ name: zoneName, fixedOffset: zoneOffset });
  }
  if (zoneName !== '') {
    const t = dateIn(year, month, day, hour, minute, second, nanos, UTC);
    const local = t.in(zone).offset();
    if (local.abbreviation === zoneName) return t.add(-BigInt(local.seconds) * 1_000_000_000n).in(zone);
    const offset = zoneName.length > 3 && zoneName.startsWith('GMT') ? Number.parseInt(zoneName.slice(3), 10) * 3600 || 0 : 0;
    return t.add(-BigInt(offset) * 1_000_000_000n).in({ name: zoneName, fixedOffset: offset });
  }
  return dateIn(year, month, day, hour, minute, second, nanos, zone);
}

function fractionNanos(digits: string): number {
  return Number((digits + '000000000').slice(0, 9));
}

function parseNumericZone(value: string, kind: string): [number, string] | undefined {
  const base = kind.replace('ISO8601', 'Num');
  const patterns: Record<string, RegExp> = {
    NumTZ: /^([+-])(\d\d)(\d\d)/,
    NumShortTZ: /^([+-])(\d\d)/,
    NumColonTZ: /^([+-])(\d\d):(\d\d)/,
    NumSecondsTZ: /^([+-])(\d\d)(\d\d)(\d\d)/,
    NumSecondsTz: /^([+-])(\d\d)(\d\d)(\d\d)/,
    NumColonSecondsTZ: /^([+-])(\d\d):(\d\d):(\d\d)/,
  };
  const m = patterns[base]?.exec(value);
  if (!m) return undefined;
  const [hours, minutes, seconds] = [Number(m[2]), Number(m[3] ?? 0), Number(m[4] ?? 0)];
  if (hours > 24 || minutes >= 60 || seconds >= 60) return undefined;
  const offset = (hours * 3600 + minutes * 60 + seconds) * (m[1] === '-' ? -1 : 1);
  return [offset, value.slice(m[0].length)];
}

/** parseTimeZone's length rules: ChST, MeST, GMT±N, three to five capitals (ending T for 4-5). */
function timeZoneLength(value: string): number {
  if (value.length < 3) return 0;
  if (value.length >= 4 && (value.startsWith('ChST') || value.startsWith('MeST'))) return 4;
  if (value.startsWith('GMT')) {
    const m = /^GMT([+-]\d{1,2})?/.exec(value)!;
    if (m[1] && Math.abs(Number(m[1])) > 23) return 3;
    return m[0].length;
  }
  if (value[0] === '+' || value[0] === '-') {
    const m = /^[+-]\d{2,4}/.exec(value);
    return m && (m[0].length === 3 || m[0].length === 5) ? m[0].length : 0;
  }
  let upper = 0;
  while (upper < 6 && upper < value.length && /[A-Z]/.test(value[upper]!)) upper++;
  if (upper === 3) return 3;
  if (upper === 4 || upper === 5) return value[upper - 1] === 'T' ? upper : 0;
  return 0;
}
