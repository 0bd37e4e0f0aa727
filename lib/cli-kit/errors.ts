// How a failure leaves a command: one line on stderr and an exit code. A usage error (the command
// line itself is wrong: the user fixes what they typed) exits 2; anything that went wrong while
// doing the work exits 1; success is 0.

const EXIT = { ok: 0, runtime: 1, usage: 2 } as const;

export class UsageError extends Error {
  override name = 'UsageError';
}

/** A runtime failure whose message already says what to do. */
export class CliError extends Error {
  override name = 'CliError';
}

// biome-ignore lint/suspicious/noExplicitAny: error classes take any constructor arguments
type ErrorClass = abstract new (...args: any[]) => Error;

/** What a command knows about its errors beyond the kit's two. */
export type ErrorKinds = {
  /** Other errors that mean the command line (or a value on it) is wrong: exit 2. */
  usage?: readonly ErrorClass[];
  /** Errors whose message is already the line to print. */
  known?: readonly ErrorClass[];
};

const isA = (err: unknown, classes: readonly ErrorClass[] = []) => classes.some((k) => err instanceof k);

function exitCodeFor(err: unknown, kinds: ErrorKinds = {}): 1 | 2 {
  return err instanceof UsageError || isA(err, kinds.usage) ? EXIT.usage : EXIT.runtime;
}

/** The line to print: known errors as they are, anything else with a hint that it is a bug. */
export function describeError(err: unknown, kinds: ErrorKinds = {}): string {
  if (err instanceof UsageError) return `${err.message} (see --help)`;
  if (err instanceof CliError || isA(err, kinds.usage) || isA(err, kinds.known)) return (err as Error).message;
  const e = err as NodeJS.ErrnoException;
  if (e?.code && e.path) return `${e.path}: ${e.message}`;
  // One line even here: the first frame says where, the rest would break the one-line contract.
  const at = e?.stack
    ?.split('\n')
    .find((l) => l.trim().startsWith('at '))
    ?.trim();
  return `unexpected error (a bug in ccx): ${e?.message ?? String(err)}${at ? ` ${at}` : ''}`;
}

/** Runs a command body: its exit code, or the error as `<command>: <line>` on stderr. */
export async function guarded(
  command: string,
  err: (line: string) => void,
  body: () => Promise<number>,
  kinds?: ErrorKinds,
): Promise<number> {
  try {
    return await body();
  } catch (e) {
    err(`${command}: ${describeError(e, kinds)}\n`);
    return exitCodeFor(e, kinds);
  }
}
