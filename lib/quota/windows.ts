// Each quota window of one profile as a QuotaWindow: the turn windows (5 h and weekly, counted
// from Stop/StopFailure turns or taken from Claude Code's own rate_limits figures), and the
// budget windows a user may set (tokens per day/week, USD per month, from the usage ledger).

import { DEFAULT_5H_TURN_CAPS, type Profile, WEEKDAYS } from '../contracts/profile';
import type { QuotaWindow, WindowName } from '../contracts/quota';
import { TOKEN_COLUMNS_SQL, TOTAL_TOKENS_SQL } from '../contracts/usage';
import { type PricedUsage, type PriceTable, totalCost } from '../pricing';
import type { Db } from '../store';
import { addDays, startOfDay, startOfMonth, startOfWeek } from '../time';

export const HOUR = 3_600_000;
export const FIVE_HOURS = 5 * HOUR;
export const WEEK = 7 * 24 * HOUR;
/** A rate_limits record older than this no longer speaks for the window. */
export const REAL_FIGURE_FRESH_MS = 15 * 60_000;

export type WindowContext = { db: Db; now: number; tz: string; prices: PriceTable };

const pct = (used: number, cap: number | null) => (cap ? (used / cap) * 100 : null);

/** Turns in (start, now], the oldest first. */
function turnTimes(db: Db, profile: string, start: number, now: number): number[] {
  return db
    .prepare('SELECT ts FROM turns WHERE profile = ? AND ts > ? AND ts <= ? ORDER BY ts')
    .pluck()
    .all(profile, start, now) as number[];
}

/** Rolling 5 h: turns in (now − 5 h, now]; it starts to empty when the oldest turn is 5 h old. */
export function fiveHourEstimate(ctx: WindowContext, p: Profile): QuotaWindow {
  // The plan tiers' turn caps are Claude's plans: another agent's turns have a cap only when set.
  const cap = p.caps_5h_turns ?? (p.agent === 'codex' || p.agent === 'opencode' ? null : DEFAULT_5H_TURN_CAPS[p.plan_tier]);
  const times = turnTimes(ctx.db, p.name, ctx.now - FIVE_HOURS, ctx.now);
  return {
    used: times.length,
    cap,
    pct: pct(times.length, cap),
    resets_at: times.length ? times[0]! + FIVE_HOURS : null,
    unit: 'turns',
    source: 'estimate',
  };
}

/** The current weekly window: rolling 7 days, or from the anchor weekday's local midnight. */
export function weekBounds(p: Profile, now: number, tz: string): { start: number; end: number | null } {
  if (p.weekly_anchor === 'rolling') return { start: now - WEEK, end: null };
  const start = startOfWeek(now, WEEKDAYS.indexOf(p.weekly_anchor), tz);
  return { start, end: addDays(start, 7, tz) };
}

export function weeklyEstimate(ctx: WindowContext, p: Profile): QuotaWindow {
  const cap = p.caps_weekly_turns ?? null;
  const { start, end } = weekBounds(p, ctx.now, ctx.tz);
  // Anchored windows include a turn at the anchor instant itself.
  const times = turnTimes(ctx.db, p.name, end === null ? start : start - 1, ctx.now);
  const resets_at = end ?? (times.length ? times[0]! + WEEK : null);
  return { used: times.length, cap, pct: pct(times.length, cap), resets_at, unit: 'turns', source: 'estimate' };
}

type RateLimitRow = { window: string; used_percentage: number; resets_at: number | null; observed_at: number };

/**
 * The agent's own figure for a window, when one was recorded and has not reset: Claude Code's
 * while fresh (the status line speaks only now and then, and other sessions use the window
 * meanwhile); Codex's until it resets (a rollout has one with every response, so no newer figure
 * means no Codex response since).
 */
export function realFigure(ctx: WindowContext, p: Profile, window: 'five_hour' | 'seven_day'): QuotaWindow | null {
  const row = ctx.db
    .prepare('SELECT window, used_percentage, resets_at, observed_at FROM rate_limits WHERE profile = ? AND window = ?')
    .get(p.name, window) as RateLimitRow | undefined;
  if (!row) return null;
  const source = p.agent === 'codex' ? 'codex' : 'claude-code';
  // A Codex figure with no reset time could stand for ever: it gets Claude Code's freshness rule.
  const stands = source === 'codex' && row.resets_at !== null;
  if (!stands && ctx.now - row.observed_at > REAL_FIGURE_FRESH_MS) return null;
  if (row.resets_at !== null && row.resets_at <= ctx.now) return null;
  return {
    used: null,
    cap: null,
    pct: row.used_percentage,
    resets_at: row.resets_at,
    unit: 'percent',
    source,
    observed_at: row.observed_at,
  };
}

function tokensSince(db: Db, profile: string, start: number, now: number): number {
  return db
    .prepare(
      `SELECT COALESCE(SUM(${TOTAL_TOKENS_SQL()}), 0)
       FROM usage WHERE profile = ? AND ts >= ? AND ts <= ?`,
    )
    .pluck()
    .get(profile, start, now) as number;
}

/** API-priced USD of the usage rows in [start, end]. */
export function usdBetween(ctx: WindowContext, profile: string, start: number, end: number): number {
  const rows = ctx.db
    .prepare(
      `SELECT model, ts, ${TOKEN_COLUMNS_SQL()}, speed
       FROM usage WHERE profile = ? AND ts >= ? AND ts <= ?`,
    )
    .iterate(profile, start, end) as Iterable<PricedUsage>;
  return totalCost(rows, ctx.prices).usd;
}

/** USD of the usage rows in [start, now], rounded to cents. */
function usdSince(ctx: WindowContext, profile: string, start: number): number {
  return Math.round(usdBetween(ctx, profile, start, ctx.now) * 100) / 100;
}

export function todayUsage(ctx: WindowContext, profile: string): { tokens: number; usd: number } {
  const start = startOfDay(ctx.now, ctx.tz);
  return { tokens: tokensSince(ctx.db, profile, start, ctx.now), usd: usdSince(ctx, profile, start) };
}

/** Budgets the user set for a profile; a budget not set is not a window. */
export function budgetWindows(ctx: WindowContext, p: Profile): Partial<Record<WindowName, QuotaWindow>> {
  const out: Partial<Record<WindowName, QuotaWindow>> = {};
  const { db, now, tz } = ctx;
  if (p.daily_token_budget !== undefined) {
    const used = tokensSince(db, p.name, startOfDay(now, tz), now);
    const cap = p.daily_token_budget;
    out.daily_tokens = { used, cap, pct: pct(used, cap), resets_at: addDays(now, 1, tz), unit: 'tokens', source: 'ledger' };
  }
  if (p.weekly_token_budget !== undefined) {
    const { start, end } = weekBounds(p, now, tz);
    const used = tokensSince(db, p.name, start, now);
    const cap = p.weekly_token_budget;
    out.weekly_tokens = { used, cap, pct: pct(used, cap), resets_at: end, unit: 'tokens', source: 'ledger' };
  }
  if (p.monthly_usd_budget !== undefined) {
    const start = startOfMonth(now, tz);
    const used = usdSince(ctx, p.name, start);
    const cap = p.monthly_usd_budget;
    const nextMonth = startOfMonth(addDays(start, 32, tz), tz);
    out.monthly_usd = { used, cap, pct: pct(used, cap), resets_at: nextMonth, unit: 'usd', source: 'ledger' };
  }
  return out;
}
