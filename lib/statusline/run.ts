// `ccx statusline`: Claude Code's status line command. Prints one short line (profile, 5 h and
// weekly use, cost today, reset time) and records the rate_limits Claude Code passes it through
// the inbox — only when they changed or the last record is getting old, since Claude Code runs
// this every few seconds. Same rules as a hook: bounded, never throws, exit 0.

import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-write';
import { SESSION_ID_RE } from '../contracts/hook-input';
import { INBOX_VERSION } from '../contracts/inbox';
import { type Band, bandOf, type ProfileQuota } from '../contracts/quota';
import { ANSI_FG, BAND_COLOR, pct, resetClock, usdPlain } from '../format';
import { configDirOf, profileArg, readHookStdin } from '../hook';
import { appendInbox, newEventId } from '../inbox';
import { appendLog } from '../log';
import { type CcxPaths, ccxHome, ccxPaths, type Env } from '../paths';
import { ensureConsolidator } from '../spawn';
import { epochMs, resolveTimeZone } from '../time';
import { readSnapshot, snapshotProfile } from '../warnings';

/** Re-record unchanged figures this often, so the consolidator keeps them fresh. */
export const RERECORD_MS = 5 * 60_000;

type Limit = { used_percentage?: unknown; resets_at?: unknown };
type Limits = { five_hour?: Limit; seven_day?: Limit };

export type StatusLineDeps = { distDir: string; argv?: string[]; env?: Env; now?: () => number };

export async function runStatusLine(deps: StatusLineDeps): Promise<void> {
  const env = deps.env ?? process.env;
  const now = (deps.now ?? Date.now)();
  const paths = ccxPaths(ccxHome(env));
  let line = 'ccx';
  try {
    const input = await readHookStdin({ idleMs: 1000, totalMs: 2000 });
    const data = input.kind === 'json' && input.value && typeof input.value === 'object' ? (input.value as Record<string, unknown>) : {};
    const named = profileArg(deps.argv ?? process.argv.slice(3), (msg) => appendLog(paths.hooksLog, `statusline: ${msg}`));
    const configDir = configDirOf(env, data.transcript_path);
    const { name: profile, quota } = snapshotProfile(readSnapshot(paths.quota), named, configDir);
    const limits = (data.rate_limits && typeof data.rate_limits === 'object' ? data.rate_limits : null) as Limits | null;
    if (limits) record(paths, profile, configDir, limits, data.session_id, now);
    ensureConsolidator(paths, join(deps.distDir, 'consolidator.js'), now);
    line = render(profile, quota, limits, now, env);
  } catch (err) {
    appendLog(paths.hooksLog, `statusline: ${(err as Error).stack ?? String(err)}`);
  }
  process.stdout.write(`${line}\n`);
  process.exit(0);
}

function record(paths: CcxPaths, profile: string, configDir: string | null, limits: Limits, sessionId: unknown, now: number): void {
  const key = JSON.stringify([
    limits.five_hour?.used_percentage,
    limits.five_hour?.resets_at,
    limits.seven_day?.used_percentage,
    limits.seven_day?.resets_at,
  ]);
  const stateFile = join(paths.statusline, `${profile}.json`);
  try {
    const last = JSON.parse(readFileSync(stateFile, 'utf8')) as { key: string; at: number };
    if (last.key === key && now - last.at < RERECORD_MS) return;
  } catch {
    // First record for this profile.
  }
  appendInbox(paths.inbox, {
    v: INBOX_VERSION,
    id: newEventId(now),
    kind: 'statusline',
    received_at: now,
    profile,
    config_dir: configDir,
    event: 'StatusLine',
    payload: {
      ...(typeof sessionId === 'string' && SESSION_ID_RE.test(sessionId) ? { session_id: sessionId } : {}),
      rate_limits: { five_hour: limits.five_hour, seven_day: limits.seven_day },
    },
  });
  mkdirSync(paths.statusline, { recursive: true, mode: 0o700 });
  // Renamed into place: a symlink there is replaced, never written through.
  writeFileAtomic(stateFile, JSON.stringify({ key, at: now }), { mode: 0o600, durable: false });
}

/** The band's colour, bold at hard; none at ok: the line is always on screen, so it only calls out. */
function bandSgr(band: Band): string {
  if (band === 'ok') return '';
  return `\x1b[${band === 'hard' ? '1;' : ''}${ANSI_FG[BAND_COLOR[band]]}m`;
}

function pctOf(l: Limit | undefined): number | null {
  return l && typeof l.used_percentage === 'number' ? l.used_percentage : null;
}

function resetOf(l: Limit | undefined): number | null {
  if (!l || typeof l.resets_at !== 'number') return null;
  return epochMs(l.resets_at);
}

/**
 * The band of the figures the line shows: Claude Code's rate_limits just received replace the
 * snapshot's 5 h and weekly windows (quota.json lags them by a consolidator pass); the snapshot's
 * other windows and its unavailability still count.
 */
function lineBand(q: ProfileQuota | undefined, fivePct: number | null, weekPct: number | null): Band {
  if (q?.unavailable_until != null) return 'hard';
  const others = Object.entries(q?.windows ?? {}).flatMap(([name, w]) => (name === 'five_hour' || name === 'weekly' ? [] : [w.pct]));
  const pcts = [fivePct, weekPct, ...others].filter((p): p is number => p !== null);
  return bandOf(pcts.length ? Math.max(...pcts) : null);
}

/** "work │ 5h 42% ↻14:05 │ wk 18% │ $3.21 today" — Claude Code's own figures first, then ccx's. */
export function render(profile: string, q: ProfileQuota | undefined, limits: Limits | null, now: number, env: Env): string {
  const tz = resolveTimeZone(env.TZ);
  const five = q?.windows.five_hour;
  const week = q?.windows.weekly;
  const fivePct = pctOf(limits?.five_hour) ?? five?.pct ?? null;
  const weekPct = pctOf(limits?.seven_day) ?? week?.pct ?? null;
  const reset = resetOf(limits?.five_hour) ?? five?.resets_at ?? null;
  const parts = [profile];
  if (fivePct !== null) parts.push(`5h ${pct(fivePct)}${reset !== null && reset > now ? ` ↻${resetClock(reset, now, tz)}` : ''}`);
  else if (five?.used !== null && five?.used !== undefined) parts.push(`5h ${five.used} turns`);
  if (weekPct !== null) parts.push(`wk ${pct(weekPct)}`);
  if (q) parts.push(`${usdPlain(q.today.usd)} today`);
  const text = parts.join(' │ ');
  const color = env.NO_COLOR ? '' : bandSgr(lineBand(q, fivePct, weekPct));
  return color ? `${color}${text}\x1b[0m` : text;
}
