// Opens state.db: WAL so readers never block the consolidator, a busy timeout so a second
// writer waits instead of failing, and the migrations applied up to the latest version.
import { closeSync, constants, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations';

export type Db = Database.Database;

export const SCHEMA_VERSION = MIGRATIONS.length;

export function openDb(path: string, opts: { readonly?: boolean; busyTimeoutMs?: number } = {}): Db {
  // Create it ourselves, 0600: SQLite would use the umask, and its -wal/-shm files copy the mode.
  // O_NOFOLLOW: never create or touch a file through a symlink planted as state.db.
  if (!opts.readonly) closeSync(openSync(path, constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW, 0o600));
  const db = new Database(path, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false });
  db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 5000}`);
  if (!opts.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    migrate(db);
  }
  return db;
}

export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new Error(`state.db has schema version ${current}, newer than this ccx (${SCHEMA_VERSION}): update ccx`);
  }
  for (let v = current; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}
