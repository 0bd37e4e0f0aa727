// ccx's side of the OpenCode scan: usage rows (agent 'opencode', key = OpenCode's message id) and
// one cursor per OpenCode database in scan_cursors (path = the database file). No migration: a
// cursor's columns hold the database's stat signature and the high-water `time_updated`.
import { TOKEN_COLUMNS, tokenValues } from '../contracts/usage';
import { type Db, dirtyTracker } from '../store';
import type { OpenCodeSkip, OpenCodeUsage } from './message';

/**
 * A database as last read. `signature` is the stat of the file and its -wal (sizes, mtimes), kept
 * in scan_cursors.fingerprint; `highWater` the largest message `time_updated` read, in offset.
 */
export type OpenCodeCursor = {
  inode: number;
  signature: string | null;
  highWater: number;
  skipped: number;
  skippedByReason: Partial<Record<OpenCodeSkip, number>>;
};

/** The columns a row sets besides its key, in the order `usage()` binds them. */
const COLUMNS = ['session_id', 'project', 'model', 'ts', ...TOKEN_COLUMNS, 'reasoning_tokens', 'is_sidechain', 'message_id', 'agent'];
const cols = (alias?: string) => COLUMNS.map((c) => (alias ? `${alias}.${c}` : c)).join(', ');

export function openCodeLedger(db: Db) {
  // OpenCode rewrites a message while it streams and once more when it completes: the latest copy
  // wins. A copy equal to the stored row changes nothing (re-reading the overlap is free).
  const upsert = db.prepare(`
    INSERT INTO usage (profile, dedup_key, ${cols()}) VALUES (?, ?, ${COLUMNS.map((c) => (c === 'agent' ? `'opencode'` : '?')).join(', ')})
    ON CONFLICT (profile, dedup_key) DO UPDATE SET (${cols()}) = (${cols('excluded')})
    WHERE (${cols('usage')}) IS NOT (${cols('excluded')})`);
  const cursorOf = db.prepare(
    `SELECT inode, fingerprint, offset, skipped_lines, skipped_by_reason FROM scan_cursors WHERE path = ? AND profile = ?`,
  );
  const putCursor = db.prepare(`
    INSERT INTO scan_cursors (path, profile, inode, size, offset, mtime_ms, fingerprint, skipped_lines, skipped_by_reason)
    VALUES (?, ?, ?, 0, ?, 0, ?, ?, ?)
    ON CONFLICT (path) DO UPDATE SET profile = excluded.profile, inode = excluded.inode, offset = excluded.offset,
      fingerprint = excluded.fingerprint, skipped_lines = excluded.skipped_lines, skipped_by_reason = excluded.skipped_by_reason`);
  // The rollup buckets the written rows touch, marked before COMMIT (lib/store's dirtyTracker).
  const dirty = dirtyTracker(db);

  return {
    /** True when the row was new or changed. */
    usage(profile: string, u: OpenCodeUsage): boolean {
      const changed =
        upsert.run(
          profile,
          u.messageId,
          u.sessionId,
          u.project,
          u.model,
          u.ts,
          ...tokenValues(u),
          u.reasoning_tokens,
          u.sidechain ? 1 : 0,
          u.messageId,
        ).changes > 0;
      if (changed) dirty.touch(profile, u.ts);
      return changed;
    },
    cursor(profile: string, path: string): OpenCodeCursor | undefined {
      const r = cursorOf.get(path, profile) as
        | { inode: number; fingerprint: string | null; offset: number; skipped_lines: number; skipped_by_reason: string | null }
        | undefined;
      if (!r) return undefined;
      const skippedByReason = r.skipped_by_reason ? JSON.parse(r.skipped_by_reason) : {};
      return { inode: r.inode, signature: r.fingerprint, highWater: r.offset, skipped: r.skipped_lines, skippedByReason };
    },
    putCursor(profile: string, path: string, c: OpenCodeCursor): void {
      putCursor.run(path, profile, c.inode, c.highWater, c.signature, c.skipped, JSON.stringify(c.skippedByReason));
    },
    /** Inside the transaction, before COMMIT. */
    flushDirty: dirty.flush,
  };
}
