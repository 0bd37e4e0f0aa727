// What ccx run starts: the binary, the arguments as given, and the environment with the profile's
// config dir. CCX_ACTIVE_PROFILE names the profile for ccx's hooks and status line (lib/profiles
// activeProfile), as `ccx use` does.
import type { Profile } from '../contracts/profile';
import type { Env } from '../paths';
import { quotePosix } from '../shell';

export type Launch = { binary: string; profile: string; configDir: string; args: string[]; env: Env };

export function launchFor(binary: string, profile: Profile, args: string[], env: Env): Launch {
  return {
    binary,
    profile: profile.name,
    configDir: profile.config_dir,
    args,
    env: { ...env, CLAUDE_CONFIG_DIR: profile.config_dir, CCX_ACTIVE_PROFILE: profile.name },
  };
}

/** --print-only: one line, each value one shell word; args as a JSON array (unambiguous). */
export function printLine(l: Launch): string {
  return [
    `binary=${quotePosix(l.binary)}`,
    `profile=${l.profile}`,
    `CLAUDE_CONFIG_DIR=${quotePosix(l.configDir)}`,
    `CCX_ACTIVE_PROFILE=${l.profile}`,
    `args=${quotePosix(JSON.stringify(l.args))}`,
  ].join(' ');
}
