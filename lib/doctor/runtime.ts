// The consolidator as seen from outside: is it alive, since when, and how much is waiting for it.
// Read-only: no lock taken, no file changed.
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CcxPaths } from '../paths';
import { lockIsLive } from '../spawn';

export type ConsolidatorState =
  | { alive: true; pid: number | null; startedAt: number | null }
  /** stalePid: a pid file without a live lock, left by a consolidator that died without cleaning up. */
  | { alive: false; stalePid: number | null };

export function consolidatorState(paths: CcxPaths, now: number): ConsolidatorState {
  const info = readPidFile(paths.pidFile);
  if (lockIsLive(paths.lock, now)) return { alive: true, pid: info?.pid ?? null, startedAt: info?.started_at ?? null };
  return { alive: false, stalePid: info?.pid ?? null };
}

function readPidFile(path: string): { pid: number; started_at: number } | null {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as { pid?: unknown; started_at?: unknown };
    return typeof v.pid === 'number' && typeof v.started_at === 'number' ? { pid: v.pid, started_at: v.started_at } : null;
  } catch {
    return null;
  }
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
