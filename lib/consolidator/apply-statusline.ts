// Folds status line records (Claude Code's own rate_limits figures) into rate_limits, keeping
// per window the most recently observed figure, and into rate_limit_samples, keeping the latest
// figure of each of Claude Code's windows: what lib/quota/calibration.ts learns capacity from.

import type { InboxRecord } from '../contracts/inbox';
import { SAMPLE_MAX_AGE_MS } from '../quota';
import type { Db } from '../store';
import { epochMs, insaneTimeReason, isSaneTime } from '../time';

const WINDOWS = ['five_hour', 'seven_day'] as const;

/** resets_at arrives as epoch seconds; accept ms and ISO strings too. */
export function toEpochMs(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return epochMs(v);
  if (typeof v === 'string') {
    const t = Date.parse(v);
    return Number.isNaN(t) ? null : t;
  }
  return null;
}

/** Records whose received_at is out of the sane range are logged and dropped (see apply-events.ts). */
export function makeStatusLineApplier(
  db: Db,
  clock: { now: () => number; log: (msg: string) => void },
): (rows: { record: InboxRecord; profile: string }[]) => number {
  const upsert = db.prepare(
    `INSERT INTO rate_limits (profile, window, used_percentage, resets_at, observed_at)
     VALUES (@profile, @window, @used, @resets_at, @ts)
     ON CONFLICT (profile, window) DO UPDATE SET
       used_percentage = excluded.used_percentage, resets_at = excluded.resets_at, observed_at = excluded.observed_at
     WHERE excluded.observed_at >= rate_limits.observed_at`,
  );
  const sample = db.prepare(
    `INSERT INTO rate_limit_samples (profile, window, resets_at, used_percentage, observed_at)
     VALUES (@profile, @window, @window_end, @used, @ts)
     ON CONFLICT (profile, window, resets_at) DO UPDATE SET
       used_percentage = excluded.used_percentage, observed_at = excluded.observed_at
     WHERE excluded.observed_at >= rate_limit_samples.observed_at`,
  );
  const prune = db.prepare('DELETE FROM rate_limit_samples WHERE observed_at < ?');
  return (rows) => {
    const now = clock.now();
    let n = 0;
    for (const { record, profile } of rows) {
      const at = record.received_at;
      if (!isSaneTime(at, now)) {
        clock.log(`inbox: skipped status line record ${record.id}: received_at ${at} is ${insaneTimeReason(at)}`);
        continue;
      }
      const limits = record.payload.rate_limits as Record<string, { used_percentage?: unknown; resets_at?: unknown }> | undefined;
      if (!limits || typeof limits !== 'object') continue;
      for (const window of WINDOWS) {
        const w = limits[window];
        if (!w || typeof w.used_percentage !== 'number' || !Number.isFinite(w.used_percentage)) continue;
        const resets_at = toEpochMs(w.resets_at);
        n += upsert.run({ profile, window, used: w.used_percentage, resets_at, ts: record.received_at }).changes;
        // Without its end the window's usage cannot be told apart, so the figure teaches nothing.
        if (resets_at !== null)
          sample.run({ profile, window, window_end: Math.round(resets_at / 60_000) * 60_000, used: w.used_percentage, ts: at });
      }
    }
    if (n > 0) prune.run(now - SAMPLE_MAX_AGE_MS);
    return n;
  };
}
