// The hooks ccx registers in a Codex home (CODEX_HOME/config.toml), and the trust Codex asks of
// them: Codex skips a hook it does not manage until `[hooks.state."<key>"] trusted_hash` holds
// the hash of the hook's normalized identity (README.md, "Codex homes"; checked against the real
// Codex's `hooks/list` in test/e2e/codex-hooks.test.ts).
import { createHash } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import { HOOK_EVENTS, type HookEventName } from '../contracts/hook-input';
import { PROFILE_NAME_RE } from '../contracts/profile';
import { quotePosix } from '../shell';
import { SettingsError } from './errors';
import { guardedCommand, spooledCommand } from './guard';
import { hookIdentity } from './recognise';
import { splitPosixWords } from './words';

/**
 * How each Codex event is registered. Codex runs `async = true` in the background for every event
 * but SessionEnd, and shows nothing of an async hook's output (only its additionalContext reaches
 * the model, at the next turn); SessionEnd always runs sync, its timeout clamped to 3 s.
 * guarded: may show a warning; spooled-async: shell only, background; spooled-sync: shell only.
 */
const CODEX_REGISTRATION: Partial<Record<HookEventName, 'guarded' | 'spooled-async' | 'spooled-sync' | 'async-unless-enforce'>> = {
  SessionStart: 'guarded',
  UserPromptSubmit: 'guarded',
  PreToolUse: 'async-unless-enforce',
  Stop: 'guarded',
  SubagentStop: 'spooled-async',
  SessionEnd: 'spooled-sync',
  PreCompact: 'spooled-async',
  PostCompact: 'spooled-async',
};
export const CODEX_EVENTS = Object.keys(CODEX_REGISTRATION) as HookEventName[];

/** Seconds Codex gives a hook; SessionEnd's is clamped to at most 3 (its default is 1). */
const TIMEOUT_S = 10;
const SESSION_END_TIMEOUT_S = 3;

export type CodexInstallContext = { node: string; distDir: string; profile: string; enforce: boolean };
export type CodexHook = { event: HookEventName; command: string; timeout: number; async: boolean };

export function desiredCodexHooks(ctx: CodexInstallContext): CodexHook[] {
  if (!isAbsolute(ctx.node) || !isAbsolute(ctx.distDir)) {
    throw new SettingsError(`node (${ctx.node}) and dist dir (${ctx.distDir}) must be absolute paths`);
  }
  if (!PROFILE_NAME_RE.test(ctx.profile)) throw new SettingsError(`invalid profile name: ${JSON.stringify(ctx.profile)}`);
  return CODEX_EVENTS.map((event) => {
    const script = `${resolve(ctx.distDir)}/hooks/${HOOK_EVENTS[event]}.js`;
    const hook = [ctx.node, script, '--profile', ctx.profile, '--agent', 'codex'].map(quotePosix).join(' ');
    const how = CODEX_REGISTRATION[event]!;
    const wanted = how === 'async-unless-enforce' ? (ctx.enforce ? 'guarded' : 'spooled-async') : how;
    const timeout = event === 'SessionEnd' ? SESSION_END_TIMEOUT_S : TIMEOUT_S;
    // Codex runs a command with `$SHELL -lc`: the shell-only forms go through /bin/sh, whatever
    // the login shell is (fish reads `IFS= read` and `${…:-…}` otherwise).
    const sh = (s: string) => `/bin/sh -c ${quotePosix(s)}`;
    if (wanted === 'guarded') return { event, command: sh(guardedCommand(hook, ctx.profile)), timeout, async: false };
    return { event, command: sh(spooledCommand(hook, ctx.profile)), timeout, async: wanted === 'spooled-async' };
  });
}

/** `<node> <script> --profile <name>` of a ccx hook command, also inside `/bin/sh -c '…'`. */
export function codexHookIdentity(command: unknown): string | null {
  const words = typeof command === 'string' ? splitPosixWords(command) : null;
  if (words?.length === 3 && words[0] === '/bin/sh' && words[1] === '-c') return hookIdentity(words[2]);
  return hookIdentity(command);
}

/** Codex's snake_case name of an event: the trust key's and the hash's `event_name`. */
export const snakeEvent = (event: string): string => event.replace(/(?<!^)([A-Z])/g, '_$1').toLowerCase();

/** The key of `[hooks.state."<key>"]`: the config file's absolute path, event, group and handler index. */
export const codexHookKey = (configPath: string, event: string, group: number, handler = 0): string =>
  `${configPath}:${snakeEvent(event)}:${group}:${handler}`;

/** The timeout Codex hashes and runs: 600 s unset, at least 1; SessionEnd 1 s unset, at most 3. */
export function normalizedTimeout(event: string, timeout: unknown): number {
  const given = typeof timeout === 'number' && Number.isInteger(timeout) ? timeout : null;
  if (event === 'SessionEnd') return Math.min(Math.max(given ?? 1, 1), 3);
  return Math.max(given ?? 600, 1);
}

/** Events whose matcher Codex ignores (left out of the identity even when set). */
const NO_MATCHER: ReadonlySet<string> = new Set(['UserPromptSubmit', 'Stop']);

/**
 * `sha256:<hex>` of the hook's normalized identity as JSON, keys sorted, no spaces: what Codex
 * compares `trusted_hash` with.
 */
export function codexHookHash(event: string, entry: { command: string; timeout?: unknown; async?: unknown }, matcher?: string): string {
  const identity: Record<string, unknown> = {
    event_name: snakeEvent(event),
    hooks: [{ async: entry.async === true, command: entry.command, timeout: normalizedTimeout(event, entry.timeout), type: 'command' }],
  };
  if (matcher !== undefined && !NO_MATCHER.has(event)) identity.matcher = matcher;
  return `sha256:${createHash('sha256').update(sortedJson(identity)).digest('hex')}`;
}

function sortedJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(sortedJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${sortedJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}
