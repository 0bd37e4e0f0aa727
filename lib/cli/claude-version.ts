// Which Claude Code the hooks are registered for: `claude --version` from PATH, asked once per
// ccx command. Claude Code before ASYNC_HOOKS_SINCE waits for every hook, so ccx registers the
// async events sync there (guarded ones are plain shell and stay guarded); an unknown version (no
// claude on PATH) is taken to be a current one.
import { spawnSync } from 'node:child_process';
import type { Env } from '../paths';
import { ASYNC_HOOKS_SINCE } from '../settings';

export type ClaudeVersion = {
  /** "2.1.329", or null when no claude on PATH answered. */
  version: string | null;
  asyncHooks: boolean;
};

const VERSION_TIMEOUT_MS = 5000;

export function detectClaudeVersion(env: Env): ClaudeVersion {
  const r = spawnSync('claude', ['--version'], { env, encoding: 'utf8', timeout: VERSION_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'ignore'] });
  const version = r.status === 0 ? (/\b(\d+\.\d+\.\d+)\b/.exec(r.stdout)?.[1] ?? null) : null;
  return { version, asyncHooks: version === null || compareVersions(version, ASYNC_HOOKS_SINCE) >= 0 };
}

/** Numeric compare of dotted versions: negative, zero or positive. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** What doctor says about it. */
export function describeClaudeVersion(v: ClaudeVersion): string {
  if (v.version === null)
    return `claude not on PATH: version unknown, hooks registered async where the table says (Claude Code >= ${ASYNC_HOOKS_SINCE} assumed)`;
  return v.asyncHooks
    ? `Claude Code ${v.version}: async hooks supported (>= ${ASYNC_HOOKS_SINCE}), registered async where the table says`
    : `Claude Code ${v.version} is older than ${ASYNC_HOOKS_SINCE}: the events registered async elsewhere are sync`;
}
