// The SQLite side of the scanner: prepared statements for usage rows (Claude Code's and Codex's),
// limit hits, cost states and per-file cursors. Every write is idempotent, so re-reading a file from 0 never double counts.
import { TOKEN_COLUMNS_SQL, TOTAL_TOKENS_SQL, tokenValues } from '../contracts/usage';
import { type Db, dirtyTracker } from '../store';
import type { ApiError, CodexUsage, CostState, LimitHit, SkipReason, UsageRecord } from './records';

export type SkipCounts = Partial<Record<SkipReason, number>>;

/**
 * What a pass needs from a file's cursor to decide whether, and from where, to read it.
 * `fingerprint` (fingerprint.ts) is null on cursors written before it existed: trusted as they are.
 */
export type Cursor = {
  inode: number;
  size: number;
  mtimeMs: number;
  offset: number;
  fingerprint: string | null;
  skippedLines: number;
  /** skippedLines per reason; lines skipped before v6 recorded reasons are in the total only. */
  skippedByReason: SkipCounts;
  /** What a reader needs from the lines before `offset` (JSON, Codex rollouts); null for Claude Code transcripts. */
  readerState: string | null;
};

/**
 * The statements that find a response's rows by message id, run once per usage line. INDEXED BY:
 * left to itself SQLite searches them by the primary key's prefix (profile), i.e. every row of the
 * profile once per line: a cold pass quadratic in the history.
 */
export const BY_MESSAGE_SQL = {
  keyOfMessage: `SELECT dedup_key FROM usage INDEXED BY usage_profile_message WHERE profile = ? AND message_id = ?
    ORDER BY is_sidechain, dedup_key LIMIT 1`,
  // A main-chain line drops the sidechain replays of its message stored before it (under other keys).
  dropReplays: `DELETE FROM usage INDEXED BY usage_profile_message
    WHERE profile = ? AND message_id = ? AND is_sidechain = 1 AND dedup_key <> ? RETURNING ts`,
};

export function ledger(db: Db) {
  // One row per (profile, dedup key). A copy replaces the stored one when it comes from the main
  // chain and the stored one is a sidechain replay, or when both are on the same side and it
  // carries more tokens (earlier copies of a streamed response hold partial output counts).
  const upsertUsage = db.prepare(`
    INSERT INTO usage (profile, dedup_key, session_id, project, model, ts, ${TOKEN_COLUMNS_SQL()},
      speed, is_sidechain, message_id, request_id)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (profile, dedup_key) DO UPDATE SET
      session_id = excluded.session_id, project = excluded.project, model = excluded.model, ts = excluded.ts,
      (${TOKEN_COLUMNS_SQL()}) = (${TOKEN_COLUMNS_SQL('excluded')}), speed = excluded.speed,
      is_sidechain = excluded.is_sidechain, message_id = excluded.message_id, request_id = excluded.request_id
    WHERE usage.is_sidechain > excluded.is_sidechain
       OR (usage.is_sidechain = excluded.is_sidechain AND ${TOTAL_TOKENS_SQL('excluded')} > ${TOTAL_TOKENS_SQL('usage')})`);
  // A sidechain line is a replay of any stored response with its message id, whatever its
  // requestId (ccusage's rule too): it folds into that row. Two main-chain copies with different
  // requestIds stay two rows.
  const keyOfMessage = db.prepare(BY_MESSAGE_SQL.keyOfMessage).pluck();
  const dropReplays = db.prepare(BY_MESSAGE_SQL.dropReplays);
  // A Codex response: copies (a repeated token_count, a replay in a fork or sub-agent rollout)
  // share the key; the larger total wins, on a tie the earlier copy, whatever order files are read in.
  const upsertCodex = db.prepare(`
    INSERT INTO usage (profile, dedup_key, session_id, project, model, ts, ${TOKEN_COLUMNS_SQL()},
      reasoning_tokens, is_sidechain, agent)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'codex')
    ON CONFLICT (profile, dedup_key) DO UPDATE SET
      session_id = excluded.session_id, project = excluded.project, model = excluded.model, ts = excluded.ts,
      (${TOKEN_COLUMNS_SQL()}) = (${TOKEN_COLUMNS_SQL('excluded')}), reasoning_tokens = excluded.reasoning_tokens,
      is_sidechain = excluded.is_sidechain
    WHERE ${TOTAL_TOKENS_SQL('excluded')} > ${TOTAL_TOKENS_SQL('usage')}
       OR (${TOTAL_TOKENS_SQL('excluded')} = ${TOTAL_TOKENS_SQL('usage')} AND excluded.ts < usage.ts)`);
  const tsOfKey = db.prepare('SELECT ts FROM usage WHERE profile = ? AND dedup_key = ?').pluck();
  const insertApiError = db.prepare(`INSERT OR IGNORE INTO api_errors (profile, session_id, ts, error) VALUES (?, ?, ?, ?)`);
  const insertLimit = db.prepare(`INSERT OR IGNORE INTO limit_hits (profile, session_id, ts, reset_at) VALUES (?, ?, ?, ?)`);
  // Claude Code rewrites its running total; the latest line of a session wins.
  const upsertCost = db.prepare(`
    INSERT INTO cost_states (profile, session_id, ts, total_cost_usd) VALUES (?, ?, ?, ?)
    ON CONFLICT (profile, session_id) DO UPDATE SET ts = excluded.ts, total_cost_usd = excluded.total_cost_usd
    WHERE excluded.ts >= cost_states.ts`);
  // Raw rows: a warm pass loads every cursor, and arrays come out of better-sqlite3 faster than objects.
  const cursorsOf = db
    .prepare(
      `SELECT path, inode, size, mtime_ms, offset, fingerprint, skipped_lines, skipped_by_reason, reader_state FROM scan_cursors WHERE profile = ?`,
    )
    .raw();
  const putCursor = db.prepare(`
    INSERT INTO scan_cursors (path, profile, inode, size, offset, mtime_ms, fingerprint, skipped_lines, skipped_by_reason, reader_state)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (path) DO UPDATE SET profile = excluded.profile, inode = excluded.inode, size = excluded.size,
      offset = excluded.offset, mtime_ms = excluded.mtime_ms, fingerprint = excluded.fingerprint,
      skipped_lines = excluded.skipped_lines, skipped_by_reason = excluded.skipped_by_reason, reader_state = excluded.reader_state`);
  const dropCursor = db.prepare(`DELETE FROM scan_cursors WHERE path = ?`);
  // Rollup buckets this transaction touched (lib/store's dirtyTracker).
  const dirty = dirtyTracker(db);
  const touch = dirty.touch;

  return {
    usage(profile: string, u: UsageRecord): void {
      const key = u.isSidechain ? ((keyOfMessage.get(profile, u.messageId) as string | undefined) ?? u.dedupKey) : u.dedupKey;
      if (!u.isSidechain) for (const { ts } of dropReplays.all(profile, u.messageId, key) as { ts: number }[]) touch(profile, ts);
      upsertUsage.run(
        profile,
        key,
        u.sessionId,
        u.project,
        u.model,
        u.ts,
        ...tokenValues(u),
        u.speed,
        u.isSidechain ? 1 : 0,
        u.messageId,
        u.requestId,
      );
      touch(profile, u.ts);
    },
    codexUsage(profile: string, u: CodexUsage): void {
      // A replaced copy may move the row to another bucket: both are dirty.
      const before = tsOfKey.get(profile, u.dedupKey) as number | undefined;
      const { changes } = upsertCodex.run(
        profile,
        u.dedupKey,
        u.sessionId,
        u.project,
        u.model,
        u.ts,
        ...tokenValues(u),
        u.reasoning_tokens,
        u.isSidechain ? 1 : 0,
      );
      if (changes === 0) return;
      if (before !== undefined) touch(profile, before);
      touch(profile, u.ts);
    },
    /** Inside the transaction, before COMMIT. */
    flushDirty: dirty.flush,
    discardDirty: dirty.discard,
    limit(profile: string, h: LimitHit): void {
      insertLimit.run(profile, h.sessionId, h.ts, h.resetAt);
    },
    apiError(profile: string, e: ApiError): void {
      insertApiError.run(profile, e.sessionId, e.ts, e.error);
    },
    cost(profile: string, c: CostState): void {
      upsertCost.run(profile, c.sessionId, c.ts, c.totalCostUsd);
    },
    cursors(profile: string): Map<string, Cursor> {
      const map = new Map<string, Cursor>();
      type Row = [string, number, number, number, number, string | null, number, string | null, string | null];
      for (const [path, inode, size, mtimeMs, offset, fingerprint, skippedLines, reasons, readerState] of cursorsOf.all(profile) as Row[]) {
        const skippedByReason = reasons ? JSON.parse(reasons) : {};
        map.set(path, { inode, size, mtimeMs, offset, fingerprint, skippedLines, skippedByReason, readerState });
      }
      return map;
    },
    putCursor(profile: string, path: string, c: Cursor): void {
      putCursor.run(
        path,
        profile,
        c.inode,
        c.size,
        c.offset,
        c.mtimeMs,
        c.fingerprint,
        c.skippedLines,
        JSON.stringify(c.skippedByReason),
        c.readerState,
      );
    },
    dropCursor(path: string): void {
      dropCursor.run(path);
    },
  };
}
export type Ledger = ReturnType<typeof ledger>;
