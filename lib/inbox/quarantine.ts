// Inbox lines the consolidator could not apply are moved aside here with their error, so one bad
// line never stops the lines behind it; `ccx doctor` counts them.
import { closeSync, constants, openSync, writeSync } from 'node:fs';

// O_NOFOLLOW: a symlink planted as quarantine.jsonl must not redirect the append.
const FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW;

export type QuarantineEntry = { at: number; file: string; offset: number; error: string; line: string };

export function quarantineLine(path: string, entry: QuarantineEntry): void {
  const buf = Buffer.from(`${JSON.stringify(entry)}\n`, 'utf8');
  const fd = openSync(path, FLAGS, 0o600);
  try {
    writeSync(fd, buf, 0, buf.length);
  } finally {
    closeSync(fd);
  }
}
