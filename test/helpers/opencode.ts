// OpenCode's database for tests: the schema and rows the real opencode-ai 1.18.33 wrote
// (test/fixtures/opencode), loaded into a fresh file in WAL mode as OpenCode opens it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ROOT } from './ccx';

export const OPENCODE_FIXTURES = join(ROOT, 'test', 'fixtures', 'opencode');

type Row = Record<string, unknown>;
export type OpenCodeRows = { project: Row[]; session: Row[]; message: Row[] };

export const openCodeRows = (): OpenCodeRows => JSON.parse(readFileSync(join(OPENCODE_FIXTURES, 'rows-1.18.33.json'), 'utf8'));

/** OpenCode's own connection settings (its Database service): WAL, NORMAL, busy_timeout 5 s. */
export function openAsOpenCode(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  return db;
}

export function insertRows(db: Database.Database, table: string, rows: Row[]): void {
  for (const r of rows) {
    const cols = Object.keys(r);
    db.prepare(`INSERT INTO ${table} (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(
      ...cols.map((c) => r[c]),
    );
  }
}

/** A database in OpenCode's schema holding `rows` (the fixture's by default). Returns the open writer. */
export function openCodeDb(path: string, rows: OpenCodeRows = openCodeRows()): Database.Database {
  const db = openAsOpenCode(path);
  db.exec(readFileSync(join(OPENCODE_FIXTURES, 'schema-1.18.33.sql'), 'utf8'));
  db.transaction(() => {
    insertRows(db, 'project', rows.project);
    insertRows(db, 'session', rows.session);
    insertRows(db, 'message', rows.message);
  })();
  return db;
}
