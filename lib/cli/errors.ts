// How a failure leaves the CLI: one line on stderr and an exit code. Usage errors (the command
// line itself is wrong) exit 2; anything that went wrong while doing the work exits 1.
import { LockTimeoutError } from '../file-lock';
import { ConfigError, FieldError, ProfileError } from '../profiles';
import { SettingsError } from '../settings';

export class UsageError extends Error {
  override name = 'UsageError';
}

/** A runtime failure whose message already says what to do. */
export class CliError extends Error {
  override name = 'CliError';
}

export function exitCodeFor(err: unknown): 1 | 2 {
  return err instanceof UsageError || err instanceof FieldError ? 2 : 1;
}

/** The message to print: known errors as they are, anything else with a hint that it is a bug. */
export function describe(err: unknown): string {
  if (err instanceof UsageError) return `${err.message} (see --help)`;
  const known = [CliError, ConfigError, ProfileError, SettingsError, FieldError, LockTimeoutError];
  if (known.some((k) => err instanceof k)) return (err as Error).message;
  const e = err as NodeJS.ErrnoException;
  if (e?.code && e.path) return `${e.path}: ${e.message}`;
  return `unexpected error: ${e?.stack ?? String(err)}`;
}
