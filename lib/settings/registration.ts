// Per event: does Claude Code wait for ccx's hook (sync), run it in the background (async), or
// wait only for a shell test that starts node when a warning may be due (guarded)? The table and
// its reasons are in README.md ("How each event is registered").

export type Registration = 'sync' | 'async' | 'guarded';

/**
 * guarded: may print a warning the user must see, but only while the profile is not quiet.
 * async-unless-enforce: PreToolUse, which must wait (guarded) only to deny.
 */
const REGISTRATION: Record<string, Registration | 'async-unless-enforce'> = {
  SessionStart: 'guarded',
  UserPromptSubmit: 'guarded',
  PreToolUse: 'async-unless-enforce',
  Stop: 'guarded',
  StopFailure: 'sync',
  SubagentStop: 'async',
  SessionEnd: 'async',
  PreCompact: 'async',
  PostCompact: 'async',
  Notification: 'async',
};

/** The first Claude Code release that runs `"async": true` hooks in the background. */
export const ASYNC_HOOKS_SINCE = '2.1.19';

export type RegistrationOptions = {
  /** The profile's `enforce`: PreToolUse must wait for ccx to deny. */
  enforce: boolean;
  /** False when the Claude Code in use predates ASYNC_HOOKS_SINCE: async events become sync. */
  asyncHooks: boolean;
};

/** A guarded hook is plain shell, which every Claude Code runs; only `async` needs a version. */
export function registrationOf(event: string, opts: RegistrationOptions): Registration {
  const how = REGISTRATION[event] ?? 'sync';
  const wanted = how === 'async-unless-enforce' ? (opts.enforce ? 'guarded' : 'async') : how;
  return wanted === 'async' && !opts.asyncHooks ? 'sync' : wanted;
}

/** The keys of a hook entry ccx decides; others a user added to ccx's entry are kept. */
export const CCX_ENTRY_KEYS = ['type', 'command', 'timeout', 'async'] as const;
