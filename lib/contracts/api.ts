// The bodies `ccx serve` answers with (lib/serve): JSON, snake_case, instants as ISO strings,
// costs in USD. Tests check every response against these schemas; API clients may use them too.
import * as z from 'zod/mini';
import { AGENTS } from './profile';
import { BANDS, QUOTA_SOURCES } from './quota';

const nullableNumber = /* @__PURE__ */ (() => z.nullable(z.number()))();
const nullableString = /* @__PURE__ */ (() => z.nullable(z.string()))();

/** One window of GET /api/quota; null where quota.json does not measure it. */
export const apiWindowSchema = /* @__PURE__ */ (() =>
  z.object({ used: nullableNumber, cap: nullableNumber, pct: nullableNumber, resets_at: nullableString }))();
export type ApiWindow = z.infer<typeof apiWindowSchema>;

export const apiProfileQuotaSchema = /* @__PURE__ */ (() =>
  z.object({
    profile: z.string(),
    plan_tier: z.string(),
    window_5h: z.nullable(apiWindowSchema),
    window_weekly: z.nullable(apiWindowSchema),
    band: z.enum(BANDS),
    /** Where the fuller of the two windows' figures came from. */
    source: z.nullable(z.enum(QUOTA_SOURCES)),
    suggestion: z.nullable(z.object({ profile: z.string(), headroom_pct: z.number(), agent: z.optional(z.enum(AGENTS)) })),
  }))();
export type ApiProfileQuota = z.infer<typeof apiProfileQuotaSchema>;

/** ccusage's four token kinds: both cache writes (5 min and 1 h) are `cache_create_tokens`. */
export const apiTokensSchema = /* @__PURE__ */ (() =>
  z.object({ input_tokens: z.number(), output_tokens: z.number(), cache_read_tokens: z.number(), cache_create_tokens: z.number() }))();
export type ApiTokens = z.infer<typeof apiTokensSchema>;

/** GET /api/usage: one row per profile, project, model and local day (the server's zone). */
export const usageRowSchema = /* @__PURE__ */ (() =>
  z.object({
    profile: z.string(),
    /** The profile's agent (a profile is one agent's home). */
    agent: z.enum(AGENTS),
    project: z.string(),
    model: z.string(),
    /** YYYY-MM-DD in the server's zone. */
    day: z.string(),
    usage: apiTokensSchema,
    session_count: z.number(),
    estimated_usd: z.number(),
  }))();
export type UsageRow = z.infer<typeof usageRowSchema>;

export const SESSION_STATUSES = ['running', 'completed', 'failed', 'ended'] as const;

/** GET /api/sessions: what the hooks saw of a session, and the usage its transcript shows. */
export const sessionTelemetrySchema = /* @__PURE__ */ (() =>
  z.object({
    profile: z.string(),
    session_id: z.string(),
    status: z.string(),
    started_at: nullableString,
    last_seen_at: nullableString,
    ended_at: nullableString,
    end_reason: nullableString,
    duration_ms: nullableNumber,
    model: nullableString,
    cwd: nullableString,
    turns: z.number(),
    failed_turns: z.number(),
    compactions: z.number(),
    failure_error: nullableString,
    /** Claude Code's own cost figure for the session, when it wrote one. */
    claude_code_cost_usd: nullableNumber,
    usage: apiTokensSchema,
    estimated_usd: z.number(),
  }))();
export type SessionTelemetry = z.infer<typeof sessionTelemetrySchema>;

/** SSE `recommendation` on /api/recommendations/live: a profile's band rose to warn, soft or hard. */
export const recommendationEventSchema = /* @__PURE__ */ (() =>
  z.object({
    profile: z.string(),
    level: z.enum(['warn', 'soft', 'hard']),
    /** The warning line the hooks show for this band. */
    reason: z.string(),
    /** The sibling to switch to (lib/quota's ranking), or null when none has headroom to spare. */
    suggested: nullableString,
    quota_5h_pct: nullableNumber,
    quota_weekly_pct: nullableNumber,
    timestamp: z.string(),
  }))();
export type RecommendationEvent = z.infer<typeof recommendationEventSchema>;

/** SSE `usage`: sent after every quota.json rewrite, for the dashboard and other live views. */
export const usageEventSchema = /* @__PURE__ */ (() =>
  z.object({
    timestamp: z.string(),
    profiles: z.array(
      z.object({
        profile: z.string(),
        band: z.enum(BANDS),
        quota_5h_pct: nullableNumber,
        quota_weekly_pct: nullableNumber,
        today_tokens: z.number(),
        today_usd: z.number(),
      }),
    ),
  }))();
export type UsageEvent = z.infer<typeof usageEventSchema>;
