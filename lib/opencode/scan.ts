// OpenCode's usage → ccx's ledger, read-only and incrementally. OpenCode (opencode-ai 1.18.33)
// keeps one SQLite database per data dir in WAL mode (busy_timeout 5 s); a read-only connection
// never takes a write lock and WAL readers never block its writers. Per database: two stats; when
// they changed, the messages updated since the last read (minus an overlap) are read in one
// snapshot and upserted in one ccx transaction together with the database's cursor.
import { statSync } from 'node:fs';
import type { Profile } from '../contracts/profile';
import type { Logger } from '../log';
import { type Db, openDb } from '../store';
import { type OpenCodeCursor, openCodeLedger } from './ledger';
import { type MessageRow, parseMessage } from './message';
import { openCodeDatabases } from './paths';

export type OpenCodeScanOpts = {
  now?: () => number;
  log?: Logger;
  /** How long a read waits on OpenCode's database before giving up until the next pass. */
  busyTimeoutMs?: number;
};

export type OpenCodeScanStats = {
  databases: number;
  /** Databases whose stat changed, so they were opened and read. */
  databasesRead: number;
  messagesRead: number;
  /** Usage rows written or changed (a row re-read unchanged is not counted). */
  usageRows: number;
  /** Messages skipped for the first time (each version of a row is counted once). */
  skipped: number;
};

/**
 * Each read starts this far before the largest `time_updated` read so far: a row is stamped when
 * OpenCode builds it and may commit later (several OpenCode processes share a database, and a
 * writer may wait its 5 s busy timeout), so a later commit can carry an earlier stamp.
 */
export const OVERLAP_MS = 60_000;
/**
 * Sessions are picked by their own `time_updated`, which OpenCode bumps when it adds a step's
 * tokens to the session's totals, just before writing them into the message; an errored message
 * was seen 4 s ahead of its session. This margin keeps such sessions in.
 */
export const SESSION_LAG_MS = 3_600_000;
/** A database written this recently may still change within the same mtime tick: read it again next pass. */
export const SETTLE_MS = 2_000;
const BUSY_TIMEOUT_MS = 1_000;

// The session table is small (one row per session) and the message lookup uses OpenCode's
// message_session_time_created_id_idx: a pass never walks the whole message table. CROSS JOIN
// fixes that order: without statistics (OpenCode runs no ANALYZE) SQLite scans message instead.
export const CHANGED_MESSAGES_SQL = `
  SELECT m.id, m.session_id, m.time_updated, m.data, s.directory, s.parent_id
  FROM session s CROSS JOIN message m ON m.session_id = s.id
  WHERE s.time_updated >= ? AND m.time_updated >= ?`;

export function scanOpenCode(db: Db, profile: Profile, opts: OpenCodeScanOpts = {}): OpenCodeScanStats {
  const stats: OpenCodeScanStats = { databases: 0, databasesRead: 0, messagesRead: 0, usageRows: 0, skipped: 0 };
  const now = (opts.now ?? Date.now)();
  for (const path of openCodeDatabases(profile.config_dir)) {
    stats.databases++;
    try {
      scanDatabase(db, profile.name, path, now, stats, opts.busyTimeoutMs ?? BUSY_TIMEOUT_MS);
    } catch (err) {
      // Busy, locked, unreadable or not OpenCode's schema: nothing written, read again next pass.
      opts.log?.(`opencode: ${path}: ${(err as Error).message}`);
    }
  }
  return stats;
}

type Row = MessageRow & { time_updated: number };

function scanDatabase(db: Db, profile: string, path: string, now: number, stats: OpenCodeScanStats, busyTimeoutMs: number): void {
  const file = statSync(path, { throwIfNoEntry: false });
  if (!file) return;
  const wal = statSync(`${path}-wal`, { throwIfNoEntry: false });
  const signature = `${file.size}:${file.mtimeMs}:${wal?.size ?? -1}:${wal?.mtimeMs ?? -1}`;
  const led = openCodeLedger(db);
  const prev = led.cursor(profile, path);
  // A new inode is another database (deleted and recreated): read it whole; rows already stored
  // are upserted unchanged.
  const known = prev !== undefined && prev.inode === file.ino;
  if (known && prev.signature === signature) return;
  stats.databasesRead++;
  const seen = known ? prev.highWater : -1;
  const from = known ? Math.max(0, prev.highWater - OVERLAP_MS) : 0;
  const next: OpenCodeCursor = {
    inode: file.ino,
    signature: now - Math.max(file.mtimeMs, wal?.mtimeMs ?? 0) >= SETTLE_MS ? signature : null,
    highWater: Math.max(seen, 0),
    skipped: known ? prev.skipped : 0,
    skippedByReason: known ? { ...prev.skippedByReason } : {},
  };
  const oc = openDb(path, { readonly: true, busyTimeoutMs });
  try {
    const rows = oc.prepare(CHANGED_MESSAGES_SQL).iterate(Math.max(0, from - SESSION_LAG_MS), from) as IterableIterator<Row>;
    db.transaction(() => {
      for (const row of rows) {
        stats.messagesRead++;
        const parsed = parseMessage(row, now);
        if (parsed.kind === 'usage') {
          if (led.usage(profile, parsed.usage)) stats.usageRows++;
        } else if (parsed.kind === 'skipped' && row.time_updated > seen) {
          stats.skipped++;
          next.skipped++;
          next.skippedByReason[parsed.reason] = (next.skippedByReason[parsed.reason] ?? 0) + 1;
        }
        if (row.time_updated > next.highWater) next.highWater = row.time_updated;
      }
      led.putCursor(profile, path, next);
      led.flushDirty();
    }).immediate();
  } finally {
    oc.close();
  }
}
