// lib/time/zoned answers from a per-day offset cache: from Date for the process's own zone and
// for other zones ICU knows (TZ borrowed for a block of days), through Intl for the rest, and
// without any lookup for UTC and Etc/GMT±h; Intl is the reference they must always match.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveTimeZone } from '../lib/time/zone-name';
import { addDays, assertTimeZone, localDate, startOfDay, zonedParts, zonedTime } from '../lib/time/zoned';

// This process runs in a half-hour DST zone, so America/St_Johns below goes through Date's
// local-time path (Node applies a TZ assignment at once; zoned reads it on first use).
process.env.TZ = 'America/St_Johns';

test('the system zone comes from TZ (or /etc/localtime) without asking Intl', () => {
  assert.equal(resolveTimeZone(process.env.TZ), 'America/St_Johns');
  assert.equal(new Date(Date.UTC(2026, 0, 1)).getTimezoneOffset(), 210, 'Date follows it too');
});

const ZONES = [
  'Europe/Berlin',
  'America/New_York',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
  'America/St_Johns',
  'UTC',
  'Etc/GMT+5',
  'Etc/GMT-14',
  'America/Santiago',
  'Pacific/Chatham',
  'Asia/Kolkata', // not ICU's canonical name (Asia/Calcutta), known to it all the same
];

function intl(ts: number, tz: string) {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
  const p: Record<string, string> = {};
  for (const x of f.formatToParts(ts)) p[x.type] = x.value;
  return { year: +p.year!, month: +p.month!, day: +p.day!, hour: +p.hour!, minute: +p.minute! };
}

test('wall-clock parts equal Intl at every sampled instant of two years, DST switches included', () => {
  let checked = 0;
  for (const tz of ZONES) {
    // An odd step so that samples land on every minute of the hour over the run.
    for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2027, 0, 1); t += 37 * 60_000 + 7_000) {
      const { year, month, day, hour, minute } = zonedParts(t, tz);
      assert.deepEqual({ year, month, day, hour, minute }, intl(t, tz), `${tz} at ${new Date(t).toISOString()}`);
      checked++;
    }
  }
  assert.ok(checked > 150_000);
});

test("a borrowed zone: twenty years (several blocks of days) equal Intl, and TZ is the process's again after each", () => {
  let checked = 0;
  for (const tz of ['Asia/Calcutta', 'Asia/Kathmandu', 'Europe/Lisbon', 'Australia/Adelaide']) {
    for (let t = Date.UTC(2034, 11, 31); t > Date.UTC(2015, 0, 1); t -= 3 * 86_400_000 + 61 * 60_000) {
      const { year, month, day, hour, minute } = zonedParts(t, tz);
      assert.deepEqual({ year, month, day, hour, minute }, intl(t, tz), `${tz} at ${new Date(t).toISOString()}`);
      assert.equal(process.env.TZ, 'America/St_Johns');
      checked++;
    }
  }
  assert.ok(checked > 6_000);
  assert.equal(new Date(Date.UTC(2026, 0, 1)).getTimezoneOffset(), 210, 'Date follows the process zone again');
});

test("zone names: ICU's, modern aliases and UTC-like zones pass, unknown ones fail, TZ left as it was", () => {
  for (const tz of ['Asia/Calcutta', 'Asia/Kathmandu', 'Europe/Kyiv', 'Africa/Abidjan', 'America/Argentina/Buenos_Aires'])
    assertTimeZone(tz);
  for (const tz of ['Nowhere/Bogus', 'Europe/Berlinn', 'Mars/Olympus_Mons'])
    assert.throws(() => assertTimeZone(tz), new RegExp(`unknown time zone "${tz}"`));
  assert.equal(process.env.TZ, 'America/St_Johns');
});

test('the minutes around a switch: Berlin springs forward at 01:00 UTC on 2026-03-29', () => {
  const sw = Date.UTC(2026, 2, 29, 1);
  assert.deepEqual([zonedParts(sw - 1, 'Europe/Berlin').hour, zonedParts(sw, 'Europe/Berlin').hour], [1, 3]);
});

test('local days: 23, 24 and 25 hours long; midnight found through the cache', () => {
  const len = (y: number, m: number, d: number, tz: string) => {
    const start = zonedTime(y, m, d, tz);
    return (addDays(start, 1, tz) - start) / 3_600_000;
  };
  assert.deepEqual(
    [len(2026, 3, 29, 'Europe/Berlin'), len(2026, 3, 30, 'Europe/Berlin'), len(2026, 10, 25, 'Europe/Berlin')],
    [23, 24, 25],
  );
  assert.equal(localDate(startOfDay(Date.UTC(2026, 10, 1, 12), 'America/New_York'), 'America/New_York'), '2026-11-01');
});

test("a midnight that does not exist (Santiago's September change) starts its day when the gap ends", () => {
  const tz = 'America/Santiago';
  // 2025-09-07 00:00 local is skipped: 23:59:59 (UTC-4) is followed by 01:00 (UTC-3), at 04:00 UTC.
  const start = zonedTime(2025, 9, 7, tz);
  assert.equal(new Date(start).toISOString(), '2025-09-07T04:00:00.000Z');
  assert.equal(localDate(start, tz), '2025-09-07');
  assert.equal(startOfDay(Date.UTC(2025, 8, 7, 15), tz), start);
  // Day by day across it, every step moves on (a loop over days once never ended here).
  const sixth = zonedTime(2025, 9, 6, tz);
  assert.equal(addDays(sixth, 1, tz), start);
  assert.equal((addDays(start, 1, tz) - start) / 3_600_000, 23);
  assert.equal(addDays(start, -1, tz), sixth);
});
