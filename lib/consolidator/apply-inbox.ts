// Claimed inbox files → SQLite, streamed and committed in bounded batches, each batch together
// with the file offset it reaches: a consolidator killed at any moment resumes at the last commit
// (records are idempotent by id, so a batch re-applied after a crash changes nothing). A line
// that cannot be applied is quarantined with its error and the batch goes on without it.
import { basename } from 'node:path';
import type { Profile } from '../contracts/profile';
import { CLAIM_SETTLE_MS, claimedAt, claimInbox, type InboxLine, InboxReader, quarantineLine, removeClaimed } from '../inbox';
import type { Logger } from '../log';
import type { CcxPaths } from '../paths';
import { profileForConfigDir } from '../profiles';
import type { Db } from '../store';
import { type HookRow, makeHookApplier } from './apply-events';
import { makeStatusLineApplier } from './apply-statusline';

/** A batch is committed at this many records or bytes read, whichever comes first. */
export const BATCH_RECORDS = 1000;
export const BATCH_BYTES = 4 << 20;

export type InboxStats = { records: number; applied: number; bad: number; quarantined: number };

type Line = InboxLine & { record: NonNullable<InboxLine['record']> };

export function makeInboxApplier(db: Db, deps: { paths: CcxPaths; now: () => number; log: Logger; keepPayloads: () => boolean }) {
  const applyHooks = makeHookApplier(db, deps);
  const applyStatusLine = makeStatusLineApplier(db, deps);
  const getOffset = db.prepare('SELECT offset FROM inbox_progress WHERE file = ?').pluck();
  const setOffset = db.prepare(
    'INSERT INTO inbox_progress (file, offset) VALUES (?, ?) ON CONFLICT (file) DO UPDATE SET offset = excluded.offset',
  );
  const dropOffset = db.prepare('DELETE FROM inbox_progress WHERE file = ?');

  const applyLines = (lines: Line[], profiles: Profile[]): number => {
    const hooks: HookRow[] = [];
    const status: HookRow[] = [];
    for (const { record } of lines) {
      const row = { record, profile: record.profile ?? profileForConfigDir(profiles, record.config_dir) };
      (record.kind === 'hook' ? hooks : status).push(row);
    }
    return applyHooks(hooks) + applyStatusLine(status);
  };

  /** One transaction: the lines and the offset. If a line throws, the lines one by one. */
  const commit = (file: string, lines: Line[], end: number, profiles: Profile[], stats: InboxStats) => {
    const name = basename(file);
    try {
      stats.applied += db
        .transaction(() => {
          const n = applyLines(lines, profiles);
          setOffset.run(name, end);
          return n;
        })
        .immediate();
    } catch (err) {
      if (!isRecordFault(err)) throw err;
      stats.applied += db
        .transaction(() => {
          let n = 0;
          for (const line of lines) {
            try {
              n += db.transaction(() => applyLines([line], profiles))(); // a savepoint
            } catch (e) {
              if (!isRecordFault(e)) throw e;
              const error = (e as Error).message;
              deps.log(`inbox ${file}@${line.offset}: quarantined in ${deps.paths.quarantine}: ${error}`);
              quarantineLine(deps.paths.quarantine, { at: deps.now(), file: name, offset: line.offset, error, line: line.text });
              stats.quarantined++;
            }
          }
          setOffset.run(name, end);
          return n;
        })
        .immediate();
    }
  };

  return (profiles: Profile[]): InboxStats => {
    const stats: InboxStats = { records: 0, applied: 0, bad: 0, quarantined: 0 };
    for (const file of claimInbox(deps.paths.inbox, deps.now())) {
      const from = (getOffset.get(basename(file)) as number | undefined) ?? 0;
      const reader = new InboxReader(file, from);
      let end = from;
      let committed = from;
      let tail: number;
      try {
        let batch: Line[] = [];
        for (let line = reader.next(); line; line = reader.next()) {
          if (line.bad !== null) {
            stats.bad++;
            deps.log(`inbox ${file}@${line.offset}: skipped: ${line.bad}`);
          }
          if (line.record) batch.push(line as Line);
          end = line.end;
          if (batch.length >= BATCH_RECORDS || end - committed >= BATCH_BYTES) {
            commit(file, batch, end, profiles, stats);
            stats.records += batch.length;
            batch = [];
            committed = end;
          }
        }
        if (end > committed) commit(file, batch, end, profiles, stats);
        stats.records += batch.length;
        tail = reader.tail;
      } finally {
        reader.close();
      }
      if (deps.now() - claimedAt(file) >= CLAIM_SETTLE_MS) {
        if (tail > 0) deps.log(`inbox ${file}: dropped an unterminated last line of ${tail} bytes`);
        // Offset first: a crash before the unlink re-applies the file from the start, harmlessly.
        dropOffset.run(basename(file));
        removeClaimed(file);
      }
    }
    return stats;
  };
}

/**
 * Errors a record's own content causes (a payload too deep for JSON.stringify, a value SQLite
 * refuses) are quarantined; a full disk, a busy or read-only DB would fail every line alike and
 * are left to fail the pass, to be retried.
 */
function isRecordFault(err: unknown): boolean {
  if (!(err instanceof Error)) return true;
  const code = (err as { code?: unknown }).code;
  if (err.name !== 'SqliteError' || typeof code !== 'string') return true;
  return /^SQLITE_(TOOBIG|CONSTRAINT|MISMATCH|RANGE)/.test(code);
}
