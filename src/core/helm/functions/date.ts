import type { GoFunction, GoValue } from '../values.js';
import { nowUnixNanos } from './clock.js';
import { fail, goFunction } from './define.js';
import { asTime, formatDuration, GoTime, LOCAL, UTC, loadLocation, monotonicNow, parseDuration, parseTime, roundDuration } from './gotime.js';
import { parseInt64 } from './strconv.js';

/**
 * Sprig's date.go. A date argument may be a time.Time or Unix seconds as an integer;
 * anything else (a float64 from values, a string) is the current time, as in Go.
 * The model has one integer kind: Sprig's `duration` and `durationRound` read Go's int64
 * only (a template's literal 95 is an int there and gives "0s"), here every integer counts.
 */

function now(): GoTime {
  return GoTime.fromUnixNanos(nowUnixNanos(), LOCAL, monotonicNow());
}

function timeOf(value: GoValue): GoTime {
  if (value instanceof GoTime) return value;
  if (typeof value === 'bigint') return new GoTime(value, 0, LOCAL);
  return now();
}

function dateInZone(layout: string, value: GoValue, zone: string): string {
  return timeOf(value).in(loadLocation(zone) ?? UTC).format(layout);
}

const SECOND = 1_000_000_000n;

function sinceNanos(t: GoTime): bigint {
  return nowUnixNanos() - t.unixNanos;
}

function dateModify(layout: string, value: GoValue, must: boolean): GoValue {
  const t = asTime(value);
  try {
    return t.add(parseDuration(layout));
  } catch (error) {
    return must ? fail((error as Error).message) : t;
  }
}

function toDate(layout: string, text: string, must: boolean): GoValue {
  try {
    return parseTime(layout, text);
  } catch (error) {
    return must ? fail((error as Error).message) : GoTime.zero();
  }
}

function seconds(value: GoValue): bigint {
  if (typeof value === 'string') {
    try {
      return parseInt64(value, 10);
    } catch {
      return 0n;
    }
  }
  if (typeof value === 'bigint') return value;
  return 0n;
}

/** Sprig's durationRound: the largest whole unit (y = 365 days, mo = 30 days) strictly below the duration. */
function durationRound(value: GoValue): string {
  let d = 0n;
  if (typeof value === 'string') {
    try {
      d = parseDuration(value);
    } catch {
      d = 0n;
    }
  } else if (typeof value === 'bigint') d = BigInt.asIntN(64, value);
  else if (value instanceof GoTime) d = sinceNanos(value);
  const u = d < 0n ? -d : d;
  const hour = 3600n * SECOND;
  for (const [unit, size] of [
    ['y', hour * 24n * 365n],
    ['mo', hour * 24n * 30n],
    ['d', hour * 24n],
    ['h', hour],
    ['m', 60n * SECOND],
    ['s', SECOND],
  ] as const) {
    if (u > size) return `${u / size}${unit}`;
  }
  return '0s';
}

export const DATE_FUNCTIONS: ReadonlyMap<string, GoFunction> = new Map<string, GoFunction>([
  ['now', goFunction([], now)],
  ['date', goFunction(['string', 'any'], (layout: string, value: GoValue) => dateInZone(layout, value, 'Local'))],
  ['dateInZone', goFunction(['string', 'any', 'string'], dateInZone)],
  ['date_in_zone', goFunction(['string', 'any', 'string'], dateInZone)],
  ['htmlDate', goFunction(['any'], (value: GoValue) => dateInZone('2006-01-02', value, 'Local'))],
  ['htmlDateInZone', goFunction(['any', 'string'], (value: GoValue, zone: string) => dateInZone('2006-01-02', value, zone))],
  ['dateModify', goFunction(['string', 'any'], (layout: string, value: GoValue) => dateModify(layout, value, false))],
  ['date_modify', goFunction(['string', 'any'], (layout: string, value: GoValue) => dateModify(layout, value, false))],
  ['mustDateModify', goFunction(['string', 'any'], (layout: string, value: GoValue) => dateModify(layout, value, true))],
  ['must_date_modify', goFunction(['string', 'any'], (layout: string, value: GoValue) => dateModify(layout, value, true))],
  ['toDate', goFunction(['string', 'string'], (layout: string, text: string) => toDate(layout, text, false))],
  ['mustToDate', goFunction(['string', 'string'], (layout: string, text: string) => toDate(layout, text, true))],
  ['unixEpoch', goFunction(['any'], (value: GoValue) => String(asTime(value).seconds))],
  ['ago', goFunction(['any'], (value: GoValue) => formatDuration(roundDuration(sinceNanos(timeOf(value)), SECOND)))],
  ['duration', goFunction(['any'], (value: GoValue) => formatDuration(BigInt.asIntN(64, seconds(value) * SECOND)))],
  ['durationRound', goFunction(['any'], durationRound)],
]);
