// Which profiles a command acts on, and where each one's settings.json is.
import { existsSync } from 'node:fs';
import type { Profile } from '../contracts/profile';
import { type CcxConfig, defaultProfile, readConfig, uncoveredDefault, watchedProfiles } from '../profiles';
import type { InstallContext } from '../settings';
import { type Db, hasHookEvents, openDb } from '../store';
import type { CliContext } from './context';
import { CliError } from './errors';

export const loadConfig = (ctx: CliContext): CcxConfig => readConfig(ctx.paths.config);

export const installContext = (ctx: CliContext, p: Profile): InstallContext => ({
  node: ctx.node,
  distDir: ctx.distDir,
  profile: p.name,
  enforce: p.enforce,
  // Codex's own rules decide its registrations (lib/settings/codex-hooks.ts): no claude asked.
  asyncHooks: p.agent === 'codex' || ctx.claudeVersion().asyncHooks,
});

/** A registered profile, or `default` (the default config dir) when no registered one is named so. */
export function findProfile(ctx: CliContext, config: CcxConfig, name: string): Profile {
  const hit = config.profiles.find((p) => p.name === name);
  if (hit) return hit;
  if (name === 'default') return defaultProfile(ctx.env);
  const known = config.profiles.map((p) => p.name).join(', ') || 'none';
  throw new CliError(`no profile "${name}" (registered: ${known}); add it with: ccx profile add ${name} --config-dir DIR`);
}

/** Where hooks go: every registered profile, or the default config dir when none is registered. */
export function hookTargets(ctx: CliContext, config: CcxConfig): Profile[] {
  return config.profiles.length > 0 ? config.profiles : [defaultProfile(ctx.env)];
}

/** Where ccx's hooks may be found: the registered profiles and the default config dir, used or not. */
export function hookedCandidates(ctx: CliContext, config: CcxConfig): Profile[] {
  const dflt = uncoveredDefault(config, ctx.env);
  return dflt ? [...config.profiles, dflt] : config.profiles;
}

/** The profiles ccx watches (lib/profiles watchedProfiles), with state.db's hook events when there is one. */
export function watched(ctx: CliContext, config: CcxConfig): Profile[] {
  if (!existsSync(ctx.paths.db)) return watchedProfiles(config, ctx.env);
  let db: Db | null = null;
  try {
    db = openDb(ctx.paths.db, { readonly: true });
    const open = db;
    return watchedProfiles(config, ctx.env, (name) => hasHookEvents(open, name));
  } catch {
    return watchedProfiles(config, ctx.env); // an unreadable database is ccx doctor's to report
  } finally {
    db?.close();
  }
}
