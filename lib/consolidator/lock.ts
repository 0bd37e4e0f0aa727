// The single-consolidator lock: proper-lockfile's lock directory at $CCX_HOME/consolidator.lock.
// While held, its mtime is refreshed every LOCK_UPDATE_MS and consolidator.pid names the holder;
// ../lock-holder.ts has the liveness rule.
import { chmodSync, mkdirSync, rmdirSync, unlinkSync } from 'node:fs';
import { writeFileAtomic } from '../atomic-write';
import { LOCK_STALE_MS, LOCK_UPDATE_MS } from '../contracts/lock';
import { type LockIdentity, lockHolder, lockIdentity, ownRecord, readHolderRecord, sameLock } from '../lock-holder';
import type { Logger } from '../log';
import type { CcxPaths } from '../paths';

export type Release = () => Promise<void>;

/** Takes the lock, or returns null when a live holder has it. Never waits. */
export async function tryLock(paths: CcxPaths, log: Logger, onCompromised: (err: Error) => void): Promise<Release | null> {
  mkdirSync(paths.home, { recursive: true, mode: 0o700 });
  // proper-lockfile goes by mtime only: a dead holder's lock stays "fresh" for 30 s, and for ever
  // when its mtime is in the future. Ours knows the holder is gone, so the lock goes first.
  const holder = lockHolder(paths, Date.now());
  if (holder.state === 'dead') {
    log(`removing the lock of a consolidator that is gone (pid ${holder.pid ?? 'unknown'})`);
    removeDeadLock(paths, holder);
  }
  let release: Release;
  try {
    // Required here: a report answered by a live consolidator never loads it (with graceful-fs, ~5 ms).
    const lockfile = require('proper-lockfile') as typeof import('proper-lockfile');
    release = await lockfile.lock(paths.home, {
      lockfilePath: paths.lock,
      realpath: false,
      stale: LOCK_STALE_MS,
      update: LOCK_UPDATE_MS,
      retries: 0,
      onCompromised,
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOCKED') return null;
    throw err;
  }
  // proper-lockfile's mkdir takes the umask's mode (0755, 0777 under umask 0): ours is private.
  chmodSync(paths.lock, 0o700);
  // Renamed into place: a symlink planted as the pid file is replaced, not truncated through.
  writeFileAtomic(paths.pidFile, JSON.stringify(ownRecord(Date.now())), { mode: 0o600, durable: false });
  return async () => {
    // The record goes before the lock: a record naming us must never describe someone else's lock.
    unlinkQuiet(paths.pidFile);
    await release();
  };
}

/**
 * Between judging the holder dead and removing its lock, it may have released the lock and another
 * process taken it: remove only while the pid file still names the dead holder and the lock is
 * still the one judged (else that live holder's lock would go, and two consolidators would run).
 */
function removeDeadLock(paths: CcxPaths, dead: { pid: number | null; lock: LockIdentity }): void {
  if ((readHolderRecord(paths.pidFile)?.pid ?? null) !== dead.pid) return;
  if (!sameLock(lockIdentity(paths), dead.lock)) return;
  unlinkQuiet(paths.pidFile);
  try {
    rmdirSync(paths.lock);
  } catch {
    // Gone already: proper-lockfile decides.
  }
}

function unlinkQuiet(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}
