// An agent's own quota figures (Claude Code's status-line rate_limits, Codex's token_count
// rate_limits) go into rate_limits, newest observation per window winning, and rate_limit_samples,
// the latest figure of each of the agent's windows: what calibration.ts learns capacity from.
// One writer for every source, so both agents' figures follow the same rule.

import type { Db } from '../store';
import { type RealWindow, SAMPLE_MAX_AGE_MS } from './calibration';

export type RateLimitFigure = {
  window: RealWindow;
  usedPct: number;
  /** ms since epoch, or null when the agent did not say. */
  resetsAt: number | null;
  /** ms since epoch: when the agent gave the figure. */
  observedAt: number;
};

export type RateLimitWriter = {
  /** Records one figure; true when it is now the window's newest. */
  put(profile: string, f: RateLimitFigure): boolean;
  /** Deletes samples older than every window's expiry: call once after a batch of puts. */
  prune(now: number): void;
};

export function rateLimitWriter(db: Db): RateLimitWriter {
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
  return {
    put(profile, f) {
      const row = { profile, window: f.window, used: f.usedPct, resets_at: f.resetsAt, ts: f.observedAt };
      const changed = upsert.run(row).changes > 0;
      // Without its end the window's usage cannot be told apart, so the figure teaches nothing.
      if (f.resetsAt !== null) sample.run({ ...row, window_end: Math.round(f.resetsAt / 60_000) * 60_000 });
      return changed;
    },
    prune(now) {
      prune.run(now - SAMPLE_MAX_AGE_MS);
    },
  };
}
