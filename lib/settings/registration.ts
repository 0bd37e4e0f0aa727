// Per event: does Claude Code wait for ccx's hook (sync) or run it in the background (async)?
// The table and its reasons are in README.md ("Sync or async, per event"). An async hook's output
// is discarded, so a hook registered async is told so (`--async`) and prints nothing.

/** sync: may print a warning (or, PreToolUse with enforce, a deny) the user must see. */
const REGISTRATION: Record<string, 'sync' | 'async' | 'sync-if-enforce'> = {
  SessionStart: 'sync',
  UserPromptSubmit: 'sync',
  PreToolUse: 'sync-if-enforce',
  Stop: 'sync',
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
  /** The profile's `enforce`: PreToolUse must be sync to deny. */
  enforce: boolean;
  /** False when the Claude Code in use predates ASYNC_HOOKS_SINCE: everything sync, as before. */
  asyncHooks: boolean;
};

export function registersAsync(event: string, opts: RegistrationOptions): boolean {
  if (!opts.asyncHooks) return false;
  const how = REGISTRATION[event] ?? 'sync';
  return how === 'async' || (how === 'sync-if-enforce' && !opts.enforce);
}

/** The keys of a hook entry ccx decides; others a user added to ccx's entry are kept. */
export const CCX_ENTRY_KEYS = ['type', 'command', 'timeout', 'async'] as const;
