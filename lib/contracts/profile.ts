// A profile = one agent's config dir (one account: a Claude Code config dir, a CODEX_HOME, an OpenCode
// data dir) registered in $CCX_HOME/config.toml.
import * as z from 'zod/mini';

export const PLAN_TIERS = ['pro', 'max5', 'max20', 'api'] as const;
export type PlanTier = (typeof PLAN_TIERS)[number];
export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export const WEEKLY_ANCHORS = ['rolling', ...WEEKDAYS] as const;
export type WeeklyAnchor = (typeof WEEKLY_ANCHORS)[number];

/** The coding agent a profile's config dir belongs to: a Claude Code config dir, a CODEX_HOME, an OpenCode install. */
export const AGENTS = ['claude', 'codex', 'opencode'] as const;
export type Agent = (typeof AGENTS)[number];

export const PROFILE_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** One `[profiles.NAME]` table, as written in config.toml. */
export const profileConfigSchema = /* @__PURE__ */ (() => {
  const count = z.int().check(z.nonnegative());
  return z.strictObject({
    config_dir: z.string().check(z.minLength(1)),
    agent: z._default(z.enum(AGENTS), 'claude'),
    label: z.optional(z.string()),
    color: z.optional(z.string()),
    plan_tier: z._default(z.enum(PLAN_TIERS), 'pro'),
    weekly_anchor: z._default(z.enum(WEEKLY_ANCHORS), 'rolling'),
    priority: z._default(z.int(), 0),
    caps_5h_turns: z.optional(count),
    caps_weekly_turns: z.optional(count),
    daily_token_budget: z.optional(count),
    weekly_token_budget: z.optional(count),
    monthly_usd_budget: z.optional(z.number().check(z.nonnegative())),
    enforce: z._default(z.boolean(), false),
  });
})();
export type ProfileConfig = z.infer<typeof profileConfigSchema>;

/**
 * A resolved profile: its name plus its config, config_dir absolute. `plan_tier_detected`: config.toml
 * names no plan_tier and plan_tier is the one the profile's Claude Code login names (lib/profiles).
 */
export type Profile = ProfileConfig & { name: string; plan_tier_detected?: true };

/** Default 5 h turn caps by plan tier; api has none. */
export const DEFAULT_5H_TURN_CAPS: Record<PlanTier, number | null> = {
  pro: 45,
  max5: 225,
  max20: 900,
  api: null,
};
