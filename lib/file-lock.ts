// One ccx process at a time edits a given file (config.toml, a settings.json): each
// read-modify-write runs inside withFileLock, which holds proper-lockfile's lock directory
// `<file>.lock` beside the file. Beside it rather than under $CCX_HOME, so that two checkouts or
// two CCX_HOMEs editing one settings.json still exclude each other. Synchronous, like the edits.
import lockfile from 'proper-lockfile';
import { lockPath } from './paths';

/**
 * A lock older than this is a killed writer's and is taken over. An edit holds the lock for
 * milliseconds, and nothing refreshes it meanwhile (the edit never yields to the event loop).
 */
export const FILE_LOCK_STALE_MS = 5_000;
/** How long a writer waits for the lock before it gives up: longer than a stale lock lasts. */
export const FILE_LOCK_WAIT_MS = 10_000;

/** The lock stayed taken for the whole wait; the message says which file and what to do. */
export class LockTimeoutError extends Error {
  override name = 'LockTimeoutError';
}

/** Runs `edit` holding the file's lock; the edit must re-read the file itself. */
export function withFileLock<T>(file: string, edit: () => T, waitMs = FILE_LOCK_WAIT_MS): T {
  const release = acquire(file, waitMs);
  try {
    return edit();
  } finally {
    release();
  }
}

function acquire(file: string, waitMs: number): () => void {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return lockfile.lockSync(file, { lockfilePath: lockPath(file), realpath: false, stale: FILE_LOCK_STALE_MS });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
    }
    if (Date.now() >= deadline) {
      throw new LockTimeoutError(
        `${file}: another ccx process has been editing it for over ${waitMs / 1000} s (lock ${lockPath(file)}); try again`,
      );
    }
    // Jittered, so twenty waiters do not retry in step.
    sleepSync(10 + Math.random() * 40);
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
