// The consolidator side of the inbox. Claiming = renaming inbox.jsonl to inbox.<pid>.<ts>.jsonl:
// hooks that open after the rename create a fresh inbox. A hook that opened the old file just
// before the rename may still write its line into the claimed file, so a claimed file is read by
// offset (whole lines only, read.ts) on every pass and deleted only when it is fully applied and older
// than any hook can live (CLAIM_SETTLE_MS). Claimed files left by a crash are re-applied from the
// start: harmless, records are idempotent by id.
import { readdirSync, renameSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** A claimed inbox file's name (hooks that opened it before the claim may still append). */
export const CLAIMED_INBOX_RE = /^inbox\.\d+\.\d+\.jsonl$/;

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
    .filter((n) => CLAIMED_INBOX_RE.test(n))
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

export function removeClaimed(path: string): void {
  try {
    unlinkSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
