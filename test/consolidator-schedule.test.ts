// The daemon's coalescing rule (lib/consolidator/schedule.ts) on simulated timelines, ticking as
// the daemon does: a session's burst of hook events is scanned at most every BURST_SCAN_EVERY_MS
// and once right after it ends; quota.json follows events at most once a BUSY_GAP_MS.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BURST_SCAN_EVERY_MS, BUSY_GAP_MS, quotaDue, scanDue } from '../lib/consolidator/schedule';

const TICK_MS = 250;
const SCAN_EVERY_MS = 5000;
const QUOTA_EVERY_MS = 30_000;

/** Runs the daemon's loop over `durationMs` with events at `eventAt(t)`; the times it scanned and wrote quota. */
function simulate(durationMs: number, eventAt: (t: number) => boolean, askedAt: (t: number) => boolean = () => false) {
  const scans: number[] = [];
  const quotas: number[] = [];
  let lastScan = 0;
  let lastQuota = 0;
  let lastEvent = -Infinity;
  let scanPending = false;
  let quotaPending = false;
  for (let now = TICK_MS; now <= durationMs; now += TICK_MS) {
    const events = eventAt(now);
    const asked = askedAt(now);
    scanPending ||= events;
    if (events) lastEvent = now;
    if (scanDue({ now, asked, lastEvent, lastScan, scanPending, scanEveryMs: SCAN_EVERY_MS })) {
      scans.push(now);
      lastScan = now;
      scanPending = false;
    }
    quotaPending ||= events;
    if (quotaDue({ now, asked, lastQuota, quotaPending, quotaEveryMs: QUOTA_EVERY_MS })) {
      quotas.push(now);
      lastQuota = now;
      quotaPending = false;
    }
  }
  return { scans, quotas };
}

test('a burst of events is scanned at most every BURST_SCAN_EVERY_MS, and its last events right after it ends', () => {
  for (const burstEnd of [55_000, 60_000, 61_250]) {
    const { scans } = simulate(80_000, (t) => t <= burstEnd); // an event every tick
    const during = scans.filter((t) => t < burstEnd);
    assert.ok(during.length <= burstEnd / BURST_SCAN_EVERY_MS, `${during.length} scans during the burst`);
    for (let i = 1; i < during.length; i++) assert.ok(during[i]! - during[i - 1]! >= BURST_SCAN_EVERY_MS);
    const last = scans.find((t) => t >= burstEnd);
    assert.ok(last !== undefined && last - burstEnd <= BUSY_GAP_MS, `burst to ${burstEnd}: its last events scanned at ${last}`);
  }
});

test('quota.json follows a burst at most once a BUSY_GAP_MS, and is never left behind', () => {
  const { quotas } = simulate(20_000, (t) => t <= 10_000);
  for (let i = 1; i < quotas.length; i++) assert.ok(quotas[i]! - quotas[i - 1]! >= BUSY_GAP_MS);
  assert.ok(quotas.length >= 10_000 / BUSY_GAP_MS - 1, 'still about once a second while events arrive');
  assert.ok(quotas.at(-1)! >= 10_000, 'the last events are counted');
});

test('a --once request is served at the tick it arrives, even mid-burst', () => {
  const { scans, quotas } = simulate(
    20_000,
    () => true,
    (t) => t === 7_000,
  );
  assert.ok(scans.includes(7_000));
  assert.ok(quotas.includes(7_000));
});

test('idle: transcripts are still scanned every scanEveryMs, quota.json every quotaEveryMs', () => {
  const { scans, quotas } = simulate(61_000, () => false);
  assert.equal(scans.length, Math.floor(61_000 / SCAN_EVERY_MS));
  assert.equal(quotas.length, Math.floor(61_000 / QUOTA_EVERY_MS));
});
