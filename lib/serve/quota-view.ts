// GET /api/quota: quota.json's snapshot (the one the consolidator writes, lib/quota) in the API's
// shape. The one mapping from ProfileQuota to the API's per-profile entry.
import type { ApiProfileQuota, ApiWindow } from '../contracts/api';
import type { QuotaSnapshot, QuotaWindow } from '../contracts/quota';

/** Profiles in name order; a window the snapshot does not measure is null; times are ISO. */
export function quotaView(snap: QuotaSnapshot | null): ApiProfileQuota[] {
  if (!snap) return [];
  return Object.keys(snap.profiles)
    .sort()
    .map((name) => {
      const q = snap.profiles[name]!;
      const five = q.windows.five_hour;
      const weekly = q.windows.weekly;
      const tightest = [five, weekly].filter((w) => w !== undefined).sort((a, b) => (b.pct ?? -1) - (a.pct ?? -1))[0];
      return {
        profile: name,
        plan_tier: q.plan_tier,
        window_5h: apiWindow(five),
        window_weekly: apiWindow(weekly),
        band: q.band,
        source: tightest?.source ?? null,
        suggestion: q.suggestion,
      };
    });
}

function apiWindow(w: QuotaWindow | undefined): ApiWindow | null {
  if (!w) return null;
  return { used: w.used, cap: w.cap, pct: w.pct, resets_at: w.resets_at === null ? null : new Date(w.resets_at).toISOString() };
}
