// The plan tier a profile's Claude Code login names, for profiles whose config.toml says none.
// Claude Code keeps the account in `.claude.json`: `<config dir>/.claude.json` under
// CLAUDE_CONFIG_DIR, `~/.claude.json` beside the default `~/.claude`. Its `oauthAccount` has
// `organizationType` ("claude_max", "claude_pro", "claude_team", "claude_enterprise") and the
// rate-limit tiers (`organizationRateLimitTier` / `userRateLimitTier`, e.g.
// "default_claude_max_20x", "default_claude_max_5x", "default_claude_ai").
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { PlanTier } from '../contracts/profile';

type Account = { organizationType?: unknown; organizationRateLimitTier?: unknown; userRateLimitTier?: unknown };

/** pro / max5 / max20 from the account, or null when it names no plan ccx has caps for (team, API key, none). */
export function planFromAccount(account: Account | null | undefined): PlanTier | null {
  if (!account || typeof account !== 'object') return null;
  const tiers = [account.userRateLimitTier, account.organizationRateLimitTier].filter((t): t is string => typeof t === 'string');
  if (account.organizationType === 'claude_pro') return 'pro';
  if (account.organizationType !== 'claude_max') return null;
  // A Max account without a multiplier is taken as the smaller one: its cap warns early, never late.
  return tiers.some((t) => t.endsWith('_20x')) ? 'max20' : 'max5';
}

/** Where Claude Code keeps this config dir's account file: inside it, or `~/.claude.json` for `~/.claude`. */
export function accountFiles(configDir: string): string[] {
  const inside = join(configDir, '.claude.json');
  return basename(configDir) === '.claude' ? [inside, join(dirname(configDir), '.claude.json')] : [inside];
}

// .claude.json also holds every project's history (often megabytes) and config.toml is read on
// every consolidator pass: parse a file again only when it changed.
const cache = new Map<string, { key: string; tier: PlanTier | null }>();

export function detectPlanTier(configDir: string): PlanTier | null {
  for (const file of accountFiles(configDir)) {
    let key: string;
    try {
      const st = statSync(file);
      key = `${st.ino}:${st.size}:${st.mtimeMs}`;
    } catch {
      continue; // no file here: try the next place
    }
    const hit = cache.get(file);
    if (hit?.key === key) return hit.tier;
    let tier: PlanTier | null = null;
    try {
      tier = planFromAccount((JSON.parse(readFileSync(file, 'utf8')) as { oauthAccount?: Account }).oauthAccount);
    } catch {
      // unreadable or not JSON: Claude Code's file, not ours to judge; no plan from it
    }
    cache.set(file, { key, tier });
    return tier;
  }
  return null;
}
