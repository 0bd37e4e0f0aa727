// Checks on state.db: it opens, passes PRAGMA integrity_check, and when each profile last sent an event.
import { existsSync, statSync } from 'node:fs';
import { bytes, durationToSecond } from '../format';
import { stopFirst } from '../lock-holder';
import type { CcxPaths } from '../paths';
import { type Db, openDb } from '../store';
import { type Check, fail, ok, warn } from './check';

export type LastEvents = Map<string, { ts: number; event: string }>;

/** The database check, and the last hook event per profile (empty when the DB cannot be read). */
export function storeChecks(paths: CcxPaths, onceCommand: string): { check: Check; last: LastEvents } {
  const last: LastEvents = new Map();
  if (!existsSync(paths.db)) {
    return { check: warn('database', `${paths.db} does not exist yet`, `the first hook creates it, or run: ${onceCommand}`), last };
  }
  const rebuild = `${stopFirst(paths, Date.now())}mv ${paths.db} ${paths.db}.broken && ${onceCommand} (transcripts are read again; hook history before now is lost)`;
  let db: Db | null = null;
  try {
    db = openDb(paths.db, { readonly: true });
    const result = db.pragma('integrity_check') as { integrity_check: string }[];
    const problems = result.map((r) => r.integrity_check).filter((r) => r !== 'ok');
    if (problems.length)
      return {
        check: fail('database', `integrity_check: ${problems[0]}${problems.length > 1 ? ` (+${problems.length - 1} more)` : ''}`, rebuild),
        last,
      };
    // SQLite takes the bare column (event) from the row that holds the MAX.
    const rows = db.prepare('SELECT profile, MAX(ts) AS ts, event FROM hook_events GROUP BY profile').all() as {
      profile: string;
      ts: number;
      event: string;
    }[];
    for (const r of rows) last.set(r.profile, { ts: r.ts, event: r.event });
    return { check: ok('database', `${paths.db} (${bytes(statSync(paths.db).size)}), integrity ok`), last };
  } catch (err) {
    return { check: fail('database', `${paths.db} cannot be read: ${(err as Error).message}`, rebuild), last };
  } finally {
    db?.close();
  }
}

export function lastEventCheck(profile: string, last: LastEvents, now: number, hint: string): Check {
  const hit = last.get(profile);
  return hit
    ? ok(`${profile}: last event`, `${hit.event} ${durationToSecond(now - hit.ts)} ago`)
    : warn(`${profile}: last event`, 'no hook event recorded yet', hint);
}
