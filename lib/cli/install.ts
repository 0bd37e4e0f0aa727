// `ccx install` (internal, run by install.sh after the build): register the profile asked for,
// put the hooks (and the status line offer) into the target profiles, run a first consolidation
// and print the summary report. `--uninstall` takes the hooks out of every profile, data kept.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { consolidatorDeps, runOnce } from '../consolidator';
import { PROFILE_NAME_RE, type Profile } from '../contracts/profile';
import { bytes } from '../format';
import { coerceField, type FieldValues, registerProfile } from '../profiles';
import { flag, parse, str } from './args';
import { linkCommands, unlinkCommands } from './bin-links';
import type { CliContext } from './context';
import { UsageError } from './errors';
import { eachProfile, installProfile, uninstallProfile } from './hooks';
import { guessShell, rcAdvice } from './shell';
import { hookedCandidates, hookTargets, loadConfig } from './targets';

const OPTIONS = {
  profile: { type: 'string' },
  'config-dir': { type: 'string' },
  'plan-tier': { type: 'string' },
  agent: { type: 'string' },
  uninstall: { type: 'boolean' },
  'no-report': { type: 'boolean' },
  'no-statusline': { type: 'boolean' },
} as const;

export async function installCommand(argv: string[], ctx: CliContext): Promise<number> {
  const p = parse(argv, OPTIONS, { min: 0, max: 0, names: '' });
  const name = str(p, 'profile');
  if (name === undefined && (str(p, 'config-dir') !== undefined || str(p, 'plan-tier') !== undefined || str(p, 'agent') !== undefined)) {
    throw new UsageError('--config-dir, --plan-tier and --agent need --profile NAME');
  }
  if (name !== undefined && !PROFILE_NAME_RE.test(name))
    throw new UsageError(`invalid profile name ${JSON.stringify(name)}: use letters, digits, "-" and "_"`);
  if (flag(p, 'uninstall')) return uninstall(ctx, name);

  const targets = name === undefined ? hookTargets(ctx, loadConfig(ctx)) : [register(ctx, name, p.values)];
  const code = eachProfile(ctx, targets, (prof) => installProfile(ctx, prof, { statusLine: !flag(p, 'no-statusline') }));
  const shell = guessShell(ctx);
  const links = linkCommands(ctx, shell);
  await firstConsolidation(ctx);
  if (!flag(p, 'no-report')) report(ctx);
  ctx.out(`\nccx is recording. Check it any time with: ${links.run.ccx} doctor; reports: ${links.run['ccx-report']} --help\n`);
  if (links.pathHint) ctx.out(`To run ccx and ccx-report by name, ${links.pathHint}\n`);
  ctx.out(`Switch profiles with \`ccx use NAME\`: ${rcAdvice(ctx, shell)}\n`);
  return code;
}

/** Adds the profile, or brings an existing one to the given dir and tier (unchanged: no write). */
function register(ctx: CliContext, name: string, values: Record<string, unknown>): Profile {
  const given: FieldValues = {};
  const resolvePath = (d: string) => resolve(d);
  if (typeof values['config-dir'] === 'string') given.config_dir = coerceField('config_dir', values['config-dir'], resolvePath);
  if (typeof values['plan-tier'] === 'string') given.plan_tier = coerceField('plan_tier', values['plan-tier'], resolvePath);
  if (typeof values.agent === 'string') given.agent = coerceField('agent', values.agent, resolvePath);
  const { profile, previous, changed } = registerProfile(ctx.paths.config, name, given);
  if (previous === null) ctx.out(`registered profile ${name} (${profile.config_dir}, plan ${profile.plan_tier})\n`);
  else if (changed) ctx.out(`updated profile ${name} (${profile.config_dir}, plan ${profile.plan_tier})\n`);
  // Moved to another config dir (or agent, another file): the old one keeps no hooks of this profile.
  if (previous && (previous.config_dir !== profile.config_dir || previous.agent !== profile.agent))
    eachProfile(ctx, [previous], (prof) => uninstallProfile(ctx, prof));
  return profile;
}

function uninstall(ctx: CliContext, name: string | undefined): number {
  const config = loadConfig(ctx);
  const all = hookedCandidates(ctx, config);
  const targets = name === undefined ? all : all.filter((x) => x.name === name);
  if (targets.length === 0) throw new UsageError(`no profile "${name}"`);
  const code = eachProfile(ctx, targets, (prof) => uninstallProfile(ctx, prof));
  // The links serve every profile: they go only with a whole uninstall.
  if (name === undefined) unlinkCommands(ctx);
  ctx.out(`ccx's data is kept in ${ctx.paths.home}; remove that directory to delete the history too\n`);
  return code;
}

async function firstConsolidation(ctx: CliContext): Promise<void> {
  let last = '';
  const progress = ctx.errIsTTY
    ? ({ files, filesTotal, bytes: b }: { files: number; filesTotal: number; bytes: number }) => {
        const line = `reading transcripts: ${files}/${filesTotal} files, ${bytes(b)}`;
        if (line !== last) ctx.err(`\r${line}\x1b[K`);
        last = line;
      }
    : undefined;
  ctx.out('first consolidation of the existing transcripts...\n');
  const r = await runOnce(consolidatorDeps(ctx.env, { onScanProgress: progress }));
  if (last) ctx.err('\r\x1b[K');
  ctx.out(`${consolidatedLine(r)}\n`);
}

/** What the pass did, in words: a re-run that found nothing new says so instead of "(0 B)". */
function consolidatedLine(r: Awaited<ReturnType<typeof runOnce>>): string {
  if (r.ranBy !== 'self') return 'consolidated by the running consolidator';
  const { scan, inbox } = r.stats;
  if (scan.bytesRead === 0 && inbox.records === 0) return 'nothing new to consolidate';
  return `consolidated ${scan.files} transcript files (${bytes(scan.bytesRead)}) and ${inbox.records} hook events`;
}

/** The summary report; a report that cannot run yet is a note, not a failed install. */
function report(ctx: CliContext): void {
  ctx.out('\n');
  // stdout straight through: the report sees the user's terminal (width, colour) as it is.
  const r = spawnSync(ctx.node, [join(ctx.distDir, 'ccx-report.js')], {
    env: ctx.env as NodeJS.ProcessEnv,
    encoding: 'utf8',
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  if (r.status === 0) {
    // Its notes, e.g. that nothing is recorded yet (it then prints no table).
    ctx.err(r.stderr);
    return;
  }
  const why = r.error ? r.error.message : `exited ${r.status ?? r.signal}${r.stderr.trim() ? `: ${r.stderr.trim().split('\n')[0]}` : ''}`;
  ctx.err(`ccx: note: no summary report (ccx-report ${why}); run it later with: ${ctx.node} ${join(ctx.distDir, 'ccx-report.js')}\n`);
}
