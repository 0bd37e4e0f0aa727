// Who holds the consolidator lock, and is it alive? The lock directory's mtime alone cannot say:
// a clock stepped back leaves it in the future (fresh for ever), and a SIGKILLed holder leaves it
// fresh for 30 s. So every holder records itself in consolidator.pid (pid + /proc start time) and
// the record decides; the mtime only covers the moment between taking the lock and writing it.
// Hook path: a stat, a small read and one /proc read, no child_process.
import { readFileSync, statSync } from 'node:fs';
import { LOCK_PROBE_AHEAD_MS, LOCK_STALE_MS } from './contracts/lock';
import type { CcxPaths } from './paths';

export type HolderRecord = { pid: number; started_at: number; proc_start: string | null };

export type LockHolder =
  | { state: 'free' }
  | { state: 'live'; pid: number | null; startedAt: number | null }
  /**
   * A lock (and maybe a pid file) left by a holder that is gone: it may be removed, if it is still
   * this lock (`lock`, see sameLock): a new holder may have taken the place since.
   */
  | { state: 'dead'; pid: number | null; lock: LockIdentity };

/** The lock directory as stat saw it: a re-taken lock is a new mkdir, with a new mtime. */
export type LockIdentity = { ino: bigint; mtimeNs: bigint };

export function lockIdentity(paths: CcxPaths): LockIdentity | null {
  const st = statSync(paths.lock, { bigint: true, throwIfNoEntry: false });
  return st ? { ino: st.ino, mtimeNs: st.mtimeNs } : null;
}

export const sameLock = (a: LockIdentity | null, b: LockIdentity): boolean => a !== null && a.ino === b.ino && a.mtimeNs === b.mtimeNs;

export function lockHolder(paths: CcxPaths, now: number): LockHolder {
  const lock = lockIdentity(paths);
  if (!lock) return { state: 'free' };
  const rec = readHolderRecord(paths.pidFile);
  if (rec) {
    return processIs(rec.pid, rec.proc_start)
      ? { state: 'live', pid: rec.pid, startedAt: rec.started_at }
      : { state: 'dead', pid: rec.pid, lock };
  }
  // Just taken, record not written yet. Further in the future than a fresh lock is dated is no
  // evidence of life.
  const age = now - Number(lock.mtimeNs / 1_000_000n);
  return age >= -LOCK_PROBE_AHEAD_MS && age < LOCK_STALE_MS
    ? { state: 'live', pid: null, startedAt: null }
    : { state: 'dead', pid: null, lock };
}

/**
 * `kill PID && ` when a consolidator runs, else '': the head of any advice to move state.db aside,
 * which a running consolidator would otherwise go on writing to until its next pass.
 */
export function stopFirst(paths: CcxPaths, now: number): string {
  const holder = lockHolder(paths, now);
  return holder.state === 'live' && holder.pid !== null ? `kill ${holder.pid} && ` : '';
}

export function readHolderRecord(path: string): HolderRecord | null {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as Partial<HolderRecord>;
    if (typeof v.pid !== 'number' || typeof v.started_at !== 'number') return null;
    return { pid: v.pid, started_at: v.started_at, proc_start: typeof v.proc_start === 'string' ? v.proc_start : null };
  } catch {
    return null;
  }
}

/** This process's record, for the holder to write once it has the lock. */
export function ownRecord(now: number): HolderRecord {
  return { pid: process.pid, started_at: now, proc_start: procStart(process.pid) };
}

/** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot): a reused pid differs. */
export function procStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm (field 2) may hold spaces and parentheses: count from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function processIs(pid: number, start: string | null): boolean {
  // Recorded from /proc, so /proc is there: no entry now means the process is gone.
  if (start !== null) return procStart(pid) === start;
  // No /proc where it was written: the pid alone.
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
