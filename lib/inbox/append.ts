// The hook side of the inbox: one record, one line, one write(2) with O_APPEND, so concurrent
// hooks never interleave bytes and a reader sees whole lines or nothing of a record.
import { closeSync, constants, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { InboxRecord } from '../contracts/inbox';

/** Records above this are shrunk: tool inputs can carry whole files, ccx needs none of that. */
export const INBOX_RECORD_SOFT_MAX = 64 * 1024;
const KEEP_CHARS = 2048;

// O_NOFOLLOW: a symlink planted as inbox.jsonl must not turn our append into a write elsewhere.
const FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW;

export function serializeRecord(record: InboxRecord): string {
  const json = JSON.stringify(record);
  if (json.length <= INBOX_RECORD_SOFT_MAX) return json;
  return JSON.stringify(record, (_key, value: unknown) =>
    typeof value === 'string' && value.length > KEEP_CHARS
      ? `${value.slice(0, KEEP_CHARS)}…[${value.length - KEEP_CHARS} chars truncated by ccx]`
      : value,
  );
}

export function appendInbox(inboxPath: string, record: InboxRecord): void {
  const buf = Buffer.from(`${serializeRecord(record)}\n`, 'utf8');
  let fd: number;
  try {
    fd = openSync(inboxPath, FLAGS, 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    mkdirSync(dirname(inboxPath), { recursive: true, mode: 0o700 });
    fd = openSync(inboxPath, FLAGS, 0o600);
  }
  try {
    const written = writeSync(fd, buf, 0, buf.length);
    if (written !== buf.length) throw new Error(`short write to inbox: ${written}/${buf.length} bytes (disk full?)`);
  } finally {
    closeSync(fd);
  }
}

/** Unique enough across processes and time without loading node:crypto on the hook path. */
export function newEventId(now: number, pid: number = process.pid): string {
  const rand = Math.floor(Math.random() * 2 ** 48).toString(36);
  return `${now.toString(36)}-${pid.toString(36)}-${rand}`;
}
