// Quiet flags: `quiet/<profile>` exists while the consolidator vouches that a hook of that profile
// has nothing to say (band ok, and still ok once one more turn is counted). The guarded hook
// registrations (lib/settings/guard.ts) test for it in shell and start node synchronously only
// when it is absent. A flag that cannot be written or read therefore costs time, never a warning:
// flags are removed before a quota.json that needs them gone is written, and created after.
import { closeSync, constants, mkdirSync, openSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { ProfileQuota, QuotaSnapshot } from '../contracts/quota';

/** Nothing to announce now, nor after the turn quota.json may not have counted yet. */
export const isQuiet = (q: ProfileQuota): boolean => q.band === 'ok' && (q.after_turn?.band ?? 'ok') === 'ok';

// O_NOFOLLOW: a symlink planted there must not make ccx create a file elsewhere.
const CREATE = constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW;

/** Writes quota.json through `write`, keeping `dir`'s flags a subset of the quiet profiles throughout. */
export function writeWithQuietFlags(dir: string, snap: QuotaSnapshot, write: () => void, log: (msg: string) => void): void {
  const quiet = new Set(Object.entries(snap.profiles).flatMap(([name, q]) => (isQuiet(q) ? [name] : [])));
  for (const name of flagNames(dir)) {
    if (quiet.has(name)) continue;
    try {
      unlinkSync(join(dir, name));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log(`quiet flag ${name} not removed: ${(err as Error).message}`);
    }
  }
  write();
  if (quiet.size === 0) return;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const name of quiet) closeSync(openSync(join(dir, name), CREATE, 0o600));
  } catch (err) {
    log(`quiet flags not written (hooks stay synchronous): ${(err as Error).message}`);
  }
}

function flagNames(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
