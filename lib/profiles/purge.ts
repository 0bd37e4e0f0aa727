// `ccx profile rm --purge`: every row state.db holds for one profile, gone in one transaction.
import type { Db } from '../store';

/** Each table with a `profile` column. */
export const PROFILE_TABLES = [
  'usage',
  'sessions',
  'turns',
  'hook_events',
  'limit_hits',
  'cost_states',
  'rate_limits',
  'scan_cursors',
] as const;

/** Rows deleted, per table. */
export function purgeProfileRows(db: Db, profile: string): Record<string, number> {
  return db
    .transaction(() => {
      const deleted: Record<string, number> = {};
      for (const table of PROFILE_TABLES) deleted[table] = db.prepare(`DELETE FROM ${table} WHERE profile = ?`).run(profile).changes;
      return deleted;
    })
    .immediate();
}
