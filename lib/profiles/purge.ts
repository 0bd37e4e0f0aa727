// `ccx profile rm --purge`: every row state.db holds for one profile, gone in one transaction.
import type { Db } from '../store';

/**
 * Each table with a `profile` column, read from the schema itself: a list written here missed the
 * rollup tables (usage_buckets, usage_days, usage_dirty) and would miss the next table too.
 */
export function profileTables(db: Db): string[] {
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all() as string[];
  return tables.filter((t) => (db.pragma(`table_info(${t})`) as { name: string }[]).some((c) => c.name === 'profile'));
}

/** Rows deleted, per table. */
export function purgeProfileRows(db: Db, profile: string): Record<string, number> {
  return db
    .transaction(() => {
      const deleted: Record<string, number> = {};
      for (const table of profileTables(db)) deleted[table] = db.prepare(`DELETE FROM ${table} WHERE profile = ?`).run(profile).changes;
      return deleted;
    })
    .immediate();
}
