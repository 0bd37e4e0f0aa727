// The consolidator's lock: proper-lockfile's directory at $CCX_HOME/consolidator.lock, whose mtime
// the holder refreshes while it lives. Liveness itself is lib/lock-holder.ts (pid first, mtime after).

/** proper-lockfile's staleness; also how long a lock whose holder has not recorded itself counts as live. */
export const LOCK_STALE_MS = 30_000;
/** How often the live consolidator refreshes the lock's mtime. */
export const LOCK_UPDATE_MS = 5_000;
/**
 * proper-lockfile dates a lock it has just taken up to ~1 s ahead (it probes the file system's
 * mtime precision with the next whole second + 5 ms): that much future is a fresh lock, more is a
 * clock stepped back.
 */
export const LOCK_PROBE_AHEAD_MS = 2_000;
