// Files under $CCX_HOME that would otherwise only grow: answered requests, rendered reports (and drafts)
// whose caller was killed before it removed them, and the told/ markers (one per session and band). Each
// consolidator removes the old ones once, when it starts (they are cheap to list).
import { readdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { CcxPaths } from '../paths';

/** A `--once` caller waits at most 15 minutes for its answer; a day-old `.done` (or `.new` draft) has no reader. */
export const DONE_MAX_AGE_MS = 24 * 3600_000;
/**
 * A marker says a session was told about a band; past the longest window a band refers to (the
 * weekly one) plus a day, the session is over in practice. Removing a live one costs one repeat.
 */
export const TOLD_MAX_AGE_MS = 8 * 24 * 3600_000;

export type Swept = { done: number; told: number };

export function housekeep(paths: CcxPaths, now: number): Swept {
  return {
    done: removeOlder(paths.requests, (n) => n.endsWith('.done') || n.endsWith('.res') || n.endsWith('.new'), now - DONE_MAX_AGE_MS),
    told: removeOlder(paths.told, () => true, now - TOLD_MAX_AGE_MS),
  };
}

function removeOlder(dir: string, wanted: (name: string) => boolean, before: number): number {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0; // not created yet
  }
  let removed = 0;
  for (const name of names) {
    if (!wanted(name)) continue;
    const path = join(dir, name);
    try {
      if (statSync(path).mtimeMs >= before) continue;
      unlinkSync(path);
      removed++;
    } catch {
      // Removed by its owner meanwhile.
    }
  }
  return removed;
}
