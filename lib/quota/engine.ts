// The quota snapshot: per profile its windows, band, availability, headroom and the best sibling
// to switch to. Pure over the DB and an injected clock; quota.json is its serialisation.

import type { Profile } from '../contracts/profile';
import { type ProfileQuota, QUOTA_VERSION, type QuotaSnapshot, type QuotaWindow, type WindowName } from '../contracts/quota';
import type { PriceTable } from '../pricing';
import type { Db } from '../store';
import { afterTurn } from './after-turn';
import { profileBand, worstWindow } from './band';
import { quotaMessage } from './message';
import { budgetWindows, FIVE_HOURS, fiveHourEstimate, HOUR, realFigure, todayUsage, type WindowContext, weeklyEstimate } from './windows';

export type QuotaContext = { db: Db; profiles: Profile[]; now: number; tz: string; prices: PriceTable };

export function profileWindows(ctx: WindowContext, p: Profile): Partial<Record<WindowName, QuotaWindow>> {
  return {
    five_hour: realFigure(ctx, p.name, 'five_hour') ?? fiveHourEstimate(ctx, p),
    weekly: realFigure(ctx, p.name, 'seven_day') ?? weeklyEstimate(ctx, p),
    ...budgetWindows(ctx, p),
  };
}

/**
 * Until when the profile is out: a usage-limit hit's reset time, or after a rate_limit failure
 * the 5 h window's reset. A successful turn after the event proves the profile works again.
 */
export function unavailableUntil(ctx: WindowContext, profile: string, fiveHour: QuotaWindow | undefined): number | null {
  const { db, now } = ctx;
  const lastOk = (db.prepare('SELECT MAX(ts) FROM turns WHERE profile = ? AND failed = 0').pluck().get(profile) as number | null) ?? 0;
  const hit = db
    .prepare('SELECT MAX(reset_at) FROM limit_hits WHERE profile = ? AND ts > ? AND reset_at > ?')
    .pluck()
    .get(profile, lastOk, now) as number | null;
  const failedAt = db
    .prepare(`SELECT MAX(ts) FROM turns WHERE profile = ? AND failed = 1 AND error = 'rate_limit' AND ts > ? AND ts > ?`)
    .pluck()
    .get(profile, lastOk, now - FIVE_HOURS) as number | null;
  let until = hit ?? null;
  if (failedAt !== null) {
    const reset = fiveHour?.resets_at && fiveHour.resets_at > failedAt ? fiveHour.resets_at : failedAt + FIVE_HOURS;
    if (reset > now) until = Math.max(until ?? 0, reset);
  }
  return until;
}

function recentFailures(db: Db, profile: string, now: number): number {
  return db
    .prepare('SELECT COUNT(*) FROM turn_failures WHERE profile = ? AND ts > ?')
    .pluck()
    .get(profile, now - HOUR) as number;
}

type Draft = Omit<ProfileQuota, 'suggestion' | 'message'> & { score: number };

function draft(ctx: QuotaContext, p: Profile): Draft {
  const windows = profileWindows(ctx, p);
  const unavailable_until = unavailableUntil(ctx, p.name, windows.five_hour);
  const worst = worstWindow(windows);
  const worstPct = worst ? windows[worst]!.pct : null;
  const headroom_pct = unavailable_until !== null ? 0 : Math.max(0, Math.min(100, 100 - (worstPct ?? 0)));
  return {
    config_dir: p.config_dir,
    label: p.label ?? null,
    plan_tier: p.plan_tier,
    band: profileBand(windows, worst, unavailable_until),
    worst,
    windows,
    unavailable_until,
    headroom_pct,
    enforce: p.enforce,
    today: todayUsage(ctx, p.name),
    // Ranking: headroom first; priority and recent failures tip close calls.
    score: headroom_pct + 5 * p.priority - 10 * recentFailures(ctx.db, p.name, ctx.now),
  };
}

export function computeSnapshot(ctx: QuotaContext): QuotaSnapshot {
  const drafts = new Map(ctx.profiles.map((p) => [p.name, draft(ctx, p)]));
  const profiles: Record<string, ProfileQuota> = {};
  for (const [name, d] of drafts) {
    let best: [string, Draft] | null = null;
    for (const [other, o] of drafts) {
      if (other === name || o.unavailable_until !== null || o.headroom_pct <= d.headroom_pct) continue;
      if (!best || o.score > best[1].score) best = [other, o];
    }
    const { score: _score, ...rest } = d;
    const q = { ...rest, suggestion: best ? { profile: best[0], headroom_pct: best[1].headroom_pct } : null };
    profiles[name] = { ...q, message: quotaMessage(name, q, ctx.now, ctx.tz), after_turn: afterTurn(name, q, ctx.now, ctx.tz) };
  }
  return { v: QUOTA_VERSION, generated_at: ctx.now, profiles };
}
