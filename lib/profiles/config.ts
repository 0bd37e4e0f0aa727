// Reads and validates $CCX_HOME/config.toml, the profile registry. Errors name the file, the key
// and what is wrong, so a CLI can print them as they are.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { PROFILE_NAME_RE, type Profile, profileConfigSchema } from '../contracts/profile';
import { defaultConfigDir, type Env } from '../paths';
import { detectPlanTier } from './plan-detect';

// zod/mini ships without messages ("Invalid input"); the English locale says what is wrong.
z.config(en());

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly key: string | null,
    detail: string,
  ) {
    super(`${file}${key ? `: ${key}` : ''}: ${detail}`);
    this.name = 'ConfigError';
  }
}

export type CcxConfig = {
  profiles: Profile[];
  /** Top-level `keep_payloads = true`: store hook payloads whole (prompts, tool inputs); absent when unset. */
  keepPayloads?: boolean;
  /** Top-level `suggest_across_agents = true`: a spent agent's profiles may be told of another agent's (lib/quota rank.ts); absent when unset. */
  suggestAcrossAgents?: boolean;
};

/** config.toml's top-level settings beside the [profiles.NAME] tables: TOML key → CcxConfig field. */
const SETTINGS = { keep_payloads: 'keepPayloads', suggest_across_agents: 'suggestAcrossAgents' } as const satisfies Record<
  string,
  keyof CcxConfig
>;
type SettingKey = keyof typeof SETTINGS;
const isSetting = (key: string): key is SettingKey => Object.hasOwn(SETTINGS, key);

/** The top-level settings as written in config.toml (those set only), for a writer that rewrites the file. */
export function settingsOf(config: CcxConfig): Partial<Record<SettingKey, boolean>> {
  const out: Partial<Record<SettingKey, boolean>> = {};
  for (const [key, field] of Object.entries(SETTINGS) as [SettingKey, (typeof SETTINGS)[SettingKey]][]) {
    const v = config[field];
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/** The registry as written; a missing file is an empty registry. */
export function readConfig(file: string): CcxConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { profiles: [] };
    throw new ConfigError(file, null, `cannot read: ${(err as Error).message}`);
  }
  return parseConfig(text, file);
}

export function parseConfig(text: string, file: string): CcxConfig {
  let doc: Record<string, unknown>;
  try {
    // Required here, not imported: a process that finds no config.toml never loads the parser (~3 ms).
    doc = (require('@iarna/toml') as typeof import('@iarna/toml')).parse(text) as Record<string, unknown>;
  } catch (err) {
    const e = err as { line?: number; col?: number; message: string };
    const where = e.line !== undefined ? `line ${e.line + 1}, column ${(e.col ?? 0) + 1}` : 'parse error';
    throw new ConfigError(file, null, `${where}: ${e.message.split('\n')[0]}`);
  }
  const settings: Partial<Pick<CcxConfig, (typeof SETTINGS)[SettingKey]>> = {};
  for (const key of Object.keys(doc)) {
    if (key === 'profiles') continue;
    if (!isSetting(key))
      throw new ConfigError(file, key, `unknown top-level key (expected ${Object.keys(SETTINGS).join(', ')} or [profiles.NAME] tables)`);
    if (typeof doc[key] !== 'boolean') throw new ConfigError(file, key, 'must be true or false');
    settings[SETTINGS[key]] = doc[key];
  }
  const tables = (doc.profiles ?? {}) as Record<string, unknown>;
  const profiles: Profile[] = [];
  const byDir = new Map<string, string>();
  for (const [name, table] of Object.entries(tables)) {
    if (!PROFILE_NAME_RE.test(name)) {
      throw new ConfigError(file, `profiles.${name}`, 'profile names are letters, digits, "-" and "_" (max 64)');
    }
    const parsed = profileConfigSchema.safeParse(table);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const key = [`profiles.${name}`, ...issue.path.map(String)].join('.');
      throw new ConfigError(file, key, issue.message);
    }
    const config_dir = resolve(parsed.data.config_dir);
    const clash = byDir.get(config_dir);
    if (clash) {
      throw new ConfigError(file, `profiles.${name}.config_dir`, `${config_dir} is already the config dir of profile "${clash}"`);
    }
    byDir.set(config_dir, name);
    profiles.push(withDetectedPlan({ ...parsed.data, config_dir, name }, (table as Record<string, unknown>).plan_tier !== undefined));
  }
  return { profiles, ...settings };
}

/** A profile whose config.toml names no plan_tier takes the one its Claude Code login names, when it names one. */
function withDetectedPlan(profile: Profile, planGiven: boolean): Profile {
  const detected = planGiven ? null : detectPlanTier(profile.config_dir);
  return detected ? { ...profile, plan_tier: detected, plan_tier_detected: true } : profile;
}

/** The profile used for a config dir nobody registered: `default`. */
export function defaultProfile(env: Env = process.env): Profile {
  const profile = { ...profileConfigSchema.parse({ config_dir: resolve(defaultConfigDir(env)) }), name: 'default' } as Profile;
  return withDetectedPlan(profile, false);
}

/** Has `default` been used: hook events recorded for it (the caller's database says). */
export type HookEventsOf = (profile: string) => boolean;

/**
 * The profiles ccx watches: every registered one, plus `default` for the default config dir when
 * no registered profile covers it and either nothing is registered or the dir has history
 * (transcripts, or hook events per `hookEventsOf`). A never-used default dir beside registered
 * profiles would only be a phantom `default 0/45 turns`, and a suggestion to switch to it.
 */
export function watchedProfiles(config: CcxConfig, env: Env = process.env, hookEventsOf: HookEventsOf = () => false): Profile[] {
  const dflt = uncoveredDefault(config, env);
  if (!dflt) return config.profiles;
  if (config.profiles.length && !hasTranscripts(dflt.config_dir) && !hookEventsOf(dflt.name)) return config.profiles;
  return [...config.profiles, dflt];
}

/** `default` for the default config dir, unless a registered profile has that dir or name. */
export function uncoveredDefault(config: CcxConfig, env: Env = process.env): Profile | null {
  const dflt = defaultProfile(env);
  return config.profiles.some((p) => p.config_dir === dflt.config_dir || p.name === 'default') ? null : dflt;
}

/** Any `projects/<project>/<session>.jsonl` under the config dir (stops at the first). */
function hasTranscripts(configDir: string): boolean {
  const projects = join(configDir, 'projects');
  for (const project of readdirOrEmpty(projects)) {
    if (readdirOrEmpty(join(projects, project)).some((f) => f.endsWith('.jsonl'))) return true;
  }
  return false;
}

function readdirOrEmpty(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Any profile of another agent than Claude Code: then `ccx status` and `ccx profile list` name each profile's agent. */
export const hasOtherAgents = (profiles: readonly Pick<Profile, 'agent'>[]): boolean => profiles.some((p) => p.agent !== 'claude');

/** The profile a `claude` started from this environment would run in (CCX_ACTIVE_PROFILE first). */
export function activeProfile(profiles: Profile[], env: Env = process.env): string | null {
  const named = env.CCX_ACTIVE_PROFILE;
  if (named && profiles.some((x) => x.name === named)) return named;
  const dir = resolve(defaultConfigDir(env));
  return profiles.find((x) => x.config_dir === dir)?.name ?? null;
}

/** Which profile an event from `configDir` belongs to. */
export function profileForConfigDir(profiles: Profile[], configDir: string | null): string {
  if (configDir) {
    const hit = profiles.find((p) => p.config_dir === resolve(configDir));
    if (hit) return hit.name;
  }
  return 'default';
}
