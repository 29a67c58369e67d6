import { describe, expect, it } from 'vitest';
import { ArgumentTypeError } from '../src/core/helm/functions/define.js';
import { SPRIG_FUNCTIONS } from '../src/core/helm/functions/index.js';
import type { SnippetRow } from './helm-functions-harness.js';
import { compareWithHelm, renderWithSprig } from './helm-functions-harness.js';

/**
 * Sprig's date functions against helm v4.1.4 (fixed instants only: the clock differs
 * between helm's run and ours), and the clock functions' shape.
 */

const T = '(toDate "2006-01-02T15:04:05Z07:00" "2024-02-29T13:04:05.123456789+01:00")';

const DATES: SnippetRow[] = [
  ['date-unix', '{{ date "2006-01-02 15:04:05 MST" 0 }}|{{ date "2006-01-02" 1700000000 }}|{{ htmlDate 86400 }}|{{ htmlDateInZone 0 "Asia/Tokyo" }}'],
  ['date-layouts', `{{ date "Mon Monday Jan January 1 01 2 _2 02 __2 002 15 3 03 4 04 5 05 2006 06 PM pm .000 .999 ,000 -0700 -07:00 -07 Z0700 Z07:00 Z07 MST" ${T} }}`],
  ['date-literals', `{{ date "Janx Monx 2006_2006 _2006 MSTx 1504" ${T} }}|{{ date "Jan JAN janitor" ${T} }}`],
  ['dateInZone', `{{ dateInZone "2006-01-02 15:04 MST -0700" ${T} "America/New_York" }}|{{ dateInZone "15:04 MST" ${T} "Europe/Berlin" }}|{{ dateInZone "15:04 -07:00" ${T} "Asia/Kolkata" }}|{{ dateInZone "15:04 MST" ${T} "No/Such_Zone" }}|{{ dateInZone "15:04 MST" ${T} "" }}|{{ dateInZone "15:04 MST" ${T} "UTC" }}|{{ date_in_zone "15:04" 0 "Etc/GMT+5" }}`],
  ['dateInZone-dst', '{{ dateInZone "2006-01-02 15:04 MST" 1720000000 "Europe/Berlin" }}|{{ dateInZone "2006-01-02 15:04 MST" 1720000000 "America/Los_Angeles" }}|{{ dateInZone "2006-01-02 15:04 MST" 1700000000 "America/Los_Angeles" }}'],
  ['zone-abbreviations', '{{ range (list "Asia/Tokyo" "Asia/Kolkata" "Australia/Sydney" "America/Sao_Paulo" "Europe/London" "Europe/Moscow" "Asia/Shanghai" "Africa/Lagos" "Pacific/Auckland" "Asia/Dubai" "EST" "Europe/Dublin" "Asia/Kathmandu" "America/St_Johns" "Etc/GMT-14" "US/Pacific") }}{{ dateInZone "MST -0700" 1700000000 . }},{{ dateInZone "MST" 1720000000 . }};{{ end }}'],
  ['toDate', '{{ toDate "2006-01-02" "2017-12-31" }}|{{ toDate "2006-01-02" "bad" }}|{{ toDate "02/01/2006 15:04" "31/12/2017 23:59" }}|{{ toDate "2006-01-02T15:04:05Z07:00" "2017-12-31T10:00:00Z" }}|{{ toDate "2006-01-02T15:04:05Z07:00" "2017-12-31T10:00:00-05:00" }}|{{ toDate "Jan 2 2006 3:04pm" "feb 3 2020 4:05PM" }}|{{ toDate "2006-01-02 15:04:05" "2020-01-01 10:11:12.5" }}'],
  ['toDate-zones', '{{ toDate "2006-01-02 MST" "2020-01-01 UTC" }}|{{ toDate "2006-01-02 MST" "2020-01-01 PDT" }}|{{ toDate "2006-01-02 -0700" "2020-01-01 +0000" }}|{{ toDate "2006-002" "2020-060" }}'],
  ['mustToDate-error', '{{ mustToDate "2006-01-02" "2017-13-01" }}'],
  ['mustToDate-error-syntax', '{{ mustToDate "2006-01-02" "17-1-1" }}'],
  ['mustToDate-error-extra', '{{ mustToDate "2006-01-02" "2017-01-01 x" }}'],
  ['mustToDate-error-day', '{{ mustToDate "2006-01-02" "2017-02-30" }}'],
  ['unixEpoch', `{{ unixEpoch ${T} }}|{{ unixEpoch (toDate "2006-01-02" "1969-12-31") }}`],
  ['dateModify', `{{ dateModify "1h30m" ${T} }}|{{ dateModify "-48h" ${T} }}|{{ dateModify "bad" ${T} }}|{{ date_modify "1.5h" ${T} }}|{{ mustDateModify "1µs" ${T} }}`],
  ['mustDateModify-error', `{{ mustDateModify "1d" ${T} }}`],
  ['mustDateModify-error-unit', `{{ must_date_modify "10" ${T} }}`],
  ['duration', '{{ duration "95" }}|{{ duration "3661" }}|{{ duration "0" }}|{{ duration "x" }}|{{ duration "-90" }}|{{ duration 1.5 }}|{{ duration (int64 "95") }}|{{ duration "360000" }}'],
  ['durationRound', '{{ durationRound "2h10m" }}|{{ durationRound "400h" }}|{{ durationRound "9000h" }}|{{ durationRound "-3s" }}|{{ durationRound "1s" }}|{{ durationRound "x" }}|{{ durationRound (int64 "90000000000") }}|{{ durationRound "61s" }}|{{ durationRound "750h" }}'],
  ['time-methods', `{{ $t := ${T} }}{{ $t.Year }} {{ $t.Month }} {{ $t.Day }} {{ $t.Hour }} {{ $t.Minute }} {{ $t.Second }} {{ $t.Nanosecond }} {{ $t.YearDay }} {{ $t.Weekday }} {{ $t.Unix }} {{ $t.UnixMilli }} {{ $t.UTC }} {{ $t.IsZero }} {{ (toDate "x" "y").IsZero }}`],
  ['time-arithmetic', `{{ $t := ${T} }}{{ $t.AddDate 0 1 1 }}|{{ $t.AddDate 1 0 0 }}|{{ $t.Add 3600000000000 }}|{{ ($t.AddDate 0 0 1).Sub $t }}|{{ $t.Before ($t.AddDate 0 0 1) }}|{{ $t.Truncate 3600000000000 }}|{{ $t.Round 1000000000 }}|{{ $t.Format "Jan 2" }}`],
  ['time-string', `{{ ${T} }}|{{ toDate "2006" "2020" }}|{{ (toDate "2006" "2020").UTC }}`],
];

await compareWithHelm('functions-date', DATES);

/** The output of a snippet that must render. */
function output(template: string, values?: string): string {
  const outcome = renderWithSprig(template, values);
  if (outcome.output === undefined) throw new Error(outcome.error);
  return outcome.output;
}

describe('the clock functions', () => {
  it('now is the current time, in Go’s String form with a monotonic reading', () => {
    const before = Date.now();
    const printed = output('{{ now }}');
    const [day, time] = printed.split(' ');
    expect(printed).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,9})? \+0000 UTC m=\+\d+\.\d{9}$/);
    expect(Math.abs(Date.parse(`${day}T${time}Z`) - before)).toBeLessThan(5000);
  });

  it('date and ago of now, unixEpoch of now', () => {
    expect(output('{{ now | date "2006" }}')).toBe(String(new Date().getUTCFullYear()));
    expect(output('{{ ago now }}')).toBe('0s');
    expect(output('{{ ago (dateModify "-90m" now) }}')).toBe('1h30m0s');
    expect(Number(output('{{ now | unixEpoch }}'))).toBeCloseTo(Date.now() / 1000, -1);
    expect(output('{{ durationRound (dateModify "-49h" now) }}')).toBe('2d');
  });

  it('a date argument that is no time nor integer is the current time, as in Go', () => {
    expect(output('{{ htmlDate "2001-01-01" }}')).toBe(new Date().toISOString().slice(0, 10));
    expect(output('{{ htmlDate .Values.t }}', 't: 0')).toBe(new Date().toISOString().slice(0, 10));
  });
});

describe('time.Time parameters', () => {
  it('refuse what is not a time as text/template would, for the engine to report at the argument', () => {
    expect(() => SPRIG_FUNCTIONS.get('unixEpoch')!.call(5n)).toThrow(new ArgumentTypeError('wrong type for value; expected time.Time; got int'));
  });
});
