// The usage rollup: it must always equal grouping the usage rows directly, through incremental
// refreshes, and every report must read the same from it as from the rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openDb, type Db } from '../lib/store/open';
import { BUCKET_MS, FULL_REBUILD_AT, dirtyKeys, markAllDirty, markDirty, rebuildPending, refreshRollup, rollupIsCurrent } from '../lib/store/rollup';
import { loadPrices, promptClasses } from '../lib/pricing/prices';
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
  markDirty(db, dirtyKeys(ts).map((b): [string, number] => [profile, b]));
}

test('incremental refreshes keep the rollup equal to grouping the rows', () => {
  withTempDb((db) => {
    const t0 = Date.UTC(2026, 10, 20, 10);
    assert.equal(rollupIsCurrent(db, T), false, 'never built');
    put(db, 'a', t0, 100);
    put(db, 'a', t0 + 60_000, 250_000); // a long-context class in the same bucket
    put(db, 'a', t0 + 90_000, 150_000); // another one, where a 100 k line applies
    put(db, 'b', t0, 7);
    refreshRollup(db, T);
    assert.ok(rollupIsCurrent(db, T));
    let { rolled, direct } = both(db);
    assert.equal(rolled.length, 4);
    assert.deepEqual(rolled, direct);

    put(db, 'a', t0 + 2 * 60_000, 5);
    assert.equal(rollupIsCurrent(db, T), false, 'dirty until refreshed');
    // A later copy of a response replaces the kept one and moves across a bucket boundary.
    put(db, 'a', t0 + BUCKET_MS - 1, 40, 'moving');
    refreshRollup(db, T);
    put(db, 'a', t0 + BUCKET_MS + 1, 90, 'moving');
    refreshRollup(db, T);
    ({ rolled, direct } = both(db));
    assert.deepEqual(rolled, direct);
  });
});

test('other long-context thresholds make the rollup stale until a rebuild for them', () => {
  withTempDb((db) => {
    put(db, 'a', Date.UTC(2026, 10, 20, 10), 150_000);
    refreshRollup(db, [200_000]);
    assert.equal(db.prepare('SELECT cls FROM usage_buckets').pluck().get(), 0);
    assert.equal(rollupIsCurrent(db, [100_000]), false);
    refreshRollup(db, [100_000]);
    assert.ok(rollupIsCurrent(db, [100_000]));
    assert.equal(db.prepare('SELECT cls FROM usage_buckets').pluck().get(), 1, 'reclassed with the new threshold');
  });
});

test('every report reads the same from the rollup as from the usage rows', async () => {
  const plain = reportSandbox();
  const rolled = reportSandbox();
  try {
    const db = openDb(join(rolled.home, 'state.db'));
    refreshRollup(db, T);
    assert.ok(rollupIsCurrent(db, T));
    db.close();
    const views = [
      ['daily', '--timezone', TZ, '--breakdown'],
      ['daily', '--timezone', 'UTC', '--since', '20251101', '--until', '2025-11-03'],
      ['weekly', '--timezone', TZ],
      ['monthly', '--project', 'app', '--model', 'sonnet'],
      ['session'],
      ['sessions', '--profile', 'work'],
      ['blocks'],
      [],
    ];
    for (const v of views) {
      const strip = (j: Record<string, unknown>) => ({ ...j, generatedAt: null });
      assert.deepEqual(strip(await jsonOf(rolled, v, { now: NOW })), strip(await jsonOf(plain, v, { now: NOW })), `ccx-report ${v.join(' ')}`);
    }
  } finally {
    plain.cleanup();
    rolled.cleanup();
  }
});

test('past FULL_REBUILD_AT buckets a writer flags a full rebuild instead of listing them', () => {
  withTempDb((db) => {
    put(db, 'a', Date.UTC(2026, 10, 1), 1);
    refreshRollup(db, T);
    assert.equal(rebuildPending(db), false, 'built: writers list buckets again');
    markAllDirty(db);
    assert.equal(rollupIsCurrent(db, T), false);
    assert.equal(rebuildPending(db), true);
    for (let i = 0; i < FULL_REBUILD_AT; i++) put(db, 'a', Date.UTC(2026, 10, 1) + i * BUCKET_MS, 2);
    refreshRollup(db, T);
    assert.ok(rollupIsCurrent(db, T));
    const { rolled, direct } = both(db);
    assert.deepEqual(rolled, direct);
  });
});
