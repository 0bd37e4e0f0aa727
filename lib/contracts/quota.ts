// $CCX_HOME/quota.json: written only by the consolidator, read by every hook. The hook does no
// arithmetic: the consolidator precomputes band and message (now, and once one more turn is
// counted) so the hook only compares and prints.
import * as z from 'zod/mini';
import { AGENTS } from './profile';

export const BANDS = ['ok', 'warn', 'soft', 'hard'] as const;
export type Band = (typeof BANDS)[number];
/** Band floors on a window's used percentage: ok < 75 ≤ warn < 90 ≤ soft < 100 ≤ hard. */
export const BAND_FLOORS: Record<Band, number> = { ok: 0, warn: 75, soft: 90, hard: 100 };

/** The band a used percentage falls in: the highest whose floor it reaches (nothing measured: ok). */
export function bandOf(pct: number | null): Band {
  if (pct === null) return 'ok';
  return BANDS.findLast((b) => pct >= BAND_FLOORS[b]) ?? 'ok';
}

export const QUOTA_VERSION = 1;

/** The turn windows Claude Code enforces, then the budgets a user may set for themself. */
export const WINDOW_NAMES = ['five_hour', 'weekly', 'daily_tokens', 'weekly_tokens', 'monthly_usd'] as const;
export type WindowName = (typeof WINDOW_NAMES)[number];

/** What each window is called: `long` in sentences (the warning, the HTML gauges), `short` in tables. */
export const WINDOW_LABEL: Record<WindowName, { long: string; short: string }> = {
  five_hour: { long: '5 h window', short: '5 h' },
  weekly: { long: 'weekly window', short: 'weekly' },
  daily_tokens: { long: 'daily token budget', short: 'daily tokens' },
  weekly_tokens: { long: 'weekly token budget', short: 'weekly tokens' },
  monthly_usd: { long: 'monthly budget', short: 'monthly USD' },
};

/**
 * Where a window's figure comes from. claude-code: rate_limits from Claude Code's status line;
 * codex: rate_limits from a Codex rollout's token_count; calibrated: ledger usage over the capacity
 * learned from Claude Code's figures (lib/quota/calibration.ts); estimate: ccx's turn count;
 * ledger: usage rows.
 */
export const QUOTA_SOURCES = ['claude-code', 'codex', 'calibrated', 'estimate', 'ledger'] as const;
export type QuotaSource = (typeof QUOTA_SOURCES)[number];

/** The sources that are an agent's own figure of its quota (not ccx's arithmetic). */
export const AGENT_FIGURE_SOURCES: readonly QuotaSource[] = ['claude-code', 'codex'];
export const isAgentFigure = (source: QuotaSource | undefined): boolean => source !== undefined && AGENT_FIGURE_SOURCES.includes(source);

export const quotaWindowSchema = /* @__PURE__ */ (() =>
  z.object({
    used: z.nullable(z.number()),
    cap: z.nullable(z.number()),
    pct: z.nullable(z.number()),
    resets_at: z.nullable(z.number()),
    unit: z.enum(['turns', 'tokens', 'usd', 'percent']),
    source: z.enum(QUOTA_SOURCES),
    /** claude-code, codex and calibrated: when the agent's figure was observed (older files lack it). */
    observed_at: z.optional(z.number()),
  }))();
export type QuotaWindow = z.infer<typeof quotaWindowSchema>;

export const afterTurnSchema = /* @__PURE__ */ (() =>
  z.object({ band: z.enum(BANDS), worst: z.nullable(z.enum(WINDOW_NAMES)), message: z.nullable(z.string()) }))();
export type AfterTurn = z.infer<typeof afterTurnSchema>;

/** `agent`: absent for a Claude Code profile (and in quota.json files from before agents). */
const suggestionSchema = /* @__PURE__ */ (() =>
  z.object({ profile: z.string(), headroom_pct: z.number(), agent: z.optional(z.enum(AGENTS)) }))();

export const profileQuotaSchema = /* @__PURE__ */ (() =>
  z.object({
    config_dir: z.string(),
    label: z.nullable(z.string()),
    plan_tier: z.string(),
    band: z.enum(BANDS),
    /** The window that set the band; null at ok with nothing measured. */
    worst: z.nullable(z.enum(WINDOW_NAMES)),
    windows: z.partialRecord(z.enum(WINDOW_NAMES), quotaWindowSchema),
    /** Set after a usage-limit hit or a rate_limit failure: the profile is out until then. */
    unavailable_until: z.nullable(z.number()),
    /** 0..100: what is left on the tightest window (0 when unavailable). */
    headroom_pct: z.number(),
    enforce: z.boolean(),
    /** Usage since local midnight, from the ledger: what the status line shows. */
    today: z.object({ tokens: z.number(), usd: z.number() }),
    /** The profile to switch to (lib/quota/rank.ts), or null when none has real headroom to spare. */
    suggestion: z.nullable(suggestionSchema),
    /** The one-line systemMessage for this band, or null at ok. */
    message: z.nullable(z.string()),
    /** Band, worst window and message once one more turn is counted (lib/quota/after-turn.ts). */
    after_turn: z.optional(afterTurnSchema),
  }))();
export type ProfileQuota = z.infer<typeof profileQuotaSchema>;

export const quotaSnapshotSchema = /* @__PURE__ */ (() =>
  z.object({
    v: z.literal(QUOTA_VERSION),
    generated_at: z.number(),
    profiles: z.record(z.string(), profileQuotaSchema),
    /** The profile to start on from a shell on no watched profile (optional: older files lack it). */
    use_next: z.optional(z.nullable(suggestionSchema)),
  }))();
export type QuotaSnapshot = z.infer<typeof quotaSnapshotSchema>;
