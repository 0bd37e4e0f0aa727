// Folds status line records (Claude Code's own rate_limits figures) into rate_limits and
// rate_limit_samples through lib/quota's rateLimitWriter (the rule for every agent's figures).

import type { InboxRecord } from '../contracts/inbox';
import { rateLimitWriter } from '../quota';
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
  const figures = rateLimitWriter(db);
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
        if (figures.put(profile, { window, usedPct: w.used_percentage, resetsAt: toEpochMs(w.resets_at), observedAt: at })) n++;
      }
    }
    if (n > 0) figures.prune(now);
    return n;
  };
}
