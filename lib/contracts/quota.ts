// $CCX_HOME/quota.json: written only by the consolidator, read by every hook. The hook does no
// arithmetic: the consolidator precomputes band and message so the hook only compares and prints.
import * as z from 'zod/mini';

export const BANDS = ['ok', 'warn', 'soft', 'hard'] as const;
export type Band = (typeof BANDS)[number];
/** Band thresholds on the worse window's used percentage: ok < 75 ≤ warn < 90 ≤ soft < 100 ≤ hard. */
export const BAND_FLOORS: Record<Band, number> = { ok: 0, warn: 75, soft: 90, hard: 100 };

export const QUOTA_VERSION = 1;

const windowSchema = z.object({
  used: z.nullable(z.number()),
  cap: z.nullable(z.number()),
  pct: z.nullable(z.number()),
  resets_at: z.nullable(z.number()),
  /** 'claude-code' = real rate_limits figures from the status line; 'estimate' = ccx's turn count. */
  source: z.enum(['claude-code', 'estimate']),
});
export type QuotaWindow = z.infer<typeof windowSchema>;

export const profileQuotaSchema = z.object({
  config_dir: z.string(),
  band: z.enum(BANDS),
  worst_window: z.nullable(z.enum(['five_hour', 'weekly'])),
  five_hour: windowSchema,
  weekly: windowSchema,
  unavailable_until: z.nullable(z.number()),
  enforce: z.boolean(),
  suggestion: z.nullable(z.object({ profile: z.string(), headroom_pct: z.number() })),
  /** The one-line systemMessage for this band, or null at ok. */
  message: z.nullable(z.string()),
});
export type ProfileQuota = z.infer<typeof profileQuotaSchema>;

export const quotaSnapshotSchema = z.object({
  v: z.literal(QUOTA_VERSION),
  generated_at: z.number(),
  profiles: z.record(z.string(), profileQuotaSchema),
});
export type QuotaSnapshot = z.infer<typeof quotaSnapshotSchema>;
