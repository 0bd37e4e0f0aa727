// The whole life of a hook process: read stdin (bounded), validate, append to the inbox, make
// sure a consolidator runs, maybe print one JSON object, exit 0. Whatever fails is logged to
// $CCX_HOME/logs/hooks.log and never reaches Claude Code.
import { join } from 'node:path';
import { type HookEventName, hookInputSchema } from '../contracts/hook-input';
import { INBOX_VERSION } from '../contracts/inbox';
import { appendInbox, newEventId } from '../inbox';
import { appendLog } from '../log';
import { ccxHome, ccxPaths, type Env } from '../paths';
import { ensureConsolidator } from '../spawn';
import { type HookOutput, hookOutput } from '../warnings';
import { configDirOf, isCodexHook, profileArg } from './origin';
import { readHookStdin } from './stdin';

/** A last resort if something below hangs: Claude Code must get its exit 0 in bounded time. */
const HARD_DEADLINE_MS = 8000;

export type HookDeps = { distDir: string; argv?: string[]; env?: Env; now?: () => number };

export async function runHook(event: HookEventName, deps: HookDeps): Promise<void> {
  const env = deps.env ?? process.env;
  const now = deps.now ?? Date.now;
  const paths = ccxPaths(ccxHome(env));
  const log = (msg: string) => appendLog(paths.hooksLog, `${event}: ${msg}`);
  const exit = () => process.exit(0);
  setTimeout(() => {
    log('hard deadline reached; exiting');
    exit();
  }, HARD_DEADLINE_MS).unref();
  process.on('uncaughtException', (err) => {
    log(`uncaught: ${err.stack ?? err.message}`);
    exit();
  });

  let output: HookOutput | null = null;
  try {
    output = await handle(event, deps, env, now, paths, log);
  } catch (err) {
    log(`failed: ${(err as Error).stack ?? String(err)}`);
  }
  if (output) process.stdout.write(`${JSON.stringify(output)}\n`);
  exit();
}

async function handle(
  event: HookEventName,
  deps: HookDeps,
  env: Env,
  now: () => number,
  paths: ReturnType<typeof ccxPaths>,
  log: (msg: string) => void,
): Promise<HookOutput | null> {
  const input = await readHookStdin();
  if (input.kind === 'too-large') {
    log(`stdin over the limit (${input.bytes}+ bytes); event dropped`);
    return null;
  }
  if (input.kind === 'invalid') {
    log(`${input.reason}; event dropped`);
    return null;
  }
  const parsed = hookInputSchema(event).safeParse(input.value);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    log(`invalid input (${why}); event dropped`);
    return null;
  }
  const payload = parsed.data;
  const receivedAt = now();
  const argv = deps.argv ?? process.argv.slice(2);
  const profile = profileArg(argv, log);
  const codex = isCodexHook(argv);
  const configDir = configDirOf(env, payload.transcript_path, codex);
  try {
    appendInbox(paths.inbox, {
      v: INBOX_VERSION,
      id: newEventId(receivedAt),
      kind: 'hook',
      received_at: receivedAt,
      profile,
      config_dir: configDir,
      ...(codex ? { agent: 'codex' as const } : {}),
      event,
      payload,
    });
  } catch (err) {
    // A read-only home loses the event, not the warning the hook owes.
    log(`event lost: ${(err as Error).message}`);
  }
  try {
    ensureConsolidator(paths, join(deps.distDir, 'consolidator.js'), receivedAt);
  } catch (err) {
    log(`could not start the consolidator: ${(err as Error).message}`);
  }
  const background = argv.includes('--async');
  return hookOutput({ paths, event, profile, configDir, sessionId: payload.session_id, now: receivedAt, background });
}
