// The quota snapshot: per profile its windows, band, availability, headroom and the best sibling
// to switch to (rank.ts). Pure over the DB and an injected clock; quota.json is its serialisation.

import type { Profile } from '../contracts/profile';
import { type ProfileQuota, QUOTA_VERSION, type QuotaSnapshot, type QuotaWindow, type WindowName } from '../contracts/quota';
import type { PriceTable } from '../pricing';
import type { Db } from '../store';
import { afterTurn } from './after-turn';
import { headroomOf, profileBand, worstWindow } from './band';
import { calibratedWindow, type RealWindow } from './calibration';
import { quotaMessage } from './message';
import { bestSwitch, type Candidate, rivalsOf } from './rank';
import { budgetWindows, FIVE_HOURS, fiveHourEstimate, HOUR, realFigure, todayUsage, type WindowContext, weeklyEstimate } from './windows';

/** suggestAcrossAgents: config.toml's `suggest_across_agents = true` (rank.ts `rivalsOf`). */
export type QuotaContext = { db: Db; profiles: Profile[]; now: number; tz: string; prices: PriceTable; suggestAcrossAgents?: boolean };

export function profileWindows(ctx: WindowContext, p: Profile): Partial<Record<WindowName, QuotaWindow>> {
  // Calibration learns from Claude Code's figures, which come now and then; Codex's stand until they reset.
  const calibrated = (w: RealWindow) => (p.agent === 'codex' ? null : calibratedWindow(ctx, p.name, w));
  return {
    five_hour: realFigure(ctx, p, 'five_hour') ?? calibrated('five_hour') ?? fiveHourEstimate(ctx, p),
    weekly: realFigure(ctx, p, 'seven_day') ?? calibrated('seven_day') ?? weeklyEstimate(ctx, p),
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

type Draft = Omit<ProfileQuota, 'suggestion' | 'message'>;

function draft(ctx: QuotaContext, p: Profile): Draft {
  const windows = profileWindows(ctx, p);
  const unavailable_until = unavailableUntil(ctx, p.name, windows.five_hour);
  const worst = worstWindow(windows);
  const headroom_pct = headroomOf(windows, worst, unavailable_until);
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
  };
}

export function computeSnapshot(ctx: QuotaContext): QuotaSnapshot {
  const drafts = new Map(ctx.profiles.map((p) => [p.name, draft(ctx, p)]));
  const candidates: Candidate[] = ctx.profiles.map((p) => {
    const d = drafts.get(p.name)!;
    return {
      name: p.name,
      agent: p.agent,
      headroom_pct: d.headroom_pct,
      available: d.unavailable_until === null,
      priority: p.priority,
      recentFailures: recentFailures(ctx.db, p.name, ctx.now),
    };
  });
  const rank = { acrossAgents: ctx.suggestAcrossAgents === true };
  const profiles: Record<string, ProfileQuota> = {};
  for (const current of candidates) {
    const q = { ...drafts.get(current.name)!, suggestion: bestSwitch(candidates, current, rank) };
    profiles[current.name] = {
      ...q,
      message: quotaMessage(current.name, q, rivalsOf(candidates, current, rank), ctx.now, ctx.tz),
      after_turn: afterTurn(current, q, candidates, ctx.now, ctx.tz, rank),
    };
  }
  return { v: QUOTA_VERSION, generated_at: ctx.now, profiles, use_next: bestSwitch(candidates, null, rank) };
}
