// `ccx run [--profile NAME] [--print-only] [--supervise] [--claude PATH] [-- CLAUDE_ARGS…]`:
// starts Claude Code in the profile with the most headroom (lib/run).
import { randomUUID } from 'node:crypto';
import {
  carrySession,
  chooseProfile,
  exitStatus,
  findClaude,
  launchFor,
  NOTICE_MS,
  newestSession,
  printLine,
  RunError,
  spawnChild,
  supervise,
} from '../run';
import { resolveTimeZone } from '../time';
import { readSnapshot } from '../warnings';
import { flag, type Parsed, parse, str } from './args';
import type { CliContext } from './context';
import { CliError } from './errors';
import { loadConfig, watched } from './targets';

export async function runCommand(argv: string[], ctx: CliContext): Promise<number> {
  // ccx's own options come before `--`; everything after it is claude's, untouched.
  const cut = argv.indexOf('--');
  const own = cut === -1 ? argv : argv.slice(0, cut);
  const claudeArgs = cut === -1 ? [] : argv.slice(cut + 1);
  const p = parse(
    own,
    { profile: { type: 'string' }, 'print-only': { type: 'boolean' }, supervise: { type: 'boolean' }, claude: { type: 'string' } },
    { min: 0, max: 0, names: '' },
  );
  try {
    return await run(ctx, p, claudeArgs);
  } catch (err) {
    if (err instanceof RunError) throw new CliError(err.message);
    throw err;
  }
}

async function run(ctx: CliContext, parsed: Parsed, claudeArgs: string[]): Promise<number> {
  const config = loadConfig(ctx);
  // `ccx run` starts Claude Code: never in another agent's home, even when quota.json suggests one
  // (suggest_across_agents).
  const profiles = watched(ctx, config).filter((p) => p.agent === 'claude');
  const tz = resolveTimeZone(ctx.env.TZ);
  const snapshot = readSnapshot(ctx.paths.quota);
  const choice = chooseProfile({
    profiles,
    registered: config.profiles.length,
    snapshot,
    named: str(parsed, 'profile'),
    now: ctx.now(),
    tz,
  });
  const binary = findClaude(str(parsed, 'claude'), ctx.env);
  const launch = launchFor(binary, choice.profile, claudeArgs, ctx.env);
  ctx.err(`ccx: ${choice.why}\n`);
  if (flag(parsed, 'print-only')) {
    ctx.out(`${printLine(launch)}\n`);
    return 0;
  }
  if (!flag(parsed, 'supervise')) return exitStatus(await spawnChild(launch).exited);
  const exit = await supervise(
    { binary, profile: choice.profile, profiles, args: claudeArgs, env: ctx.env, tz, pauseMs: ctx.errIsTTY ? NOTICE_MS : 0 },
    {
      spawn: spawnChild,
      snapshot: () => readSnapshot(ctx.paths.quota),
      now: ctx.now,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      err: ctx.err,
      newId: randomUUID,
      carry: carrySession,
      newest: newestSession,
    },
  );
  return exitStatus(exit);
}
