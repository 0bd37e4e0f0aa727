// The usage rollup: it must always equal grouping the usage rows directly, through incremental
// refreshes, and every report must read the same from it as from the rows.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadPrices, promptClasses } from '../lib/pricing/prices';
import { ASKED_ZONE_KEEP_MS, dayZones, MAX_ASKED_ZONES, noteZonesAsked } from '../lib/store/day-zones';
import { factsOf, readFacts, selectFactsSql } from '../lib/store/facts';
import { type Db, openDb } from '../lib/store/open';
import {
  BUCKET_MS,
  dayPiece,
  daysAreCurrent,
  dirtyKeys,
  FULL_REBUILD_AT,
  markAllDirty,
  markDirty,
  rebuildPending,
  refreshRollup,
  rollupIsCurrent,
} from '../lib/store/rollup';
import { NOW, TZ } from './fixtures/report/fixture';
import { jsonOf, reportSandbox } from './fixtures/report/harness';
import { withTempDb } from './helpers/ccx';

/** The embedded prices' long-context thresholds: what the report checks the rollup against. */
const T = promptClasses(loadPrices('/nonexistent/pricing.yaml').prices).thresholds;

/** The rollup's rows, and the same grouping done directly on usage, in one comparable order. */
function both(db: Db) {
  const order = 'ORDER BY profile, session_id, project, model, speed, bucket, cls';
  const rolled = db.prepare(`SELECT * FROM usage_buckets ${order}`).all();
  const direct = db
    .prepare(
      `SELECT profile, session_id, project, model, speed, (ts / ${BUCKET_MS}) * ${BUCKET_MS} AS bucket,
              ${T.map((t) => `(input_tokens + cache_read_tokens + cache_creation_5m_tokens + cache_creation_1h_tokens > ${t})`).join(' + ')} AS cls,
              MIN(ts) AS first_ts, MAX(ts) AS last_ts, COUNT(*) AS n, SUM(input_tokens) AS input_tokens,
              SUM(output_tokens) AS output_tokens, SUM(cache_read_tokens) AS cache_read_tokens,
              SUM(cache_creation_5m_tokens) AS cache_creation_5m_tokens, SUM(cache_creation_1h_tokens) AS cache_creation_1h_tokens
       FROM usage GROUP BY 1, 2, 3, 4, 5, 6, 7 ${order}`,
    )
    .all();
  return { rolled, direct };
}

let seq = 0;
function put(db: Db, profile: string, ts: number, input: number, key = `k${seq++}`) {
  db.prepare(
    `INSERT INTO usage (profile, dedup_key, session_id, project, model, ts, input_tokens, output_tokens)
     VALUES (?, ?, 's1', '/p', 'claude-sonnet-4-5', ?, ?, 10)
     ON CONFLICT (profile, dedup_key) DO UPDATE SET ts = excluded.ts, input_tokens = excluded.input_tokens`,
  ).run(profile, key, ts, input);
  markDirty(
    db,
    dirtyKeys(ts).map((b): [string, number] => [profile, b]),
  );
}

test('incremental refreshes keep the rollup equal to grouping the rows', () => {
  withTempDb((db) => {
    const t0 = Date.UTC(2026, 10, 20, 10);
    assert.equal(rollupIsCurrent(db, T), false, 'never built');
    put(db, 'a', t0, 100);
    put(db, 'a', t0 + 60_000, 250_000); // a long-context class in the same bucket
    put(db, 'a', t0 + 90_000, 150_000); // another one, where a 100 k line applies
    put(db, 'b', t0, 7);
    refreshRollup(db, T, [TZ]);
    assert.ok(rollupIsCurrent(db, T));
    let { rolled, direct } = both(db);
    assert.equal(rolled.length, 4);
    assert.deepEqual(rolled, direct);

    put(db, 'a', t0 + 2 * 60_000, 5);
    assert.equal(rollupIsCurrent(db, T), false, 'dirty until refreshed');
    // A later copy of a response replaces the kept one and moves across a bucket boundary.
    put(db, 'a', t0 + BUCKET_MS - 1, 40, 'moving');
    refreshRollup(db, T, [TZ]);
    put(db, 'a', t0 + BUCKET_MS + 1, 90, 'moving');
    refreshRollup(db, T, [TZ]);
    ({ rolled, direct } = both(db));
    assert.deepEqual(rolled, direct);
  });
});

/** usage_days, and the same grouping done in JS on the usage rows with `dayPiece`. */
function bothDays(db: Db, tz: string) {
  const cols = ['profile', 'model', 'speed', 'day', 'cls', 'first_ts', 'last_ts', 'n', 'input_tokens', 'output_tokens'] as const;
  const rolled = db.prepare(`SELECT ${cols.join(', ')} FROM usage_days WHERE zone = ? ORDER BY profile, model, speed, day, cls`).all(tz);
  type Row = { profile: string; model: string; speed: string | null; ts: number; input_tokens: number; output_tokens: number; cls: number };
  const rows = db
    .prepare(
      `SELECT profile, model, speed, ts, input_tokens, output_tokens, ${T.map((t) => `(input_tokens > ${t})`).join(' + ')} AS cls FROM usage`,
    )
    .all() as Row[];
  const groups = new Map<string, Record<string, unknown>>();
  for (const r of rows) {
    const day = dayPiece(r.ts, tz)[0];
    const k = JSON.stringify([r.profile, r.model, r.speed, day, r.cls]);
    const g = groups.get(k) ?? {
      profile: r.profile,
      model: r.model,
      speed: r.speed,
      day,
      cls: r.cls,
      first_ts: r.ts,
      last_ts: r.ts,
      n: 0,
      input_tokens: 0,
      output_tokens: 0,
    };
    g.first_ts = Math.min(g.first_ts as number, r.ts);
    g.last_ts = Math.max(g.last_ts as number, r.ts);
    g.n = (g.n as number) + 1;
    g.input_tokens = (g.input_tokens as number) + r.input_tokens;
    g.output_tokens = (g.output_tokens as number) + r.output_tokens;
    groups.set(k, g);
  }
  const order = (a: Record<string, unknown>) => JSON.stringify(cols.slice(0, 5).map((c) => a[c]));
  const direct = [...groups.values()].sort((a, b) => (order(a) < order(b) ? -1 : 1));
  return { rolled: rolled.sort((a, b) => (order(a as Record<string, unknown>) < order(b as Record<string, unknown>) ? -1 : 1)), direct };
}

test('day pieces: a local day cut at UTC midnight, in zones with half-hour offsets and DST', () => {
  const tz = 'America/St_Johns'; // UTC-3:30, -2:30 in summer
  const day = Date.UTC(2026, 2, 8); // DST starts that local morning
  assert.deepEqual(dayPiece(day + 3_600_000, tz), [day, day + 3 * 3_600_000 + 30 * 60_000], 'before local midnight: cut at UTC midnight');
  assert.deepEqual(
    dayPiece(day + 4 * 3_600_000, tz),
    [day + 3 * 3_600_000 + 30 * 60_000, day + 86_400_000],
    'a 23 h local day, cut at the next UTC midnight',
  );
  assert.deepEqual(dayPiece(day + 12 * 3_600_000, 'UTC'), [day, day + 86_400_000]);
});

test('incremental refreshes keep the day pieces equal to grouping the rows by piece', () => {
  withTempDb((db) => {
    const tz = 'America/St_Johns';
    const t0 = Date.UTC(2026, 2, 8, 2); // 22:30 local on the 7th
    put(db, 'a', t0, 100);
    put(db, 'a', t0 + 90 * 60_000, 250_000); // local midnight: the next local day, the same UTC day
    put(db, 'a', t0 + 23 * 3_600_000, 5); // past the next UTC midnight
    put(db, 'b', t0, 7);
    refreshRollup(db, T, [tz]);
    assert.ok(daysAreCurrent(db, T, tz));
    assert.equal(daysAreCurrent(db, T, 'UTC'), false, 'pieces are per zone');
    let { rolled, direct } = bothDays(db, tz);
    assert.equal(rolled.length, 4, 'a: three pieces, b: one');
    assert.deepEqual(rolled, direct);

    // A later copy of a response moves across the local midnight.
    put(db, 'a', t0 + 89 * 60_000, 40, 'moving');
    refreshRollup(db, T, [tz]);
    put(db, 'a', t0 + 91 * 60_000, 90, 'moving');
    assert.equal(daysAreCurrent(db, T, tz), false, 'dirty until refreshed');
    refreshRollup(db, T, [tz]);
    ({ rolled, direct } = bothDays(db, tz));
    assert.deepEqual(rolled, direct);

    refreshRollup(db, T, ['UTC']);
    assert.ok(daysAreCurrent(db, T, 'UTC'));
    ({ rolled, direct } = bothDays(db, 'UTC'));
    assert.deepEqual(rolled, direct, 'rebuilt for another zone');
  });
});

test('usage_days keeps several zones at once, each equal to grouping the rows by its pieces', () => {
  withTempDb((db) => {
    const zones = ['America/St_Johns', 'Asia/Kolkata', 'UTC'];
    const t0 = Date.UTC(2026, 2, 8, 2);
    for (let i = 0; i < 12; i++) put(db, i % 3 ? 'a' : 'b', t0 + i * 47 * 60_000, 100 + i);
    refreshRollup(db, T, zones);
    for (const tz of zones) assert.ok(daysAreCurrent(db, T, tz), tz);
    const check = () => {
      for (const tz of zones) {
        const { rolled, direct } = bothDays(db, tz);
        assert.ok(rolled.length > 0, tz);
        assert.deepEqual(rolled, direct, tz);
      }
    };
    check();
    // Incremental: every kept zone refreshed where the buckets changed.
    put(db, 'a', t0 + 5 * 3_600_000, 7, 'late');
    put(db, 'b', t0 + 20 * 3_600_000, 9);
    refreshRollup(db, T, zones);
    check();
    // A zone no longer wanted is dropped; a new one is built.
    zones.splice(1, 1, 'Europe/Berlin');
    refreshRollup(db, T, zones);
    check();
    assert.equal(daysAreCurrent(db, T, 'Asia/Kolkata'), false);
    assert.equal(db.prepare(`SELECT COUNT(*) FROM usage_days WHERE zone = 'Asia/Kolkata'`).pluck().get(), 0);
  });
});

test("day zones: the consolidator's, then the latest asked for, at most MAX_ASKED_ZONES, forgotten after ASKED_ZONE_KEEP_MS", () => {
  withTempDb((db) => {
    const own = 'Europe/Berlin';
    let now = Date.UTC(2026, 10, 1);
    assert.deepEqual(dayZones(db, own, now), [own]);
    assert.equal(noteZonesAsked(db, ['Asia/Kolkata'], now), true, 'no pieces of it yet');
    refreshRollup(db, T, dayZones(db, own, now));
    assert.equal(noteZonesAsked(db, ['Asia/Kolkata'], now), false, 'built by the pass');
    const more = ['America/New_York', 'Asia/Tokyo', 'Australia/Adelaide'];
    for (const z of more) noteZonesAsked(db, [z], (now += 3_600_000));
    assert.equal(MAX_ASKED_ZONES, 3);
    assert.deepEqual(dayZones(db, own, now), [own, ...more.reverse()], 'newest first; the oldest ask falls out');
    noteZonesAsked(db, ['Asia/Kolkata'], (now += 3_600_000));
    assert.equal(dayZones(db, own, now)[1], 'Asia/Kolkata', 'asked again: newest');
    assert.deepEqual(dayZones(db, own, now + ASKED_ZONE_KEEP_MS + 1), [own], 'no report asked for a month');
  });
});

test('facts read back from either rollup table are its rows, by name', () => {
  withTempDb((db) => {
    const t0 = Date.UTC(2026, 10, 20, 10);
    for (let i = 0; i < 5; i++) put(db, i % 2 ? 'a' : 'b', t0 + i * 7 * 60_000, 100 + i);
    refreshRollup(db, T, [TZ]);
    type Row = { profile: string; first_ts: number };
    const inOrder = (rows: readonly Row[]) => [...rows].sort((x, y) => x.profile.localeCompare(y.profile) || x.first_ts - y.first_ts);
    const read = (table: 'usage_buckets' | 'usage_days') =>
      inOrder(readFacts(db, selectFactsSql(factsOf(table), table, '', { group: false }), []));
    const rows = (table: string) => db.prepare(`SELECT * FROM ${table}`).all() as (Row & { day: number; zone?: string })[];
    assert.deepEqual(read('usage_buckets'), inOrder(rows('usage_buckets')));
    // usage_days keeps no session or project and names its bucket `day`.
    const days = rows('usage_days').map(({ day, zone: _zone, ...r }) => ({ ...r, session_id: null, project: null, bucket: day }));
    assert.ok(days.length > 1);
    assert.deepEqual(read('usage_days'), inOrder(days));
  });
});

test('other long-context thresholds make the rollup stale until a rebuild for them', () => {
  withTempDb((db) => {
    put(db, 'a', Date.UTC(2026, 10, 20, 10), 150_000);
    refreshRollup(db, [200_000], [TZ]);
    assert.equal(db.prepare('SELECT cls FROM usage_buckets').pluck().get(), 0);
    assert.equal(rollupIsCurrent(db, [100_000]), false);
    refreshRollup(db, [100_000], [TZ]);
    assert.ok(rollupIsCurrent(db, [100_000]));
    assert.equal(db.prepare('SELECT cls FROM usage_buckets').pluck().get(), 1, 'reclassed with the new threshold');
  });
});

test('every report reads the same from the rollup as from the usage rows', async () => {
  const plain = reportSandbox();
  const rolled = reportSandbox();
  try {
    const db = openDb(join(rolled.home, 'state.db'));
    refreshRollup(db, T, [TZ]);
    assert.ok(rollupIsCurrent(db, T));
    assert.ok(daysAreCurrent(db, T, TZ), 'period views in TZ read the day pieces');
    db.close();
    const views = [
      ['daily', '--timezone', TZ, '--breakdown'],
      ['daily', '--timezone', 'UTC', '--since', '20251101', '--until', '2025-11-03'],
      ['daily', '--timezone', TZ, '--since', '20251101', '--until', '2025-11-03', '--profile', 'work'],
      ['weekly', '--timezone', TZ],
      ['monthly', '--timezone', TZ, '--model', 'sonnet', '--order', 'desc'],
      ['monthly', '--project', 'app', '--model', 'sonnet'],
      // Other zones: day pieces of that zone, grouped from the 15-minute buckets.
      ['daily', '--timezone', 'Asia/Kathmandu'],
      ['weekly', '--timezone', 'America/New_York', '--project', 'app'],
      ['--timezone', 'Australia/Lord_Howe'],
      ['session'],
      ['sessions', '--profile', 'work'],
      ['blocks'],
      [],
    ];
    for (const v of views) {
      const strip = (j: Record<string, unknown>) => ({ ...j, generatedAt: null });
      assert.deepEqual(
        strip(await jsonOf(rolled, v, { now: NOW })),
        strip(await jsonOf(plain, v, { now: NOW })),
        `ccx-report ${v.join(' ')}`,
      );
    }
  } finally {
    plain.cleanup();
    rolled.cleanup();
  }
});

test('past FULL_REBUILD_AT buckets a writer flags a full rebuild instead of listing them', () => {
  withTempDb((db) => {
    put(db, 'a', Date.UTC(2026, 10, 1), 1);
    refreshRollup(db, T, [TZ]);
    assert.equal(rebuildPending(db), false, 'built: writers list buckets again');
    markAllDirty(db);
    assert.equal(rollupIsCurrent(db, T), false);
    assert.equal(rebuildPending(db), true);
    for (let i = 0; i < FULL_REBUILD_AT; i++) put(db, 'a', Date.UTC(2026, 10, 1) + i * BUCKET_MS, 2);
    refreshRollup(db, T, [TZ]);
    assert.ok(rollupIsCurrent(db, T));
    const { rolled, direct } = both(db);
    assert.deepEqual(rolled, direct);
  });
});
