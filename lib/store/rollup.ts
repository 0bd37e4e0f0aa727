// The usage rollup: usage rows pre-grouped by (profile, session, project, model, speed,
// 15-minute bucket, long-context class), so a report reads tens of thousands of rows instead of
// grouping every request of years of history. The scanner marks the buckets it wrote
// (`dirtyKeys`/`markDirty`), the consolidator re-aggregates just those (`refreshRollup`), and a
// reader uses the rollup only when it is current for its own long-context thresholds.
//
// A second level, usage_days, groups the buckets again per day piece of a zone: no session or
// project, a few rows per day, what period reports read when they run in that zone. It keeps the
// zones `dayZones` (day-zones.ts) names: the consolidator's, and the latest others reports asked
// for. A piece is a local day cut at UTC midnight too, so that it never spans two price days either.

import { addDays, startOfDay, zonedParts } from '../time';
import { fromBuckets, fromUsage, insertFactsSql, stepSql } from './facts';
import type { Db } from './open';

/** 15 minutes divides every real zone offset and the UTC day: a bucket never straddles a local day. */
export const BUCKET_MS = 15 * 60_000;
/** More dirty buckets than this: one full rebuild is cheaper than bucket-by-bucket. */
export const FULL_REBUILD_AT = 2000;

export const bucketOf = (ts: number) => Math.floor(ts / BUCKET_MS) * BUCKET_MS;

/**
 * Buckets a usage row at `ts` may have touched. A replaced copy of a response can have a
 * slightly different timestamp, so the neighbours are marked too.
 */
export function dirtyKeys(ts: number): number[] {
  const b = bucketOf(ts);
  return [b - BUCKET_MS, b, b + BUCKET_MS];
}

export function markDirty(db: Db, keys: Iterable<[profile: string, bucket: number]>): void {
  const put = db.prepare('INSERT OR IGNORE INTO usage_dirty (profile, bucket) VALUES (?, ?)');
  for (const [profile, bucket] of keys) put.run(profile, bucket);
}

/** Everything will be re-aggregated at the next refresh: no need to list buckets. */
export function markAllDirty(db: Db): void {
  db.prepare(`INSERT OR REPLACE INTO rollup_state (key, value) VALUES ('rebuild', '1')`).run();
}

/**
 * Whether a writer should list the buckets it touches: not when a full rebuild is already due
 * (never built, or flagged), as on a first ingest of years of history.
 */
export function rebuildPending(db: Db): boolean {
  const keys = db.prepare(`SELECT key FROM rollup_state WHERE key IN ('rebuild', 'thresholds')`).pluck().all() as string[];
  return keys.includes('rebuild') || !keys.includes('thresholds');
}

/**
 * The rollup buckets one write transaction's usage rows touched, for a ledger writer: `touch` per
 * row written, `flush` inside the transaction just before COMMIT (each bucket marked once; past
 * FULL_REBUILD_AT of them, or with a rebuild already due, only "rebuild all"), `discard` after a
 * ROLLBACK.
 */
export function dirtyTracker(db: Db) {
  const dirty = new Map<string, [string, number]>();
  let all = rebuildPending(db);
  return {
    touch(profile: string, ts: number): void {
      if (all) return;
      for (const b of dirtyKeys(ts)) dirty.set(`${b}\0${profile}`, [profile, b]);
      if (dirty.size > FULL_REBUILD_AT) {
        all = true;
        dirty.clear();
      }
    },
    flush(): void {
      if (all) markAllDirty(db);
      else markDirty(db, dirty.values());
      dirty.clear();
    },
    discard(): void {
      dirty.clear();
      all = rebuildPending(db);
    },
  };
}

/** Aggregates the usage rows `u` of `from` into usage_buckets. */
function aggregateSql(thresholds: number[], from: string): string {
  const keys = { sessions: true, projects: true, bucket: stepSql('u.ts', BUCKET_MS) };
  return insertFactsSql('usage_buckets', fromUsage(keys, thresholds), from);
}

const thresholdsKey = (thresholds: number[]) => JSON.stringify([...thresholds].sort((a, b) => a - b));

/** What usage_days holds: day pieces of these zones, classed with these thresholds (rollup_state 'days'). */
type DaysState = { thresholds: string; zones: string[] };

function daysState(db: Db): DaysState | null {
  const stored = db.prepare(`SELECT value FROM rollup_state WHERE key = 'days'`).pluck().get() as string | undefined;
  try {
    const v = JSON.parse(stored ?? 'null') as DaysState | null;
    return v && typeof v.thresholds === 'string' && Array.isArray(v.zones) ? v : null;
  } catch {
    return null;
  }
}

/**
 * Brings both rollups up to date with the usage table; usage_days in each of `zones` (and no
 * other). Call under the consolidator lock.
 */
export function refreshRollup(db: Db, thresholds: number[], zones: readonly string[]): void {
  const key = thresholdsKey(thresholds);
  const days = daysState(db);
  const sameZones = days !== null && days.zones.length === zones.length && zones.every((z) => days.zones.includes(z));
  // Nothing to do is the usual case: answer it without taking the write lock.
  if (sameZones && days.thresholds === key && rollupIsCurrent(db, thresholds)) return;
  db.transaction(() => {
    const stored = db.prepare(`SELECT value FROM rollup_state WHERE key = 'thresholds'`).pluck().get() as string | undefined;
    const dirty = db.prepare('SELECT profile, bucket FROM usage_dirty').raw().all() as [string, number][];
    const flagged = db.prepare(`SELECT 1 FROM rollup_state WHERE key = 'rebuild'`).get() !== undefined;
    const full = stored !== key || flagged || dirty.length > FULL_REBUILD_AT;
    if (full) {
      db.exec('DELETE FROM usage_buckets');
      db.exec(aggregateSql(thresholds, 'usage u'));
      db.prepare(`INSERT OR REPLACE INTO rollup_state (key, value) VALUES ('thresholds', ?)`).run(key);
      db.exec(`DELETE FROM rollup_state WHERE key = 'rebuild'`);
    } else if (dirty.length > 0) {
      db.exec(`DELETE FROM usage_buckets WHERE EXISTS
        (SELECT 1 FROM usage_dirty d WHERE d.profile = usage_buckets.profile AND d.bucket = usage_buckets.bucket)`);
      db.exec(
        aggregateSql(
          thresholds,
          `usage_dirty d JOIN usage u ON u.profile = d.profile AND u.ts >= d.bucket AND u.ts < d.bucket + ${BUCKET_MS}`,
        ),
      );
    }
    // Zones kept with these thresholds are refreshed where the buckets changed; the others are built anew.
    const kept = !full && days?.thresholds === key ? days.zones : [];
    for (const zone of days?.zones ?? []) if (!zones.includes(zone)) dropDays(db, zone);
    for (const zone of zones) {
      if (kept.includes(zone)) refreshDays(db, zone, dirty);
      else rebuildDays(db, zone);
    }
    const state: DaysState = { thresholds: key, zones: [...zones] };
    db.prepare(`INSERT OR REPLACE INTO rollup_state (key, value) VALUES ('days', ?)`).run(JSON.stringify(state));
    db.exec('DELETE FROM usage_dirty');
  }).immediate();
}

/** [start, end) of the day piece holding `ts`: its local day in `tz`, cut at UTC midnight. */
export function dayPiece(ts: number, tz: string): [number, number] {
  return pieces(tz)(ts);
}
const DAY_MS = 86_400_000;

/** `dayPiece` for many instants: the cuts of each UTC day are worked out once. */
function pieces(tz: string): (ts: number) => [number, number] {
  const cutsOf = new Map<number, number[]>();
  return (ts) => {
    const day = Math.floor(ts / DAY_MS) * DAY_MS;
    let cuts = cutsOf.get(day);
    if (!cuts) {
      cuts = [day];
      for (let m = startOfDay(day, tz); m < day + DAY_MS; m = addDays(m, 1, tz)) if (m > day) cuts.push(m);
      cuts.push(day + DAY_MS);
      cutsOf.set(day, cuts);
    }
    let i = 0;
    while (cuts[i + 1]! <= ts) i++;
    return [cuts[i]!, cuts[i + 1]!];
  };
}

/**
 * Aggregates the usage_buckets rows `where` selects into usage_days, each into the piece `pieceOf`
 * (SQL). The zone is the statement's first parameter.
 */
function daysSql(pieceOf: string, where: string): string {
  return insertFactsSql('usage_days', fromBuckets({ sessions: false, projects: false, bucket: pieceOf }), 'usage_buckets', where, {
    zone: '?',
  });
}

/**
 * SQL for the start of the day piece (`dayPiece`) holding the instant `col`, in `tz`. Grouping by
 * it gives a few rows per local day in any zone, where a fixed step would have to be as fine as
 * the zone's offset (15 min). Within `range`, on days whose zone offset is steady (all of them in
 * a fixed zone; all but those around a DST change elsewhere) it is arithmetic, the later of the
 * UTC midnight and the local midnight before `col`: no call into JS per row, ~10x faster over
 * the buckets. Other instants ask `dayPiece` through a function registered on this connection
 * (read-only ones too).
 */
export function dayPieceSql(db: Db, tz: string, col: string, range: [number, number] | null = null): string {
  const pieceOf = pieces(tz);
  db.function('ccx_day_piece', { deterministic: true }, (ts) => pieceOf(Number(ts))[0]);
  const slow = `ccx_day_piece(${col})`;
  const runs = range ? steadyRuns(range, tz) : [];
  if (runs.length === 0) return slow;
  const utcDay = `(${col} / ${DAY_MS}) * ${DAY_MS}`;
  const steady = runs.map(
    ([from, to, off]) =>
      `WHEN ${col} >= ${from} AND ${col} < ${to} THEN max(((${col} + ${off}) / ${DAY_MS}) * ${DAY_MS} - ${off}, ${utcDay})`,
  );
  return `(CASE ${steady.join(' ')} ELSE ${slow} END)`;
}

/** The zone's offset at a UTC midnight (whole seconds, as every real offset is). */
function offsetAtMidnight(day: number, tz: string): number {
  const p = zonedParts(day, tz);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - day;
}

/**
 * [from, to, offset]: runs of UTC days in `range` where the offset is one value from the day
 * before to the day after (a local day holding an instant lies within those three): there the
 * local midnight before an instant is plain arithmetic on that offset.
 */
function steadyRuns([lo, hi]: [number, number], tz: string): [number, number, number][] {
  const first = Math.floor(lo / DAY_MS) * DAY_MS;
  const last = Math.floor(hi / DAY_MS) * DAY_MS;
  // Offsets at the midnights from the day before `first` to two days after `last`.
  const off: number[] = [];
  for (let d = first - DAY_MS; d <= last + 2 * DAY_MS; d += DAY_MS) off.push(offsetAtMidnight(d, tz));
  const runs: [number, number, number][] = [];
  for (let i = 1, d = first; d <= last; i++, d += DAY_MS) {
    const o = off[i]!;
    if (off[i - 1] !== o || off[i + 1] !== o || off[i + 2] !== o) continue;
    const run = runs.at(-1);
    if (run && run[1] === d && run[2] === o) run[1] = d + DAY_MS;
    else runs.push([d, d + DAY_MS, o]);
  }
  return runs;
}

/**
 * First and last bucket in usage_buckets, through its (profile, bucket) index: a few lookups per
 * profile instead of a scan (SQLite's min/max use an index only on its leading column).
 */
export function bucketRange(db: Db): [number, number] | null {
  const r = db
    .prepare(
      `WITH RECURSIVE p(name) AS (
         SELECT min(profile) FROM usage_buckets
         UNION ALL SELECT (SELECT min(profile) FROM usage_buckets WHERE profile > name) FROM p WHERE name IS NOT NULL)
       SELECT min((SELECT min(bucket) FROM usage_buckets WHERE profile = name)),
              max((SELECT max(bucket) FROM usage_buckets WHERE profile = name))
       FROM p WHERE name IS NOT NULL`,
    )
    .raw()
    .get() as [number | null, number | null];
  return r[0] === null || r[1] === null ? null : [r[0], r[1]];
}

function dropDays(db: Db, tz: string): void {
  db.prepare('DELETE FROM usage_days WHERE zone = ?').run(tz);
}

function rebuildDays(db: Db, tz: string): void {
  const pieceOf = dayPieceSql(db, tz, 'bucket', bucketRange(db));
  dropDays(db, tz);
  db.prepare(daysSql(pieceOf, '')).run(tz);
}

/** Re-aggregates the day pieces that hold a dirty bucket (or its neighbours' rows). */
function refreshDays(db: Db, tz: string, dirty: [string, number][]): void {
  const pieceOf = pieces(tz);
  const touched = new Map<string, [string, number, number]>();
  for (const [profile, bucket] of dirty) {
    const [start, end] = pieceOf(bucket);
    touched.set(`${profile}\u0000${start}`, [profile, start, end]);
  }
  const drop = db.prepare('DELETE FROM usage_days WHERE zone = ? AND profile = ? AND day = ?');
  const add = db.prepare(daysSql('?', 'WHERE profile = ? AND bucket >= ? AND bucket < ?'));
  for (const [profile, start, end] of touched.values()) {
    drop.run(tz, profile, start);
    add.run(tz, start, profile, start, end);
  }
}

/** True when usage_days reflects every usage row, in day pieces of `tz`, classed with these thresholds. */
export function daysAreCurrent(db: Db, thresholds: number[], tz: string): boolean {
  const days = daysState(db);
  return days !== null && days.thresholds === thresholdsKey(thresholds) && days.zones.includes(tz) && rollupIsCurrent(db, thresholds);
}

/** The zones usage_days holds day pieces of, current or not. */
export const daysZones = (db: Db): string[] => daysState(db)?.zones ?? [];

/** True when usage_buckets reflects every usage row, classed with these thresholds. */
export function rollupIsCurrent(db: Db, thresholds: number[]): boolean {
  const stored = db.prepare(`SELECT value FROM rollup_state WHERE key = 'thresholds'`).pluck().get() as string | undefined;
  if (stored !== thresholdsKey(thresholds)) return false;
  if (db.prepare(`SELECT 1 FROM rollup_state WHERE key = 'rebuild'`).get() !== undefined) return false;
  return db.prepare('SELECT 1 FROM usage_dirty LIMIT 1').get() === undefined;
}
