// The consolidator as seen from outside: is it alive, since when, and how much is waiting for it.
// Read-only: no lock taken, no file changed.
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { lockHolder, readHolderRecord } from '../lock-holder';
import type { CcxPaths } from '../paths';

export type ConsolidatorState =
  /** pid null: the lock was taken a moment ago and its holder has not recorded itself yet. */
  | { alive: true; pid: number | null; startedAt: number | null }
  /**
   * stalePid: a pid file left by a consolidator that died without cleaning up; staleLock: its lock
   * directory is still there (the next consolidator removes it).
   */
  | { alive: false; stalePid: number | null; staleLock: boolean };

export function consolidatorState(paths: CcxPaths, now: number): ConsolidatorState {
  const holder = lockHolder(paths, now);
  if (holder.state === 'live') return { alive: true, pid: holder.pid, startedAt: holder.startedAt };
  const stalePid = holder.state === 'dead' ? holder.pid : (readHolderRecord(paths.pidFile)?.pid ?? null);
  return { alive: false, stalePid, staleLock: holder.state === 'dead' };
}

/** Hook events not yet applied: inbox.jsonl plus claimed inbox.<pid>.<ts>.jsonl files. */
export type Backlog = { files: number; lines: number; bytes: number };

const INBOX_RE = /^inbox(\.\d+\.\d+)?\.jsonl$/;

export function inboxBacklog(paths: CcxPaths): Backlog {
  const backlog: Backlog = { files: 0, lines: 0, bytes: 0 };
  let names: string[];
  try {
    names = readdirSync(paths.home);
  } catch {
    return backlog;
  }
  for (const name of names.filter((n) => INBOX_RE.test(n))) {
    const file = join(paths.home, name);
    try {
      backlog.bytes += statSync(file).size;
      backlog.lines += countLines(file);
      backlog.files++;
    } catch {
      // Claimed and deleted between readdir and here: it is no longer waiting.
    }
  }
  return backlog;
}

function countLines(file: string): number {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    let lines = 0;
    for (let n: number; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) {
      for (let i = 0; i < n; i++) if (buf[i] === 0x0a) lines++;
    }
    return lines;
  } finally {
    closeSync(fd);
  }
}

export const fileSize = (path: string): number | null => statSync(path, { throwIfNoEntry: false })?.size ?? null;
