// The hook side of the inbox: one record, one line, one write(2) with O_APPEND, so concurrent
// hooks never interleave bytes and a reader sees whole lines or nothing of a record.
import { closeSync, constants, mkdirSync, openSync, writeSync } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { InboxRecord } from '../contracts/inbox';

/** Records above this are shrunk: tool inputs can carry whole files, ccx needs none of that. */
export const INBOX_RECORD_SOFT_MAX = 64 * 1024;
const KEEP_CHARS = 2048;
/** The payload fields the consolidator reads (lib/consolidator/apply-*.ts): kept when the rest goes. */
const NEEDED_FIELDS = [
  'session_id',
  'hook_event_name',
  'cwd',
  'transcript_path',
  'permission_mode',
  'model',
  'error',
  'error_details',
  'reason',
  'rate_limits',
];

// O_NOFOLLOW: a symlink planted as inbox.jsonl must not turn our append into a write elsewhere.
const FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW;

/**
 * At most INBOX_RECORD_SOFT_MAX bytes' worth of characters, in steps: long strings truncated; then
 * the payload cut to the fields ccx reads; then to those of them that are short scalars.
 */
export function serializeRecord(record: InboxRecord): string {
  const json = JSON.stringify(record);
  if (json.length <= INBOX_RECORD_SOFT_MAX) return json;
  const truncated = JSON.stringify(record, truncateLongStrings);
  if (truncated.length <= INBOX_RECORD_SOFT_MAX) return truncated;
  const needed = pick(record.payload, (v) => v !== undefined);
  const slim = JSON.stringify({ ...record, payload: { ...needed, ccx_truncated: true } }, truncateLongStrings);
  if (slim.length <= INBOX_RECORD_SOFT_MAX) return slim;
  const scalars = pick(record.payload, (v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean');
  return JSON.stringify({ ...record, payload: { ...scalars, ccx_truncated: true } }, truncateLongStrings);
}

function truncateLongStrings(_key: string, value: unknown): unknown {
  return typeof value === 'string' && value.length > KEEP_CHARS
    ? `${value.slice(0, KEEP_CHARS)}…[${value.length - KEEP_CHARS} chars truncated by ccx]`
    : value;
}

function pick(payload: Record<string, unknown>, keep: (v: unknown) => boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of NEEDED_FIELDS) if (keep(payload[k])) out[k] = payload[k];
  return out;
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

/**
 * appendInbox for a host that must never wait on a disk (OpenCode's plugin runs in OpenCode's own
 * process): the same one write(2) on an O_APPEND fd, off the event loop.
 */
export async function appendInboxAsync(inboxPath: string, record: InboxRecord): Promise<void> {
  const buf = Buffer.from(`${serializeRecord(record)}\n`, 'utf8');
  const fh = await open(inboxPath, FLAGS, 0o600).catch(async (err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
    await mkdir(dirname(inboxPath), { recursive: true, mode: 0o700 });
    return open(inboxPath, FLAGS, 0o600);
  });
  try {
    const { bytesWritten } = await fh.write(buf, 0, buf.length);
    if (bytesWritten !== buf.length) throw new Error(`short write to inbox: ${bytesWritten}/${buf.length} bytes (disk full?)`);
  } finally {
    await fh.close();
  }
}

/** Unique enough across processes and time without loading node:crypto on the hook path. */
export function newEventId(now: number, pid: number = process.pid): string {
  const rand = Math.floor(Math.random() * 2 ** 48).toString(36);
  return `${now.toString(36)}-${pid.toString(36)}-${rand}`;
}
