// The consolidator side of the inbox. Claiming = renaming inbox.jsonl to inbox.<pid>.<ts>.jsonl:
// hooks that open after the rename create a fresh inbox. A hook that opened the old file just
// before the rename may still write its line into the claimed file, so a claimed file is read by
// offset (whole lines only) on every pass and deleted only when it is fully applied and older
// than any hook can live (CLAIM_SETTLE_MS). Claimed files left by a crash are re-applied from the
// start: harmless, records are idempotent by id.
import { closeSync, openSync, readdirSync, readSync, renameSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { type InboxRecord, inboxRecordSchema } from '../contracts/inbox';

const CLAIMED_RE = /^inbox\.\d+\.\d+\.jsonl$/;

/** Claimed files, oldest first: leftovers from earlier runs, then the one claimed now (if any). */
export function claimInbox(inboxPath: string, now: number, pid: number = process.pid): string[] {
  const dir = dirname(inboxPath);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const claimed = names
    .filter((n) => CLAIMED_RE.test(n))
    .sort((a, b) => claimOrder(a) - claimOrder(b))
    .map((n) => join(dir, n));
  if (names.includes(basename(inboxPath))) {
    const target = join(dir, `inbox.${pid}.${now}.jsonl`);
    try {
      renameSync(inboxPath, target);
      claimed.push(target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return claimed;
}

/** Longer than a hook can live (its hard deadline is 8 s): no writer can still hold the file. */
export const CLAIM_SETTLE_MS = 15_000;

/** When the file was claimed, from its name. */
export function claimedAt(path: string): number {
  return Number(basename(path).split('.')[2]);
}

function claimOrder(name: string): number {
  return claimedAt(name);
}

export type ParsedInbox = {
  records: InboxRecord[];
  bad: { offset: number; reason: string }[];
  /** Offset just past the last complete line: where the next read starts. */
  end: number;
  /** Bytes after `end`: a line still being written, or a torn one. */
  tail: number;
};

/**
 * Every valid record of a claimed file from byte `from`, whole lines only. A line that is not a
 * record is reported, not fatal. A torn line (a hook that died mid-write, a full disk) glued to
 * the next record is split at the last record start, so the record after the damage survives.
 */
export function parseInboxFile(path: string, from = 0): ParsedInbox {
  const buf = readFrom(path, from);
  const lastNl = buf.lastIndexOf(0x0a);
  const out: ParsedInbox = { records: [], bad: [], end: from + lastNl + 1, tail: buf.length - lastNl - 1 };
  let offset = from;
  for (const line of buf
    .subarray(0, lastNl + 1)
    .toString('utf8')
    .split('\n')) {
    const at = offset;
    offset += Buffer.byteLength(line) + 1;
    if (line.trim() === '') continue;
    const rec = parseRecord(line);
    if (rec.ok) {
      out.records.push(rec.record);
      continue;
    }
    const start = line.lastIndexOf('{"v":');
    const salvaged = start > 0 ? parseRecord(line.slice(start)) : null;
    if (salvaged?.ok) out.records.push(salvaged.record);
    out.bad.push({ offset: at, reason: rec.reason });
  }
  return out;
}

function readFrom(path: string, from: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let pos = from;
    for (;;) {
      const chunk = Buffer.allocUnsafe(1 << 20);
      const n = readSync(fd, chunk, 0, chunk.length, pos);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      pos += n;
    }
    return Buffer.concat(chunks);
  } finally {
    closeSync(fd);
  }
}

function parseRecord(line: string): { ok: true; record: InboxRecord } | { ok: false; reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return { ok: false, reason: `not JSON (${(err as Error).message})` };
  }
  const r = inboxRecordSchema.safeParse(value);
  if (!r.success) return { ok: false, reason: r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  return { ok: true, record: r.data };
}

export function removeClaimed(path: string): void {
  try {
    unlinkSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
