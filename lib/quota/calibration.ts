// Claude Code gives its own rate_limits figures only now and then (to subscribers, in the status
// line, after a first response, never under `claude -p`). Each figure, with the ledger's usage in
// its window, is an observation of that window's capacity; while no fresh figure speaks, a
// window's pct is its usage over the capacity so learned.
//
// The measure is API-priced USD (lib/pricing): it weights tokens by model and kind the way
// Anthropic's limits do (an Opus token counts more than a Haiku one, a cache read far less than an
// output token), where a turn count or a raw token sum would not.

import type { QuotaWindow } from '../contracts/quota';
import { FIVE_HOURS, HOUR, usdBetween, WEEK, type WindowContext } from './windows';

export type RealWindow = 'five_hour' | 'seven_day';

const DAY = 24 * HOUR;
const SPAN: Record<RealWindow, number> = { five_hour: FIVE_HOURS, seven_day: WEEK };

/** Figures under this used percentage are skipped: their rounding is a large share of them. */
export const MIN_OBSERVED_PCT = 5;
/** The capacity is learned from the latest figure of each of this many windows at most. */
export const MAX_OBSERVATIONS = 7;
/** Older figures no longer speak for the account (plans change): two weeks of 5 h windows, five weeks. */
export const OBSERVATION_MAX_AGE_MS: Record<RealWindow, number> = { five_hour: 14 * DAY, seven_day: 35 * DAY };
/** rate_limit_samples rows older than every window's expiry are deleted. */
export const SAMPLE_MAX_AGE_MS = Math.max(...Object.values(OBSERVATION_MAX_AGE_MS));
/** An observation more than this factor away from the median of all of them is an outlier. */
export const OUTLIER_FACTOR = 2;

type Sample = { used_percentage: number; resets_at: number; observed_at: number };

/** The capacity each recent figure implies: usage in its window up to it, over its used share. */
export function observedCapacities(ctx: WindowContext, profile: string, window: RealWindow): number[] {
  const samples = ctx.db
    .prepare(
      `SELECT used_percentage, resets_at, observed_at FROM rate_limit_samples
       WHERE profile = ? AND window = ? AND used_percentage >= ? AND observed_at > ? AND observed_at <= ?
       ORDER BY observed_at DESC LIMIT ?`,
    )
    .all(profile, window, MIN_OBSERVED_PCT, ctx.now - OBSERVATION_MAX_AGE_MS[window], ctx.now, MAX_OBSERVATIONS) as Sample[];
  return samples
    .map((s) => usdBetween(ctx, profile, s.resets_at - SPAN[window], s.observed_at) / (s.used_percentage / 100))
    .filter((c) => c > 0);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The median of the observations within OUTLIER_FACTOR of their median; null with none. */
export function robustCapacity(observations: number[]): number | null {
  if (!observations.length) return null;
  const m = median(observations);
  return median(observations.filter((c) => c >= m / OUTLIER_FACTOR && c <= m * OUTLIER_FACTOR));
}

/**
 * Claude Code's window as it is now, from the end of the last one it named: a 5 h window starts
 * at the hour of the first request after the previous one ended (none yet: empty, no reset);
 * the 7-day window repeats weekly.
 */
export function currentBounds(
  ctx: WindowContext,
  profile: string,
  window: RealWindow,
  lastEnd: number,
): { start: number | null; resets_at: number | null } {
  if (lastEnd > ctx.now) return { start: lastEnd - SPAN[window], resets_at: lastEnd };
  if (window === 'seven_day') {
    const resets_at = lastEnd + (Math.floor((ctx.now - lastEnd) / WEEK) + 1) * WEEK;
    return { start: resets_at - WEEK, resets_at };
  }
  const firstAfter = ctx.db.prepare('SELECT MIN(ts) FROM usage WHERE profile = ? AND ts >= ? AND ts <= ?').pluck();
  let end = lastEnd;
  for (;;) {
    const first = firstAfter.get(profile, end, ctx.now) as number | null;
    if (first === null) return { start: null, resets_at: null };
    const start = Math.max(end, Math.floor(first / HOUR) * HOUR);
    if (start + FIVE_HOURS > ctx.now) return { start, resets_at: start + FIVE_HOURS };
    end = start + FIVE_HOURS;
  }
}

/** The window's pct from the learned capacity, or null before any observation. */
export function calibratedWindow(ctx: WindowContext, profile: string, window: RealWindow): QuotaWindow | null {
  const capacity = robustCapacity(observedCapacities(ctx, profile, window));
  if (capacity === null) return null;
  const last = ctx.db
    .prepare(
      'SELECT resets_at, observed_at FROM rate_limit_samples WHERE profile = ? AND window = ? AND observed_at <= ? ORDER BY observed_at DESC LIMIT 1',
    )
    .get(profile, window, ctx.now) as Pick<Sample, 'resets_at' | 'observed_at'>;
  const { start, resets_at } = currentBounds(ctx, profile, window, last.resets_at);
  const used = start === null ? 0 : usdBetween(ctx, profile, start, ctx.now);
  const cents = (usd: number) => Math.round(usd * 100) / 100;
  return {
    used: cents(used),
    cap: cents(capacity),
    pct: (used / capacity) * 100,
    resets_at,
    unit: 'usd',
    source: 'calibrated',
    observed_at: last.observed_at,
  };
}
