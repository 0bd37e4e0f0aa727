// `ccx hooks install|uninstall|status`, and the per-profile install that install.sh and
// `ccx profile add` share.

import type { Profile } from '../contracts/profile';
import { type HooksReport, judgeHooks, verdictStatus } from '../doctor';
import { printable } from '../format';
import {
  installCodexHooks,
  installHooks,
  offerStatusLine,
  SettingsError,
  settingsPath,
  uninstallCodexHooks,
  uninstallHooks,
} from '../settings';
import { flag, parse, str } from './args';
import type { CliContext } from './context';
import { describe, UsageError } from './errors';
import { installOpenCodeProfile, openCodeStatus, uninstallOpenCodeProfile } from './opencode';
import { findProfile, hookedCandidates, hookTargets, installContext, loadConfig } from './targets';

export async function hooksCommand(argv: string[], ctx: CliContext): Promise<number> {
  const [sub, ...rest] = argv;
  const extra = OPTIONS[sub as keyof typeof OPTIONS];
  if (!extra)
    throw new UsageError(sub === undefined ? 'missing a hooks command: install, uninstall or status' : `unknown hooks command "${sub}"`);
  const p = parse(rest, { profile: { type: 'string' }, ...extra }, { min: 0, max: 0, names: '' });
  const config = loadConfig(ctx);
  const name = str(p, 'profile');
  const only = name === undefined ? null : [findProfile(ctx, config, name)];
  switch (sub) {
    case 'install':
      return eachProfile(ctx, only ?? hookTargets(ctx, config), (prof) =>
        installProfile(ctx, prof, { statusLine: !flag(p, 'no-statusline') }),
      );
    case 'uninstall':
      return eachProfile(ctx, only ?? hookedCandidates(ctx, config), (prof) => uninstallProfile(ctx, prof));
    default:
      return printStatus(ctx, only ?? statusTargets(ctx, config), flag(p, 'json'));
  }
}

const OPTIONS = {
  install: { 'no-statusline': { type: 'boolean' } },
  uninstall: {},
  status: { json: { type: 'boolean' } },
} as const;

/** Runs `fn` per profile; a refused settings.json is reported and the others still go ahead. */
export function eachProfile(ctx: CliContext, profiles: Profile[], fn: (p: Profile) => void): number {
  let failed = 0;
  for (const p of profiles) {
    try {
      fn(p);
    } catch (err) {
      if (!(err instanceof SettingsError)) throw err;
      ctx.err(`ccx: ${p.name}: ${describe(err)}\n`);
      failed++;
    }
  }
  return failed > 0 ? 1 : 0;
}

export function installProfile(ctx: CliContext, p: Profile, opts: { statusLine: boolean }): void {
  if (p.agent === 'opencode') {
    installOpenCodeProfile(ctx, p);
    return;
  }
  const path = settingsPath(p);
  const now = () => new Date(ctx.now());
  if (p.agent === 'codex') {
    // Codex has no status line to offer: hooks (trusted) only.
    const r = installCodexHooks(p.config_dir, installContext(ctx, p), { now });
    ctx.out(
      `${p.name}: ${r.changed ? 'Codex hooks installed and trusted in' : 'Codex hooks already installed in'} ${path}${r.backup ? ` (backup: ${r.backup})` : ''}\n`,
    );
    return;
  }
  const r = installHooks(path, installContext(ctx, p), { now });
  ctx.out(
    `${p.name}: ${r.changed ? 'hooks installed in' : 'hooks already installed in'} ${path}${r.backup ? ` (backup: ${r.backup})` : ''}\n`,
  );
  if (r.disableAllHooks)
    ctx.out(`${p.name}: note: "disableAllHooks": true in ${path} keeps Claude Code from running any hook; remove it for ccx to record\n`);
  if (!opts.statusLine) return;
  const s = offerStatusLine(path, installContext(ctx, p), { now });
  const said = {
    added: 'status line added (ccx usage and quota; leave it out with --no-statusline)',
    updated: 'status line pointed at this checkout',
    user: 'status line: yours is kept, ccx does not replace it',
    unchanged: null,
    absent: null,
  }[s.outcome];
  if (said) ctx.out(`${p.name}: ${said}\n`);
}

export function uninstallProfile(ctx: CliContext, p: Profile): void {
  if (p.agent === 'opencode') {
    uninstallOpenCodeProfile(ctx, p);
    return;
  }
  const path = settingsPath(p);
  const opts = { now: () => new Date(ctx.now()) };
  const r = p.agent === 'codex' ? uninstallCodexHooks(p.config_dir, opts) : uninstallHooks(path, opts);
  ctx.out(`${p.name}: ${r.changed ? 'ccx hooks removed from' : 'no ccx hooks in'} ${path}\n`);
}

/** Hook targets, plus the default config dir when it still holds ccx hooks nobody targets. */
export function statusTargets(ctx: CliContext, config: ReturnType<typeof loadConfig>): Profile[] {
  const targets = hookTargets(ctx, config);
  const extra = hookedCandidates(ctx, config).filter((p) => !targets.some((t) => t.name === p.name) && hasCcxEntries(ctx, p));
  return [...targets, ...extra];
}

export function hasCcxEntries(ctx: CliContext, p: Profile): boolean {
  const verdict = judgeHooks(p, settingsPath(p), installContext(ctx, p));
  return verdict.state !== 'invalid' && verdict.state !== 'missing';
}

export type StatusLine = { profile: string } & HooksReport;

export const describeStatus = (ctx: CliContext, p: Profile): StatusLine =>
  p.agent === 'opencode'
    ? openCodeStatus(ctx, p)
    : { profile: p.name, settings: settingsPath(p), ...judgeHooks(p, settingsPath(p), installContext(ctx, p)) };

/** Exit 1 when any profile's hooks are in a state doctor fails (invalid, missing, outdated…). */
function printStatus(ctx: CliContext, profiles: Profile[], json: boolean): number {
  const lines = profiles.map((p) => describeStatus(ctx, p));
  const code = lines.some((l) => verdictStatus(l) === 'fail') ? 1 : 0;
  if (json) {
    ctx.out(`${JSON.stringify(lines, null, 2)}\n`);
    return code;
  }
  const width = Math.max(...lines.map((l) => l.profile.length));
  for (const l of lines) {
    ctx.out(`${l.profile.padEnd(width)}  ${l.state.padEnd(9)}  ${printable(l.detail)}  (${printable(l.settings)})\n`);
    if (l.fix) ctx.out(`${' '.repeat(width)}  fix: ${printable(l.fix)}\n`);
  }
  return code;
}
