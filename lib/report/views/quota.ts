// quota: each profile's 5 h and weekly windows (Claude Code's figures when fresh, else ccx's turn
// estimate), budgets, band, reset times and the sibling to switch to, from lib/quota's engine.

import type { Band, QuotaWindow, WindowName } from '../../contracts/quota';
import { computeSnapshot } from '../../quota';
import type { ReportCtx } from '../context';

export type ProfileQuotaView = {
  profile: string;
  label: string | null;
  planTier: string;
  band: Band;
  windows: Partial<Record<WindowName, QuotaWindow>>;
  unavailableUntil: number | null;
  headroomPct: number;
  suggestion: { profile: string; headroomPct: number } | null;
};

export type QuotaView = { generatedAt: number; profiles: ProfileQuotaView[] };

/** Only configured profiles have caps and plans; others appear in usage views, not here. */
export function quotaView(ctx: ReportCtx): QuotaView {
  const snap = computeSnapshot({ db: ctx.db, profiles: ctx.allProfiles, now: ctx.now, tz: ctx.tz, prices: ctx.prices });
  const profiles: ProfileQuotaView[] = [];
  for (const name of ctx.profileNames) {
    const q = snap.profiles[name];
    if (!q) continue;
    profiles.push({
      profile: name,
      label: q.label,
      planTier: q.plan_tier,
      band: q.band,
      windows: q.windows,
      unavailableUntil: q.unavailable_until,
      headroomPct: q.headroom_pct,
      suggestion: q.suggestion ? { profile: q.suggestion.profile, headroomPct: q.suggestion.headroom_pct } : null,
    });
  }
  return { generatedAt: ctx.now, profiles };
}
