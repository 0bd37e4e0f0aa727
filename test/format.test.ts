// lib/format: the exact text of every shared format, at the edges (0, negative, rounding halves,
// unit boundaries) where two copies used to disagree or a refactor would slip.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BAND_FLOORS, BANDS } from '../lib/contracts/quota';
import {
  ANSI_FG,
  BAND_COLOR,
  bytes,
  clockTime,
  compactNumber,
  dateTime,
  durationToMinute,
  durationToSecond,
  HTML_FILL,
  int,
  megabytes,
  pct,
  pctColor,
  pctSpaced,
  resetClock,
  resetText,
  usd,
  usdPlain,
} from '../lib/format';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

test('percentages round to the nearest whole number, halves up, in both forms', () => {
  assert.deepEqual([0, 41.49, 41.5, 42.7, 99.49, 99.5, 100, 250].map(pct), ['0%', '41%', '42%', '43%', '99%', '100%', '100%', '250%']);
  assert.equal(pct(null), '—');
  // Math.round: -41.5 goes up to -41, and -0.4 prints as 0, not -0.
  assert.deepEqual([-0.4, -41.5].map(pct), ['0%', '-41%']);
  assert.deepEqual([0, 41.5, 82.5, 99.5].map(pctSpaced), ['0 %', '42 %', '83 %', '100 %']);
});

test('int: rounded, with thousands separators', () => {
  assert.deepEqual([0, 999, 999.5, 1234.5, 1_000_000].map(int), ['0', '999', '1,000', '1,235', '1,000,000']);
  assert.equal(int(-1234.5), '-1,234');
});

test('compactNumber: as it is under 10 000, then k, M, B with at most one decimal', () => {
  assert.deepEqual([0, -20_000, 9_999, 10_000, 12_345, 1_000_000, 1_500_000, 1e9, 1.25e9].map(compactNumber), [
    '0',
    '-20000',
    '9999',
    '10k',
    '12.3k',
    '1M',
    '1.5M',
    '1B',
    '1.3B',
  ]);
});

test('bytes: binary units from KB, one decimal, TB at most; megabytes: decimal', () => {
  assert.deepEqual([0, 1023, 1024, 1536, 1024 ** 2, 5.5 * 1024 ** 3, 1024 ** 5].map(bytes), [
    '0 B',
    '1023 B',
    '1.0 KB',
    '1.5 KB',
    '1.0 MB',
    '5.5 GB',
    '1024.0 TB',
  ]);
  assert.deepEqual([0, 1_000_000, 2_560_000, 1_048_576].map(megabytes), ['0.0 MB', '1.0 MB', '2.6 MB', '1.0 MB']);
});

test('usd has separators, usdPlain none; both keep cents and put the sign after $', () => {
  assert.deepEqual([0, 3.999, 1234.5, 1_234_567.891].map(usd), ['$0.00', '$4.00', '$1,234.50', '$1,234,567.89']);
  assert.deepEqual([0, 3.999, 1234.5, 1_234_567.891].map(usdPlain), ['$0.00', '$4.00', '$1234.50', '$1234567.89']);
  assert.equal(usd(-3.5), '$-3.50');
  assert.equal(usdPlain(-3.5), '$-3.50');
});

test('durationToSecond: cut to the second, two units at most, never negative', () => {
  const cases: [number, string][] = [
    [-5 * S, '0s'],
    [0, '0s'],
    [999, '0s'],
    [59_999, '59s'],
    [M, '1m 0s'],
    [H - 1, '59m 59s'],
    [H, '1h 0m'],
    [D - 1, '23h 59m'],
    [D, '1d 0h'],
    [D + H + M + S, '1d 1h'],
    [40 * D, '40d 0h'],
  ];
  for (const [ms, text] of cases) assert.equal(durationToSecond(ms), text, `${ms} ms`);
});

test('durationToMinute: rounded to the minute, minutes padded under a day, never negative', () => {
  const cases: [number, string][] = [
    [-M, '0m'],
    [0, '0m'],
    [29_999, '0m'],
    [30 * S, '1m'],
    [59 * M, '59m'],
    [59.5 * M, '1h 00m'],
    [H, '1h 00m'],
    [2 * H + 5 * M, '2h 05m'],
    [D - 30 * S, '1d 0h'],
    [2 * D + 3 * H + 59 * M, '2d 3h'],
  ];
  for (const [ms, text] of cases) assert.equal(durationToMinute(ms), text, `${ms} ms`);
});

test('dateTime and clockTime are local to the zone given', () => {
  const ts = Date.UTC(2025, 10, 3, 14, 5); // the day after New York left DST: UTC−5
  assert.equal(dateTime(ts, 'UTC'), '2025-11-03 14:05');
  assert.equal(dateTime(ts, 'America/New_York'), '2025-11-03 09:05');
  assert.equal(clockTime(Date.UTC(2025, 0, 1), 'UTC'), '00:00');
  assert.equal(dateTime(Date.UTC(2025, 0, 1), 'America/New_York'), '2024-12-31 19:00');
});

test('resetClock: the time today, the weekday within six days, the date beyond', () => {
  const now = Date.UTC(2025, 10, 5, 10, 0); // Wednesday
  assert.equal(resetClock(now + 4 * H + 5 * M, now, 'UTC'), '14:05');
  assert.equal(resetClock(Date.UTC(2025, 10, 6, 0, 30), now, 'UTC'), 'Thu 00:30');
  assert.equal(resetClock(now + 6 * D - M, now, 'UTC'), 'Tue 09:59');
  assert.equal(resetClock(now + 6 * D, now, 'UTC'), '2025-11-11 10:00');
  // 03:00 UTC on Thursday is still Wednesday evening in New York.
  assert.equal(resetClock(Date.UTC(2025, 10, 6, 3, 0), now, 'America/New_York'), '22:00');
});

test('resetText: date-time and what is left, "passed" from the instant itself, — when unknown', () => {
  const now = Date.UTC(2025, 10, 5, 10, 0);
  assert.equal(resetText(now + 2 * H + 5 * M, now, 'UTC'), '2025-11-05 12:05 (in 2h 05m)');
  assert.equal(resetText(now + 3 * D, now, 'UTC'), '2025-11-08 10:00 (in 3d 0h)');
  assert.equal(resetText(now, now, 'UTC'), '2025-11-05 10:00 (passed)');
  assert.equal(resetText(now - H, now, 'UTC'), '2025-11-05 09:00 (passed)');
  assert.equal(resetText(null, now, 'UTC'), '—');
});

test('a percentage takes its band colour at the band floors, not at thresholds of its own', () => {
  const cases: [number, string][] = [
    [-5, 'green'],
    [0, 'green'],
    [74.99, 'green'],
    [75, 'yellow'],
    [89.99, 'yellow'],
    [90, 'red'],
    [99.99, 'red'],
    [100, 'red'],
    [250, 'red'],
  ];
  for (const [p, color] of cases) assert.equal(pctColor(p), color, `${p} %`);
  for (const band of BANDS) assert.equal(pctColor(BAND_FLOORS[band]), BAND_COLOR[band], `the floor of ${band}`);
  assert.deepEqual(
    BANDS.map((b) => BAND_COLOR[b]),
    ['green', 'yellow', 'red', 'red'],
  );
});

test('each band colour has its own terminal code and HTML fill', () => {
  const colors = Object.keys(ANSI_FG) as (keyof typeof ANSI_FG)[];
  assert.deepEqual(new Set(colors), new Set(Object.values(BAND_COLOR)));
  for (const c of colors) {
    assert.ok(ANSI_FG[c] >= 30 && ANSI_FG[c] <= 37, `${c}: an SGR foreground code`);
    assert.match(HTML_FILL[c], /^#[0-9a-f]{6}$/);
  }
  assert.equal(new Set(colors.map((c) => ANSI_FG[c])).size, colors.length);
  assert.equal(new Set(colors.map((c) => HTML_FILL[c])).size, colors.length);
});
