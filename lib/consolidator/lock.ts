// The single-consolidator lock: proper-lockfile's lock directory at $CCX_HOME/consolidator.lock.
// While held, its mtime is refreshed every LOCK_UPDATE_MS; ../contracts/lock has the liveness rule.
import { chmodSync, mkdirSync } from 'node:fs';
import lockfile from 'proper-lockfile';
import { LOCK_STALE_MS, LOCK_UPDATE_MS } from '../contracts/lock';
import type { CcxPaths } from '../paths';

export type Release = () => Promise<void>;

/** Takes the lock, or returns null when a live holder has it. Never waits. */
export async function tryLock(paths: CcxPaths, onCompromised: (err: Error) => void): Promise<Release | null> {
  mkdirSync(paths.home, { recursive: true, mode: 0o700 });
  try {
    const release = await lockfile.lock(paths.home, {
      lockfilePath: paths.lock,
      realpath: false,
      stale: LOCK_STALE_MS,
      update: LOCK_UPDATE_MS,
      retries: 0,
      onCompromised,
    });
    // proper-lockfile's mkdir takes the umask's mode (0755, 0777 under umask 0): ours is private.
    chmodSync(paths.lock, 0o700);
    return release;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOCKED') return null;
    throw err;
  }
}
