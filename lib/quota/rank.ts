// The one ranking rule: which profile to switch to. quota.json's suggestions come from here, and
// every reader (hooks, ccx-report's views) shows those answers instead of ranking on its own.

/** A sibling is worth switching to only with this much headroom... */
export const MIN_SUGGESTED_HEADROOM_PCT = 20;
/** ...and this many points more than the current profile (5 % more is not worth a restart). */
export const MIN_HEADROOM_LEAD_PCT = 15;
/** Score = headroom + PRIORITY_WEIGHT × priority − FAILURE_WEIGHT × failures in the last hour. */
export const PRIORITY_WEIGHT = 5;
export const FAILURE_WEIGHT = 10;

export type Candidate = { name: string; headroom_pct: number; available: boolean; priority: number; recentFailures: number };
export type Suggestion = { profile: string; headroom_pct: number };

export const scoreOf = (c: Candidate): number => c.headroom_pct + PRIORITY_WEIGHT * c.priority - FAILURE_WEIGHT * c.recentFailures;

/**
 * The best-scored available candidate with real headroom: at least MIN_SUGGESTED_HEADROOM_PCT,
 * and MIN_HEADROOM_LEAD_PCT more than `current` (null: a session on no watched profile).
 */
export function bestSwitch(candidates: Candidate[], current: Candidate | null): Suggestion | null {
  const floor = Math.max(MIN_SUGGESTED_HEADROOM_PCT, current ? current.headroom_pct + MIN_HEADROOM_LEAD_PCT : 0);
  let best: Candidate | null = null;
  for (const c of candidates) {
    if (c.name === current?.name || !c.available || c.headroom_pct < floor) continue;
    if (!best || scoreOf(c) > scoreOf(best)) best = c;
  }
  return best ? { profile: best.name, headroom_pct: best.headroom_pct } : null;
}
