// Append-only, size-capped log files ($CCX_HOME/logs/*.log). Logging must never throw: it is
// what we do when something already went wrong.
import { closeSync, constants, lstatSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export const LOG_CAP_BYTES = 1024 * 1024;

export type Logger = (msg: string) => void;

/** When the file passes the cap it becomes <file>.1 (one generation kept) and a new one starts. */
export function appendLog(file: string, msg: string, now: number = Date.now()): void {
  try {
    const line = `${new Date(now).toISOString()} [${process.pid}] ${msg.replace(/\n/g, '\\n')}\n`;
    const st = lstatSync(file, { throwIfNoEntry: false });
    if (st && st.size + line.length > LOG_CAP_BYTES) renameSync(file, `${file}.1`);
    try {
      append(file, line);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      append(file, line);
    }
  } catch {
    // Nowhere left to report to; the caller's own outcome (exit 0, nothing recorded) stands.
  }
}

// O_NOFOLLOW: a log path that is a symlink is refused, never written through.
const APPEND = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW;

function append(file: string, line: string): void {
  const fd = openSync(file, APPEND, 0o600);
  try {
    writeSync(fd, line);
  } finally {
    closeSync(fd);
  }
}

export function fileLogger(file: string, now: () => number = Date.now): Logger {
  return (msg) => appendLog(file, msg, now());
}
