// Schema history. Each entry moves the DB from version i to i+1 (PRAGMA user_version) inside one
// transaction. Never edit an entry that has shipped: append a new one.
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE hook_events (
    event_id    TEXT PRIMARY KEY,
    profile     TEXT NOT NULL,
    session_id  TEXT NOT NULL,
    event       TEXT NOT NULL,
    ts          INTEGER NOT NULL,          -- ms since epoch, when the hook received it
    payload     TEXT NOT NULL              -- the hook input as JSON, big strings truncated
  );
  CREATE INDEX hook_events_session ON hook_events(profile, session_id, ts);

  CREATE TABLE sessions (
    profile          TEXT NOT NULL,
    session_id       TEXT NOT NULL,
    started_at       INTEGER,
    last_seen_at     INTEGER,
    ended_at         INTEGER,
    status           TEXT NOT NULL DEFAULT 'running',  -- running | completed | failed | ended
    status_ts        INTEGER NOT NULL DEFAULT 0,       -- ts of the event that set status
    end_reason       TEXT,
    model            TEXT,
    cwd              TEXT,
    transcript_path  TEXT,
    permission_mode  TEXT,
    failure_error    TEXT,
    failure_details  TEXT,
    compact_count    INTEGER NOT NULL DEFAULT 0,
    turns            INTEGER NOT NULL DEFAULT 0,
    failed_turns     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (profile, session_id)
  );

  -- One row per turn (Stop, or StopFailure that is not an auth error): the quota windows count these.
  CREATE TABLE turns (
    event_id    TEXT PRIMARY KEY,
    profile     TEXT NOT NULL,
    session_id  TEXT NOT NULL,
    ts          INTEGER NOT NULL,
    failed      INTEGER NOT NULL DEFAULT 0,
    error       TEXT
  );
  CREATE INDEX turns_profile_ts ON turns(profile, ts);

  -- One row per deduplicated API response found in transcripts.
  CREATE TABLE usage (
    profile                   TEXT NOT NULL,
    dedup_key                 TEXT NOT NULL,   -- message.id + ':' + requestId (or message.id)
    session_id                TEXT,
    project                   TEXT,
    model                     TEXT,
    ts                        INTEGER NOT NULL,
    input_tokens              INTEGER NOT NULL DEFAULT 0,
    output_tokens             INTEGER NOT NULL DEFAULT 0,
    cache_read_tokens         INTEGER NOT NULL DEFAULT 0,
    cache_creation_5m_tokens  INTEGER NOT NULL DEFAULT 0,
    cache_creation_1h_tokens  INTEGER NOT NULL DEFAULT 0,
    speed                     TEXT,
    is_sidechain              INTEGER NOT NULL DEFAULT 0,
    message_id                TEXT,
    request_id                TEXT,
    PRIMARY KEY (profile, dedup_key)
  ) WITHOUT ROWID;
  CREATE INDEX usage_profile_ts ON usage(profile, ts);
  CREATE INDEX usage_session ON usage(session_id);

  CREATE TABLE scan_cursors (
    path           TEXT PRIMARY KEY,
    profile        TEXT NOT NULL,
    inode          INTEGER NOT NULL,
    size           INTEGER NOT NULL,
    offset         INTEGER NOT NULL,
    mtime_ms       INTEGER NOT NULL DEFAULT 0,
    skipped_lines  INTEGER NOT NULL DEFAULT 0
  );

  -- "usage limit reached|<epoch>" lines: the profile is out until reset_at.
  CREATE TABLE limit_hits (
    profile     TEXT NOT NULL,
    session_id  TEXT,
    ts          INTEGER NOT NULL,
    reset_at    INTEGER NOT NULL,
    PRIMARY KEY (profile, ts, reset_at)
  );

  -- Claude Code's own cost figure per session (cost-state lines).
  CREATE TABLE cost_states (
    profile         TEXT NOT NULL,
    session_id      TEXT NOT NULL,
    ts              INTEGER NOT NULL,
    total_cost_usd  REAL NOT NULL,
    PRIMARY KEY (profile, session_id)
  );

  -- Latest rate_limits figures Claude Code gave the status line, per window.
  CREATE TABLE rate_limits (
    profile          TEXT NOT NULL,
    window           TEXT NOT NULL,   -- five_hour | seven_day
    used_percentage  REAL NOT NULL,
    resets_at        INTEGER,
    observed_at      INTEGER NOT NULL,
    PRIMARY KEY (profile, window)
  );
  `,
  `
  -- No query looks usage up by session alone; the index only slowed every insert.
  DROP INDEX usage_session;

  -- Usage pre-aggregated the way reports group it (lib/store/rollup.ts): one row per profile,
  -- session, project, model, speed, 15-minute bucket and long-context class.
  CREATE TABLE usage_buckets (
    profile                   TEXT NOT NULL,
    session_id                TEXT,
    project                   TEXT,
    model                     TEXT,
    speed                     TEXT,
    bucket                    INTEGER NOT NULL,
    cls                       INTEGER NOT NULL,
    first_ts                  INTEGER NOT NULL,
    last_ts                   INTEGER NOT NULL,
    n                         INTEGER NOT NULL,
    input_tokens              INTEGER NOT NULL,
    output_tokens             INTEGER NOT NULL,
    cache_read_tokens         INTEGER NOT NULL,
    cache_creation_5m_tokens  INTEGER NOT NULL,
    cache_creation_1h_tokens  INTEGER NOT NULL
  );
  CREATE INDEX usage_buckets_profile_bucket ON usage_buckets(profile, bucket);

  -- Buckets whose usage rows changed since the rollup was last refreshed.
  CREATE TABLE usage_dirty (
    profile  TEXT NOT NULL,
    bucket   INTEGER NOT NULL,
    PRIMARY KEY (profile, bucket)
  ) WITHOUT ROWID;

  CREATE TABLE rollup_state (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
  );
  `,
  // v3: the rollup again, per day piece (a local day of one zone cut at UTC midnight too), with
  // no session or project: what daily / weekly / monthly read.
  `
  CREATE TABLE usage_days (
    profile                   TEXT NOT NULL,
    model                     TEXT,
    speed                     TEXT,
    day                       INTEGER NOT NULL,  -- start of the piece, ms
    cls                       INTEGER NOT NULL,
    first_ts                  INTEGER NOT NULL,
    last_ts                   INTEGER NOT NULL,
    n                         INTEGER NOT NULL,
    input_tokens              INTEGER NOT NULL,
    output_tokens             INTEGER NOT NULL,
    cache_read_tokens         INTEGER NOT NULL,
    cache_creation_5m_tokens  INTEGER NOT NULL,
    cache_creation_1h_tokens  INTEGER NOT NULL
  );
  CREATE INDEX usage_days_profile_day ON usage_days(profile, day);
  `,
  // v4: how far each claimed inbox file is applied, committed with the records it covers, so a
  // consolidator killed mid-file resumes there instead of starting the file over.
  `
  CREATE TABLE inbox_progress (
    file    TEXT PRIMARY KEY,  -- the claimed file's name, inbox.<pid>.<ms>.jsonl
    offset  INTEGER NOT NULL   -- bytes applied: the next read starts here
  ) WITHOUT ROWID;
  `,
  // v5: a hash of a transcript's head and of the bytes before the cursor's offset
  // (lib/transcripts/fingerprint.ts), so a file rewritten in place is read again from 0.
  `
  ALTER TABLE scan_cursors ADD COLUMN fingerprint TEXT;
  `,
  // v6: numbers that can be explained. Sidechain replays are found by message id (the index);
  // skipped lines are counted per reason; API errors that ended a turn are kept from transcripts
  // (their StopFailure hook is often killed), and turn_failures joins them to the hooks' failed
  // turns, dropping an API error whose StopFailure was recorded (same session, ts within -10 s..+60 s).
  `
  CREATE INDEX usage_profile_message ON usage(profile, message_id);

  ALTER TABLE scan_cursors ADD COLUMN skipped_by_reason TEXT;  -- JSON {reason: count}; NULL before v6

  CREATE TABLE api_errors (
    profile     TEXT NOT NULL,
    session_id  TEXT NOT NULL,
    ts          INTEGER NOT NULL,
    error       TEXT NOT NULL,   -- the message's text, e.g. 'API Error: 400 ...'
    PRIMARY KEY (profile, session_id, ts)
  );

  CREATE VIEW transcript_failures AS
    SELECT a.* FROM api_errors a
    WHERE NOT EXISTS (SELECT 1 FROM hook_events h
                      WHERE h.profile = a.profile AND h.session_id = a.session_id AND h.event = 'StopFailure'
                        AND h.ts BETWEEN a.ts - 10000 AND a.ts + 60000);

  CREATE VIEW turn_failures AS
    SELECT profile, session_id, ts, error FROM turns WHERE failed = 1
    UNION ALL
    SELECT profile, session_id, ts, error FROM transcript_failures;
  `,
  // v7: per profile and window, the latest figure Claude Code gave in each of its windows (keyed
  // by when that window resets): what lib/quota/calibration.ts learns a window's capacity from.
  `
  CREATE TABLE rate_limit_samples (
    profile          TEXT NOT NULL,
    window           TEXT NOT NULL,     -- five_hour | seven_day
    resets_at        INTEGER NOT NULL,  -- the window's end, rounded to the minute
    used_percentage  REAL NOT NULL,
    observed_at      INTEGER NOT NULL,
    PRIMARY KEY (profile, window, resets_at)
  ) WITHOUT ROWID;
  `,
  // v8: hook payloads without what users typed or tools carried, stored before ccx dropped it by
  // default (the fields of contracts/hook-input's PAYLOAD_TEXT_FIELDS when v8 shipped, frozen here).
  `
  UPDATE hook_events SET payload = json_remove(payload, '$.prompt', '$.tool_input', '$.tool_response', '$.last_assistant_message', '$.custom_instructions')
    WHERE CASE WHEN json_valid(payload) THEN json_type(payload, '$.prompt') IS NOT NULL OR json_type(payload, '$.tool_input') IS NOT NULL OR json_type(payload, '$.tool_response') IS NOT NULL OR json_type(payload, '$.last_assistant_message') IS NOT NULL OR json_type(payload, '$.custom_instructions') IS NOT NULL ELSE 0 END;
  `,
  // v9: usage from other agents' logs (Codex rollouts, OpenCode's database) beside Claude Code's:
  // which agent wrote the response a row counts. A profile is one agent's home, so rows before v9 are claude's.
  `
  ALTER TABLE usage ADD COLUMN agent TEXT NOT NULL DEFAULT 'claude';
  `,
  // v10: Codex rollouts (lib/transcripts/codex-*.ts). Codex reports reasoning tokens beside the
  // output that already includes them: kept as a figure of their own, outside the billed columns.
  // A rollout read from mid-file needs what its earlier lines said (session, model, replay state):
  // the reader's state, written with the cursor; NULL for Claude Code transcripts.
  `
  ALTER TABLE usage ADD COLUMN reasoning_tokens INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE scan_cursors ADD COLUMN reader_state TEXT;
  `,
  // v11: day pieces of several zones (the consolidator's and the latest ones reports asked for,
  // lib/store/rollup.ts), each row saying its zone. Derived data: rebuilt from usage_buckets.
  `
  DROP TABLE usage_days;
  CREATE TABLE usage_days (
    zone                      TEXT NOT NULL,
    profile                   TEXT NOT NULL,
    model                     TEXT,
    speed                     TEXT,
    day                       INTEGER NOT NULL,  -- start of the piece, ms
    cls                       INTEGER NOT NULL,
    first_ts                  INTEGER NOT NULL,
    last_ts                   INTEGER NOT NULL,
    n                         INTEGER NOT NULL,
    input_tokens              INTEGER NOT NULL,
    output_tokens             INTEGER NOT NULL,
    cache_read_tokens         INTEGER NOT NULL,
    cache_creation_5m_tokens  INTEGER NOT NULL,
    cache_creation_1h_tokens  INTEGER NOT NULL
  );
  CREATE INDEX usage_days_zone_profile_day ON usage_days(zone, profile, day);
  DELETE FROM rollup_state WHERE key = 'days';
  `,
];
