// What the terminal allows: colour and width, decided the same way by every command.
type Env = Record<string, string | undefined>;

/** Colour only on a TTY, without --no-color, and with NO_COLOR unset or empty (no-color.org). */
export function useColor(isTTY: boolean, env: Env, noColorFlag: boolean): boolean {
  return isTTY && !noColorFlag && !env.NO_COLOR;
}

const DEFAULT_WIDTH = 120;

/** COLUMNS when it is a positive number, else the TTY's columns, else 120 (piped output). */
export function termWidth(env: Env, ttyColumns: number | undefined): number {
  const fromEnv = Number(env.COLUMNS);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  return ttyColumns && ttyColumns > 0 ? ttyColumns : DEFAULT_WIDTH;
}

/**
 * A reader that stopped reading (`ccx-report daily | head`) is not an error: the command ends at
 * once, exit 0, instead of node's unhandled EPIPE with a stack trace. Other write errors stay errors.
 */
export function endOnClosedPipe(stream: NodeJS.WriteStream, exit: (code: number) => void = process.exit): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    exit(0);
  });
}
