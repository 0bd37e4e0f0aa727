// Folds hook records into hook_events, sessions and turns. Each record is applied at most once:
// its id is the hook_events primary key, and the derived updates run only when that insert did.

import { AUTH_ERRORS, PAYLOAD_TEXT_FIELDS } from '../contracts/hook-input';
import type { InboxRecord } from '../contracts/inbox';
import type { Db } from '../store';
import { insaneTimeReason, isSaneTime } from '../time';

/** Equal timestamps resolve to the later stage, so a session never moves backwards. */
const STATUS_RANK: Record<string, number> = { running: 0, completed: 1, failed: 2, ended: 3 };

type Statements = ReturnType<typeof prepare>;

function prepare(db: Db) {
  return {
    insertEvent: db.prepare(
      `INSERT OR IGNORE INTO hook_events (event_id, profile, session_id, event, ts, payload)
       VALUES (@id, @profile, @session_id, @event, @ts, @payload)`,
    ),
    ensureSession: db.prepare(
      `INSERT OR IGNORE INTO sessions (profile, session_id, started_at, last_seen_at)
       VALUES (@profile, @session_id, @ts, @ts)`,
    ),
    touchSession: db.prepare(
      `UPDATE sessions SET
         started_at      = MIN(started_at, @ts),
         cwd             = CASE WHEN @ts >= last_seen_at AND @cwd IS NOT NULL THEN @cwd ELSE COALESCE(cwd, @cwd) END,
         transcript_path = CASE WHEN @ts >= last_seen_at AND @transcript_path IS NOT NULL THEN @transcript_path ELSE COALESCE(transcript_path, @transcript_path) END,
         permission_mode = CASE WHEN @ts >= last_seen_at AND @permission_mode IS NOT NULL THEN @permission_mode ELSE COALESCE(permission_mode, @permission_mode) END,
         model           = COALESCE(@model, model),
         last_seen_at    = MAX(last_seen_at, @ts)
       WHERE profile = @profile AND session_id = @session_id`,
    ),
    // An ended session (ended_at set) stays ended until it starts again (a resume's SessionStart
    // reopens it): a background Stop hook stamps its event once its node process is up, which can
    // be after the SessionEnd the shell spooled at once.
    setStatus: db.prepare(
      `UPDATE sessions SET status = @status, status_ts = @ts
       WHERE profile = @profile AND session_id = @session_id
         AND (ended_at IS NULL OR @reopens = 1)
         AND (status_ts < @ts OR (status_ts = @ts AND @rank > CASE status
               WHEN 'running' THEN 0 WHEN 'completed' THEN 1 WHEN 'failed' THEN 2 ELSE 3 END))`,
    ),
    addTurn: db.prepare(
      `INSERT OR IGNORE INTO turns (event_id, profile, session_id, ts, failed, error)
       VALUES (@id, @profile, @session_id, @ts, @failed, @error)`,
    ),
    countTurn: db.prepare(
      `UPDATE sessions SET turns = turns + 1, failed_turns = failed_turns + @failed
       WHERE profile = @profile AND session_id = @session_id`,
    ),
    recordFailure: db.prepare(
      `UPDATE sessions SET failure_error = @error, failure_details = @details
       WHERE profile = @profile AND session_id = @session_id`,
    ),
    endSession: db.prepare(
      `UPDATE sessions SET ended_at = MAX(COALESCE(ended_at, 0), @ts), end_reason = @reason
       WHERE profile = @profile AND session_id = @session_id AND (ended_at IS NULL OR ended_at <= @ts)`,
    ),
    markEnded: db.prepare(
      `UPDATE sessions SET status = 'ended', status_ts = MAX(status_ts, @ts)
       WHERE profile = @profile AND session_id = @session_id AND ended_at IS NOT NULL`,
    ),
    reopen: db.prepare(
      `UPDATE sessions SET ended_at = NULL, end_reason = NULL
       WHERE profile = @profile AND session_id = @session_id AND ended_at < @ts`,
    ),
    compacted: db.prepare(`UPDATE sessions SET compact_count = compact_count + 1 WHERE profile = @profile AND session_id = @session_id`),
  };
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export type HookRow = { record: InboxRecord; profile: string };

/** Events that start, count a turn of, or end a session: a sub-agent's own do none of it. */
const SESSION_LIFECYCLE: ReadonlySet<string> = new Set(['SessionStart', 'Stop', 'StopFailure', 'SessionEnd']);

/**
 * Applies hook records; returns how many were new. Call inside a transaction. A record whose
 * received_at (the hook's clock) is out of the sane range at `now()` is logged and dropped: kept,
 * a SessionEnd ten years ahead would pin its session's state.
 */
export function makeHookApplier(
  db: Db,
  clock: { now: () => number; log: (msg: string) => void; keepPayloads: () => boolean },
): (rows: HookRow[]) => number {
  const st = prepare(db);
  return (rows) => {
    const now = clock.now();
    let applied = 0;
    for (const row of rows) {
      const at = row.record.received_at;
      if (!isSaneTime(at, now))
        clock.log(`inbox: skipped ${row.record.event} ${row.record.id}: received_at ${at} is ${insaneTimeReason(at)}`);
      else if (applyOne(st, row, clock.keepPayloads())) applied++;
    }
    return applied;
  };
}

const TEXT_FIELDS: ReadonlySet<string> = new Set(PAYLOAD_TEXT_FIELDS);

/** The payload as hook_events keeps it: without prompts, tool inputs and replies unless asked. */
const storedPayload = (p: Record<string, unknown>, keep: boolean): Record<string, unknown> =>
  keep ? p : Object.fromEntries(Object.entries(p).filter(([k]) => !TEXT_FIELDS.has(k)));

function applyOne(st: Statements, { record, profile }: HookRow, keepPayloads: boolean): boolean {
  const p = record.payload;
  const session_id = str(p.session_id);
  if (!session_id) return false;
  const key = { profile, session_id, ts: record.received_at };
  const payload = JSON.stringify(storedPayload(p, keepPayloads));
  const inserted = st.insertEvent.run({ ...key, id: record.id, event: record.event, payload });
  if (inserted.changes === 0) return false;

  st.ensureSession.run(key);
  // A sub-agent's start, stop or end (Codex: the parent's session_id plus its agent_id) is no
  // turn of the user's and does not start or end the parent session; it is kept as an event.
  const subagent = str(p.agent_id) !== null && SESSION_LIFECYCLE.has(record.event);
  st.touchSession.run({
    ...key,
    cwd: str(p.cwd),
    transcript_path: subagent ? null : str(p.transcript_path),
    permission_mode: str(p.permission_mode),
    model: record.event === 'SessionStart' && !subagent ? modelName(p.model) : null,
  });
  const status = (s: keyof typeof STATUS_RANK) =>
    st.setStatus.run({ ...key, status: s, rank: STATUS_RANK[s], reopens: record.event === 'SessionStart' ? 1 : 0 });

  if (subagent) return true;
  switch (record.event) {
    case 'SessionStart':
      st.reopen.run(key); // a resumed session is live again
      status('running');
      break;
    case 'UserPromptSubmit':
    case 'PreToolUse':
      status('running');
      break;
    case 'Stop':
      st.addTurn.run({ ...key, id: record.id, failed: 0, error: null });
      st.countTurn.run({ ...key, failed: 0 });
      status('completed');
      break;
    case 'StopFailure': {
      const error = str(p.error) ?? 'unknown';
      if (!AUTH_ERRORS.has(error)) {
        st.addTurn.run({ ...key, id: record.id, failed: 1, error });
        st.countTurn.run({ ...key, failed: 1 });
      }
      st.recordFailure.run({ ...key, error, details: detailsText(p.error_details) });
      status('failed');
      break;
    }
    case 'SessionEnd':
      st.endSession.run({ ...key, reason: str(p.reason) ?? 'other' });
      st.markEnded.run(key);
      break;
    case 'PostCompact':
      st.compacted.run(key);
      break;
  }
  return true;
}

/** SessionStart carries `model` as a string or as {id, display_name} depending on the version. */
function modelName(v: unknown): string | null {
  if (typeof v === 'string') return str(v);
  if (v && typeof v === 'object' && 'id' in v) return str((v as { id: unknown }).id);
  return null;
}

function detailsText(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  return typeof v === 'string' ? v : JSON.stringify(v);
}
