// Append-only, size-capped log files ($CCX_HOME/logs/*.log). Logging must never throw: it is
// what we do when something already went wrong.
import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

export const LOG_CAP_BYTES = 1024 * 1024;

export type Logger = (msg: string) => void;

/** When the file passes the cap it becomes <file>.1 (one generation kept) and a new one starts. */
export function appendLog(file: string, msg: string, now: number = Date.now()): void {
  try {
    const line = `${new Date(now).toISOString()} [${process.pid}] ${msg.replace(/\n/g, '\\n')}\n`;
    const st = statSync(file, { throwIfNoEntry: false });
    if (st && st.size + line.length > LOG_CAP_BYTES) renameSync(file, `${file}.1`);
    try {
      appendFileSync(file, line, { mode: 0o600 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      appendFileSync(file, line, { mode: 0o600 });
    }
  } catch {
    // Nowhere left to report to; the caller's own outcome (exit 0, nothing recorded) stands.
  }
}

export function fileLogger(file: string, now: () => number = Date.now): Logger {
  return (msg) => appendLog(file, msg, now());
}
