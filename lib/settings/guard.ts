// The command of a guarded registration (registration.ts): Claude Code waits only for /bin/sh,
// which starts the hook synchronously while the profile's quiet flag (lib/warnings/quiet.ts) is
// absent, and otherwise hands the event to a background hook and exits at once.
//
// The background branch reads the event itself (`read`, a builtin: no fork) up to its newline:
// Claude Code writes one JSON line and stops writing when the shell exits, so a hook reading it
// later would lose what did not fit the pipe, and it sometimes leaves stdin open, so reading to
// EOF could hang. The hook's output is /dev/null: it prints nothing there (`--async`).
import { DEFAULT_HOME_DIR, QUIET_DIR } from '../paths';
import { quotePosix } from '../shell';

/** The quiet flag's path in sh, by the rule of ccxHome(): $CCX_HOME, else $HOME/.ccx. */
const quietFlag = (profile: string): string => `"\${CCX_HOME:-$HOME/${DEFAULT_HOME_DIR}}"/${QUIET_DIR}/${quotePosix(profile)}`;

/** `hook` is the plain command line, `<node> <script> --profile <name>`. */
export function guardedCommand(hook: string, profile: string): string {
  return [
    `test -e ${quietFlag(profile)} || exec ${hook}`,
    `IFS= read -r e`,
    `{ printf '%s\\n' "$e" | ${hook} --async ; } >/dev/null 2>&1 &`,
  ].join(' ; ');
}
