// The consolidator's liveness, as hooks and the consolidator both read it: proper-lockfile's lock
// directory at $CCX_HOME/consolidator.lock, whose mtime the holder refreshes while it lives.

/** A lock whose mtime is older than this belongs to a dead consolidator and may be taken over. */
export const LOCK_STALE_MS = 30_000;
/** How often the live consolidator refreshes the lock's mtime. */
export const LOCK_UPDATE_MS = 5_000;
