// The keys a `[profiles.NAME]` table may hold, with how a command-line string becomes each value.
// The schema in contracts/profile.ts stays the judge; this only turns "225" into 225 and says
// which words an enum accepts before the schema's terser message would.
import { AGENTS, PLAN_TIERS, WEEKLY_ANCHORS } from '../contracts/profile';

type Kind = 'path' | 'string' | 'int' | 'number' | 'boolean' | readonly string[];

export const PROFILE_FIELDS = {
  config_dir: 'path',
  agent: AGENTS,
  label: 'string',
  color: 'string',
  plan_tier: PLAN_TIERS,
  weekly_anchor: WEEKLY_ANCHORS,
  priority: 'int',
  caps_5h_turns: 'int',
  caps_weekly_turns: 'int',
  daily_token_budget: 'int',
  weekly_token_budget: 'int',
  monthly_usd_budget: 'number',
  enforce: 'boolean',
} as const satisfies Record<string, Kind>;

export type ProfileField = keyof typeof PROFILE_FIELDS;
export const PROFILE_FIELD_NAMES = Object.keys(PROFILE_FIELDS) as ProfileField[];

/** A field value that cannot be what the user typed; the message names the key and the accepted form. */
export class FieldError extends Error {
  override name = 'FieldError';
}

/** `plan-tier` (as an option) or `plan_tier` (as in config.toml) → plan_tier; null if no such key. */
export function fieldName(option: string): ProfileField | null {
  const key = option.replace(/-/g, '_');
  return (PROFILE_FIELD_NAMES as string[]).includes(key) ? (key as ProfileField) : null;
}

export const optionName = (field: ProfileField): string => `--${field.replace(/_/g, '-')}`;

export function coerceField(field: ProfileField, raw: string, resolvePath: (p: string) => string): string | number | boolean {
  const kind: Kind = PROFILE_FIELDS[field];
  const bad = (want: string) => new FieldError(`${optionName(field)} ${JSON.stringify(raw)}: expected ${want}`);
  if (typeof kind !== 'string') {
    if (!kind.includes(raw)) throw bad(`one of ${kind.join(', ')}`);
    return raw;
  }
  switch (kind) {
    case 'path':
      if (raw === '') throw bad('a directory');
      return resolvePath(raw);
    case 'string':
      return raw;
    case 'int':
      // The sign is the schema's call: priority may be negative, caps may not.
      if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) throw bad('a whole number');
      return Number(raw);
    case 'number':
      if (!/^\d+(\.\d+)?$/.test(raw)) throw bad('a number ≥ 0');
      return Number(raw);
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') throw bad('true or false');
      return raw === 'true';
  }
}
