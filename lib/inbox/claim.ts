// The consolidator side of the inbox. Claiming = renaming inbox.jsonl to inbox.<pid>.<ts>.jsonl:
// hooks that open after the rename create a fresh inbox, hooks that had it open finish their
// single write into the claimed file before we read it (we read after the rename returns, and a
// write(2) is atomic with respect to that). A claimed file is deleted only after its records are
// committed; claimed files left by a crash are picked up again and re-applied (idempotent by id).
import { readdirSync, renameSync, readFileSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { inboxRecordSchema, type InboxRecord } from '../contracts/inbox';

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

function claimOrder(name: string): number {
  return Number(name.split('.')[2]);
}

export type ParsedInbox = { records: InboxRecord[]; bad: { line: number; reason: string }[] };

/**
 * Every valid record of a claimed file. A line that is not a record is reported, not fatal. A torn
 * line (a hook that died mid-write, a full disk) glued to the next record is split at the last
 * record start, so the record after the damage is not lost with it.
 */
export function parseInboxFile(path: string): ParsedInbox {
  const text = readFileSync(path, 'utf8');
  const out: ParsedInbox = { records: [], bad: [] };
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const rec = parseRecord(line);
    if (rec.ok) return void out.records.push(rec.record);
    const start = line.lastIndexOf('{"v":');
    const salvaged = start > 0 ? parseRecord(line.slice(start)) : null;
    if (salvaged?.ok) out.records.push(salvaged.record);
    out.bad.push({ line: i + 1, reason: rec.reason });
  });
  return out;
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
