// Which zones usage_days keeps day pieces of (rollup.ts): the consolidator's own, and the few
// others reports asked for lately. A report in a zone usage_days holds reads a few rows per day; in
// any other it groups usage_buckets itself (~10x slower), so the zone it asks in is noted and
// the next pass builds its day pieces.
import type { Db } from './open';
import { daysZones } from './rollup';

/** Zones kept beside the consolidator's: the ones asked for most recently. */
export const MAX_ASKED_ZONES = 3;
/** A zone no report asked for in this long is dropped. */
export const ASKED_ZONE_KEEP_MS = 30 * 86_400_000;
/** A zone asked for again within this is not written again: no write per report. */
const RENOTE_MS = 3_600_000;

type Asked = Record<string, number>;

function asked(db: Db): Asked {
  const stored = db.prepare(`SELECT value FROM rollup_state WHERE key = 'zones_asked'`).pluck().get() as string | undefined;
  try {
    const v = JSON.parse(stored ?? '{}') as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Asked) : {};
  } catch {
    return {};
  }
}

/**
 * Records that reports asked for `zones` (valid zone names) at `now`. True when one of them has no
 * day pieces yet: a pass must build them before the answer. Call under the consolidator lock.
 */
export function noteZonesAsked(db: Db, zones: readonly string[], now: number): boolean {
  if (zones.length === 0) return false;
  const seen = asked(db);
  const stale = zones.filter((z) => !(now - (seen[z] ?? 0) < RENOTE_MS));
  if (stale.length > 0) {
    for (const z of stale) seen[z] = now;
    db.prepare(`INSERT OR REPLACE INTO rollup_state (key, value) VALUES ('zones_asked', ?)`).run(JSON.stringify(seen));
  }
  const held = daysZones(db);
  return zones.some((z) => !held.includes(z));
}

/** The zones usage_days should hold now: `own` first, then the latest asked for, newest first. */
export function dayZones(db: Db, own: string, now: number): string[] {
  const recent = Object.entries(asked(db))
    .filter(([z, at]) => z !== own && now - at < ASKED_ZONE_KEEP_MS)
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_ASKED_ZONES)
    .map(([z]) => z);
  return [own, ...recent];
}
