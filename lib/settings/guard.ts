// Shell commands of two registrations (registration.ts).
// Guarded: Claude Code waits only for /bin/sh, which starts the hook synchronously while the
// profile's quiet flag (lib/warnings/quiet.ts) is absent, and otherwise hands the event to a
// background hook and exits at once.
// Spooled: no node at all; the shell appends the event line to its own spool file
// (lib/inbox/spool.ts), or hands it to the hook when it cannot (no spool dir before the
// consolidator's first run).
//
// The background branch reads the event itself (`read`, a builtin: no fork) up to its newline:
// Claude Code writes one JSON line and stops writing when the shell exits, so a hook reading it
// later would lose what did not fit the pipe, and it sometimes leaves stdin open, so reading to
// EOF could hang. The hook's output is /dev/null: it prints nothing there (`--async`).
import { DEFAULT_HOME_DIR, QUIET_DIR, SPOOL_DIR } from '../paths';
import { quotePosix } from '../shell';

/** ccx's home in sh, by the rule of ccxHome(): $CCX_HOME, else $HOME/.ccx. */
const HOME = `"\${CCX_HOME:-$HOME/${DEFAULT_HOME_DIR}}"`;
const quietFlag = (profile: string): string => `${HOME}/${QUIET_DIR}/${quotePosix(profile)}`;

/** `hook` is the plain command line, `<node> <script> --profile <name>`. */
export function guardedCommand(hook: string, profile: string): string {
  return [
    `test -e ${quietFlag(profile)} || exec ${hook}`,
    `IFS= read -r e`,
    `{ printf '%s\\n' "$e" | ${hook} --async ; } >/dev/null 2>&1 &`,
  ].join(' ; ');
}

/** `hook` as above. The file is the shell's own (`$$`): no other writer interleaves with it. */
export function spooledCommand(hook: string, profile: string): string {
  return [
    `IFS= read -r e`,
    `printf '%s\\n' "$e" 2>/dev/null >> ${HOME}/${SPOOL_DIR}/${quotePosix(profile)}.$$ || { printf '%s\\n' "$e" | exec ${hook} --async ; }`,
  ].join(' ; ');
}
