// Opens state.db: WAL so readers never block the consolidator, a busy timeout so a second
// writer waits instead of failing, and the migrations applied up to the latest version.
import { closeSync, constants, copyFileSync, existsSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations';

export type Db = Database.Database;

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * The addon by its path: the CLI bundles carry better-sqlite3's JavaScript (under their V8 code
 * cache: compiling its dozen files cost a warm ccx-report ~10 ms), and its own lookup through the
 * `bindings` package goes by the caller's file, which a bundle moves.
 */
const ADDON = require.resolve('better-sqlite3/build/Release/better_sqlite3.node');

export function openDb(path: string, opts: { readonly?: boolean; busyTimeoutMs?: number } = {}): Db {
  // Create it ourselves, 0600: SQLite would use the umask, and its -wal/-shm files copy the mode.
  // O_NOFOLLOW: never create or touch a file through a symlink planted as state.db.
  if (!opts.readonly) closeSync(openSync(path, constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW, 0o600));
  const db = new Database(path, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false, nativeBinding: ADDON });
  db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 5000}`);
  if (!opts.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    migrate(db);
  }
  return db;
}

/**
 * Read-only, even when the directory is too: a WAL database read needs its -shm, which SQLite
 * cannot create in a read-only CCX_HOME ("unable to open database file"). Then a private copy
 * in the temp dir is read, removed as soon as it is open (the open files keep it readable).
 */
export function openDbReadOnly(path: string): Db {
  try {
    const db = openDb(path, { readonly: true });
    db.prepare('SELECT 1 FROM sqlite_master LIMIT 1').get();
    return db;
  } catch (err) {
    if ((err as { code?: string }).code !== 'SQLITE_CANTOPEN') throw err;
  }
  const dir = mkdtempSync(join(tmpdir(), 'ccx-db-'));
  try {
    const copy = join(dir, basename(path));
    copyFileSync(path, copy);
    if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${copy}-wal`);
    const db = openDb(copy, { readonly: true });
    db.prepare('SELECT 1 FROM sqlite_master LIMIT 1').get();
    return db;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new Error(`state.db has schema version ${current}, newer than this ccx (${SCHEMA_VERSION}): update ccx`);
  }
  for (let v = current; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      // Another process may have migrated between our read and this write lock: read again.
      if ((db.pragma('user_version', { simple: true }) as number) !== v) return;
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}
