// Inbox lines the consolidator moved aside because they could not be applied (lib/inbox/quarantine.ts).
import { closeSync, openSync, readSync } from 'node:fs';
import type { CcxPaths } from '../paths';
import { type Check, ok, warn } from './check';

export function quarantineCheck(paths: CcxPaths): Check {
  const lines = countLines(paths.quarantine);
  if (lines === 0) return ok('quarantine', 'no inbox line set aside');
  return warn(
    'quarantine',
    `${lines} inbox line${lines === 1 ? '' : 's'} could not be applied, kept with the error in ${paths.quarantine}`,
    'report it with that file attached; remove the file once dealt with',
  );
}

/** Newlines, read in chunks: the file holds whole inbox lines, maybe large ones. */
function countLines(path: string): number {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return 0;
  }
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    let lines = 0;
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) {
      for (let i = buf.indexOf(0x0a); i >= 0 && i < n; i = buf.indexOf(0x0a, i + 1)) lines++;
    }
    return lines;
  } finally {
    closeSync(fd);
  }
}
