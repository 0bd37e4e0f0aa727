// When a profile's last turn ended, as its Stop hook saw it. quota.json counts a turn only after
// the consolidator's next pass; until then the hooks of every session of that profile add it
// themselves (quota.json's `after_turn`), so a tool call right after a crossing Stop is judged
// with it. One file per profile holding a millisecond time; only the latest Stop is kept.
import { closeSync, constants, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

// O_NOFOLLOW: a symlink planted there must not turn this write into a write elsewhere.
const FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;

export function recordTurnEnd(dir: string, profile: string, at: number): void {
  const file = join(dir, profile);
  let fd: number;
  try {
    fd = openSync(file, FLAGS, 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    fd = openSync(file, FLAGS, 0o600);
  }
  try {
    writeSync(fd, String(at));
  } finally {
    closeSync(fd);
  }
}

/** The last recorded turn end; 0 when none (or a write is under way: it then reads empty). */
export function lastTurnEnd(dir: string, profile: string): number {
  try {
    return Number(readFileSync(join(dir, profile), 'utf8')) || 0;
  } catch {
    return 0;
  }
}
