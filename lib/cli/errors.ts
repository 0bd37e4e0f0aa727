// ccx's errors on lib/cli-kit's contract (usage error 2, runtime 1): the domain errors a command
// may throw, and which of them mean the command line was wrong.
import { CliError, describeError, type ErrorKinds, UsageError } from '../cli-kit';
import { LockTimeoutError } from '../file-lock';
import { ConfigError, FieldError, ProfileError } from '../profiles';
import { SettingsError } from '../settings';

export { CliError, UsageError };

/** A bad field value (`--plan-tier x`) is the command line's fault; the rest happened at work. */
export const CCX_ERRORS: ErrorKinds = { usage: [FieldError], known: [ConfigError, ProfileError, SettingsError, LockTimeoutError] };

export const describe = (err: unknown): string => describeError(err, CCX_ERRORS);
