// `ccx statusline`: Claude Code's status line command. Prints one line (profile, 5 h and weekly
// use with their resets, today's and the session's cost, context, model: fields.ts, laid out by
// layout.ts) and records the rate_limits Claude Code passes it through the inbox — only when they
// changed or the last record is getting old, since Claude Code runs this every few seconds. Same
// rules as a hook: bounded, never throws, exit 0.

import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-write';
import { SESSION_ID_RE } from '../contracts/hook-input';
import { INBOX_VERSION } from '../contracts/inbox';
import type { Band } from '../contracts/quota';
import { ANSI_FG, BAND_COLOR } from '../format';
import { configDirOf, profileArg, readHookStdin } from '../hook';
import { appendInbox, newEventId } from '../inbox';
import { appendLog } from '../log';
import { type CcxPaths, ccxHome, ccxPaths, type Env } from '../paths';
import { ensureConsolidator } from '../spawn';
import { resolveTimeZone } from '../time';
import { readSnapshot, snapshotProfile } from '../warnings';
import { type Limits, type LineInput, lineFields } from './fields';
import { fit, type Template } from './layout';
import { FIELD_LIST, lineWidth, templateOf } from './options';

/** Re-record unchanged figures this often, so the consolidator keeps them fresh. */
export const RERECORD_MS = 5 * 60_000;

export type StatusLineDeps = { distDir: string; argv?: string[]; env?: Env; now?: () => number };

export async function runStatusLine(deps: StatusLineDeps): Promise<void> {
  const env = deps.env ?? process.env;
  const now = (deps.now ?? Date.now)();
  const paths = ccxPaths(ccxHome(env));
  let line = 'ccx';
  try {
    const input = await readHookStdin({ idleMs: 1000, totalMs: 2000 });
    const data = input.kind === 'json' && input.value && typeof input.value === 'object' ? (input.value as Record<string, unknown>) : {};
    const argv = deps.argv ?? process.argv.slice(3);
    const log = (msg: string) => appendLog(paths.hooksLog, `statusline: ${msg}`);
    const { template, problem } = templateOf(argv);
    if (problem) {
      // Claude Code shows only stdout (the line says it too); a person trying a template sees this.
      process.stderr.write(`ccx statusline: ${problem} (fields: ${FIELD_LIST})\n`);
      log(`${problem} (fields: ${FIELD_LIST})`);
    }
    const configDir = configDirOf(env, data.transcript_path);
    const { name: profile, quota } = snapshotProfile(readSnapshot(paths.quota), profileArg(argv, log), configDir);
    const limits = (data.rate_limits && typeof data.rate_limits === 'object' ? data.rate_limits : null) as Limits | null;
    if (limits) record(paths, profile, configDir, limits, data.session_id, now);
    ensureConsolidator(paths, join(deps.distDir, 'consolidator.js'), now);
    line = render({ profile, quota, status: data, now, tz: resolveTimeZone(env.TZ) }, template, env);
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

/** The line: the template's fields fitted to the terminal, in the band's colour unless NO_COLOR. */
export function render(input: LineInput, template: Template, env: Env): string {
  const { fields, band } = lineFields(input);
  const text = fit(template, fields, lineWidth(env));
  const color = env.NO_COLOR ? '' : bandSgr(band);
  return color ? `${color}${text}\x1b[0m` : text;
}
