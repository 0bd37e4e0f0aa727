// SQL over the ledger with the report's filters. Usage comes back as "facts": usage rows grouped
// by (profile, session, project, model, speed, 15-minute bucket, long-context class) and costed
// once per group. 15 minutes divides every real zone offset and the UTC day, so a bucket never
// straddles a local day or a price change; the class keeps long-context pricing per request.

import type { Agent } from '../contracts/profile';
import { TOKEN_COLUMNS_SQL } from '../contracts/usage';
import { costOfUsage, type PricedUsage, type PriceTable, promptClasses } from '../pricing';
import {
  BUCKET_MS,
  bucketRange,
  type Db,
  dayPieceSql,
  daysAreCurrent,
  type FactRow,
  factsOf,
  fromBuckets,
  fromUsage,
  hasHookEvents,
  readFacts,
  rollupIsCurrent,
  selectFactsSql,
  stepSql,
} from '../store';
import type { TokenCounts } from './usage';

export const NO_MODEL = '(unknown)';
export const NO_PROJECT = '(unknown)';

export type Filters = {
  /** Empty: every profile. NO_PROFILE: none (an --agent no profile has). */
  profiles: string[];
  project: string | null;
  model: string | null;
  /** [from, to) in ms; null = open. */
  from: number | null;
  to: number | null;
};

export type Fact = TokenCounts & {
  profile: string;
  sessionId: string;
  project: string;
  /** Start of the 15-minute bucket (ms): what local days and weeks are taken from. */
  bucket: number;
  /** Earliest and latest request in the group. */
  firstTs: number;
  lastTs: number;
  requests: number;
};

/** A profile list that matches no row: profile names are never empty (PROFILE_NAME_RE). */
export const NO_PROFILE: readonly string[] = [''];

type Where = { sql: string; params: unknown[] };

/** WHERE clause for a table whose columns are named by `cols` (profile, ts, project, model). */
export function whereFor(f: Filters, cols: { profile: string; ts: string; project: string | null; model: string | null }): Where {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (f.profiles.length) {
    parts.push(`${cols.profile} IN (${f.profiles.map(() => '?').join(',')})`);
    params.push(...f.profiles);
  }
  if (f.from !== null) {
    parts.push(`${cols.ts} >= ?`);
    params.push(f.from);
  }
  if (f.to !== null) {
    parts.push(`${cols.ts} < ?`);
    params.push(f.to);
  }
  if (f.project !== null && cols.project) {
    // The full path, or its last segment ("ccx" matches /home/me/src/ccx).
    parts.push(`(${cols.project} = ? OR substr(${cols.project}, -length(?) - 1) = '/' || ?)`);
    params.push(f.project, f.project, f.project);
  }
  if (f.model !== null && cols.model) {
    parts.push(`instr(lower(${cols.model}), lower(?)) > 0`);
    params.push(f.model);
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

/**
 * How fine facts are: per session and per project or not, and their buckets: a fixed step, or the
 * day pieces of a zone (its local days cut at UTC midnight, lib/store's dayPieceSql).
 */
export type Grain = { sessions: boolean; projects: boolean } & ({ step: number } | { dayPiecesIn: string });
/** Per session, per 15 minutes: what session views and blocks need. */
export const FINE: Grain = { sessions: true, projects: true, step: BUCKET_MS };

/**
 * For views that only need local days (periods, the summary): no session dimension, one bucket
 * per day piece of `tz`. A few facts per day in any zone, however long the history.
 */
export const dayGrain = (tz: string, opts: { projects: boolean }): Grain => ({ sessions: false, projects: opts.projects, dayPiecesIn: tz });

/** `range`: where `col` lies, when known cheaply (the rollup's buckets): arithmetic there, not a call per row. */
const bucketSql = (db: Db, grain: Grain, col: string, range: () => [number, number] | null): string =>
  'step' in grain ? stepSql(col, grain.step) : dayPieceSql(db, grain.dayPiecesIn, col, range());

/**
 * Fact rows from the rollup the consolidator keeps (lib/store/rollup.ts) when it is current for
 * these prices, else grouped from the usage table directly (same rows, slower on a big ledger).
 * Filters on the bucket start are exact: `from`/`to` are local-day boundaries, multiples of 15 min.
 * Every step divides a UTC day and day pieces are cut at UTC midnight: a group never spans two
 * price days.
 */
function factRows(db: Db, thresholds: number[], f: Filters, grain: Grain): readonly FactRow[] {
  const keep = { sessions: grain.sessions, projects: grain.projects };
  if (rollupIsCurrent(db, thresholds)) {
    const w = whereFor(f, { profile: 'profile', ts: 'bucket', project: 'project', model: 'model' });
    return readFacts(
      db,
      selectFactsSql(fromBuckets({ ...keep, bucket: bucketSql(db, grain, 'bucket', () => bucketRange(db)) }), 'usage_buckets', w.sql),
      w.params,
    );
  }
  const w = whereFor(f, { profile: 'u.profile', ts: 'u.ts', project: 'u.project', model: 'u.model' });
  return readFacts(
    db,
    selectFactsSql(fromUsage({ ...keep, bucket: bucketSql(db, grain, 'u.ts', () => null) }, thresholds), 'usage u', w.sql),
    w.params,
  );
}

export function usageFacts(db: Db, prices: PriceTable, f: Filters, grain: Grain = FINE): Fact[] {
  const classes = promptClasses(prices);
  return toFacts(factRows(db, classes.thresholds, f, grain), prices, classes);
}

/**
 * Facts for views that need local days of `tz` and nothing finer (daily, weekly, monthly): from
 * the day pieces the consolidator keeps (lib/store/rollup.ts) when it keeps this zone's and they are
 * current, else from `usageFacts` at the day grain. Each fact's bucket is then a piece start.
 */
export function dayFacts(db: Db, prices: PriceTable, f: Filters, tz: string): Fact[] {
  const classes = promptClasses(prices);
  if (f.project !== null || !daysAreCurrent(db, classes.thresholds, tz))
    return usageFacts(db, prices, f, dayGrain(tz, { projects: false }));
  const w = whereFor(f, { profile: 'profile', ts: 'day', project: null, model: 'model' });
  const where = w.sql ? `${w.sql} AND zone = ?` : 'WHERE zone = ?';
  const rows = readFacts(db, selectFactsSql(factsOf('usage_days'), 'usage_days', where, { group: false }), [...w.params, tz]);
  return toFacts(rows, prices, classes);
}

function toFacts(rows: readonly FactRow[], prices: PriceTable, classes: ReturnType<typeof promptClasses>): Fact[] {
  // Every field spelled out, no spreads: thousands of rows per report, and objects built by
  // spreading cost ~6x more (measured on 3k rows).
  return rows.map((r) => {
    // Every request of a group has the same price date: the group never spans a UTC day.
    const priced: PricedUsage = {
      input_tokens: r.input_tokens,
      output_tokens: r.output_tokens,
      cache_read_tokens: r.cache_read_tokens,
      cache_creation_5m_tokens: r.cache_creation_5m_tokens,
      cache_creation_1h_tokens: r.cache_creation_1h_tokens,
      model: r.model,
      speed: r.speed,
      ts: r.first_ts,
    };
    const c = costOfUsage(priced, prices, { promptTokens: classes.representative(r.cls) });
    return {
      profile: r.profile,
      sessionId: r.session_id ?? '',
      project: r.project ?? NO_PROJECT,
      bucket: r.bucket,
      firstTs: r.first_ts,
      lastTs: r.last_ts,
      requests: r.n,
      model: r.model ?? NO_MODEL,
      input_tokens: r.input_tokens,
      output_tokens: r.output_tokens,
      cache_read_tokens: r.cache_read_tokens,
      cache_creation_5m_tokens: r.cache_creation_5m_tokens,
      cache_creation_1h_tokens: r.cache_creation_1h_tokens,
      cost: c.usd,
      priced: c.priced,
    };
  });
}

/** Single requests in time order: what 5-hour blocks are cut from. */
export type UsageEntry = TokenCounts & { profile: string; ts: number };

export function usageEntries(db: Db, prices: PriceTable, f: Filters): UsageEntry[] {
  const w = whereFor(f, { profile: 'profile', ts: 'ts', project: 'project', model: 'model' });
  const rows = db
    .prepare(
      `SELECT profile, model, ts, ${TOKEN_COLUMNS_SQL()}, speed
       FROM usage ${w.sql} ORDER BY profile, ts`,
    )
    .all(...w.params) as (PricedUsage & { profile: string })[];
  // Spelled out, as in toFacts: one object per request.
  return rows.map((r) => {
    const c = costOfUsage(r, prices);
    return {
      profile: r.profile,
      ts: r.ts,
      model: r.model ?? NO_MODEL,
      input_tokens: r.input_tokens,
      output_tokens: r.output_tokens,
      cache_read_tokens: r.cache_read_tokens,
      cache_creation_5m_tokens: r.cache_creation_5m_tokens,
      cache_creation_1h_tokens: r.cache_creation_1h_tokens,
      cost: c.usd,
      priced: c.priced,
    };
  });
}

export type SessionRow = {
  profile: string;
  sessionId: string;
  status: string;
  startedAt: number | null;
  lastSeenAt: number | null;
  endedAt: number | null;
  endReason: string | null;
  model: string | null;
  cwd: string | null;
  turns: number;
  failedTurns: number;
  compactions: number;
  failureError: string | null;
  failureDetails: string | null;
  /** Claude Code's own cost figure for the session (cost-state lines), when it wrote one. */
  claudeCodeCostUsd: number | null;
};

/** Sessions active in [from, to): started before `to` and last seen at or after `from`. */
export function sessionRows(db: Db, f: Filters, id: string | null = null): SessionRow[] {
  const w = whereFor({ ...f, from: null, to: null }, { profile: 's.profile', ts: 's.last_seen_at', project: 's.cwd', model: 's.model' });
  const extra: string[] = [];
  const params = [...w.params];
  if (f.to !== null) {
    extra.push('COALESCE(s.started_at, s.last_seen_at) < ?');
    params.push(f.to);
  }
  if (f.from !== null) {
    extra.push('COALESCE(s.last_seen_at, s.started_at) >= ?');
    params.push(f.from);
  }
  if (id !== null) {
    extra.push('s.session_id = ?');
    params.push(id);
  }
  const where = [w.sql.replace(/^WHERE /, ''), ...extra].filter(Boolean).join(' AND ');
  return db
    .prepare(
      `SELECT s.profile, s.session_id AS sessionId, s.status, s.started_at AS startedAt, s.last_seen_at AS lastSeenAt,
              s.ended_at AS endedAt, s.end_reason AS endReason, s.model, s.cwd, s.turns + COALESCE(t.n, 0) AS turns,
              s.failed_turns + COALESCE(t.n, 0) AS failedTurns, s.compact_count AS compactions,
              COALESCE(s.failure_error, t.error) AS failureError, s.failure_details AS failureDetails,
              c.total_cost_usd AS claudeCodeCostUsd
       FROM sessions s LEFT JOIN cost_states c ON c.profile = s.profile AND c.session_id = s.session_id
       -- turns that ended in an API error no StopFailure hook reported (its hook is often killed)
       LEFT JOIN (SELECT profile, session_id, COUNT(*) AS n, MAX(error) AS error FROM transcript_failures GROUP BY profile, session_id) t
         ON t.profile = s.profile AND t.session_id = s.session_id
       ${where ? `WHERE ${where}` : ''}
       ORDER BY COALESCE(s.last_seen_at, s.started_at), s.profile, s.session_id`,
    )
    .all(...params) as SessionRow[];
}

export type Failure = {
  ts: number;
  profile: string;
  sessionId: string | null;
  /** api_error: a turn that ended in an API error the transcript shows and no StopFailure hook reported. */
  kind: 'stop_failure' | 'usage_limit' | 'api_error';
  error: string | null;
  resetAt: number | null;
};

/** StopFailure events (auth errors included), usage-limit hits and API errors without a StopFailure, the newest first. */
export function failures(db: Db, f: Filters, limit: number): Failure[] {
  const w = whereFor({ ...f, project: null, model: null }, { profile: 'profile', ts: 'ts', project: null, model: null });
  return db
    .prepare(
      `SELECT ts, profile, session_id AS sessionId, 'stop_failure' AS kind, json_extract(payload, '$.error') AS error, NULL AS resetAt
         FROM hook_events ${w.sql ? `${w.sql} AND` : 'WHERE'} event = 'StopFailure'
       UNION ALL
       SELECT ts, profile, session_id, 'usage_limit', 'usage limit reached', reset_at FROM limit_hits ${w.sql}
       UNION ALL
       SELECT ts, profile, session_id, 'api_error', error, NULL FROM transcript_failures ${w.sql}
       ORDER BY ts DESC, profile LIMIT ?`,
    )
    .all(...w.params, ...w.params, ...w.params, limit) as Failure[];
}

/** Lines skipped before state.db recorded why (schema v6): in the totals under this reason. */
export const UNRECORDED = 'unrecorded';

export type SkippedFile = { profile: string; path: string; lines: number; byReason: Record<string, number> };
/** Transcript lines the scanner skipped, ever: in all, per reason, and per file (most first). */
export type SkippedLines = { total: number; byReason: Record<string, number>; files: SkippedFile[] };

export function skippedLines(db: Db, profiles: string[]): SkippedLines {
  const w = whereFor(
    { profiles, project: null, model: null, from: null, to: null },
    { profile: 'profile', ts: '', project: null, model: null },
  );
  const rows = db
    .prepare(
      `SELECT profile, path, skipped_lines AS lines, skipped_by_reason AS reasons FROM scan_cursors
       ${w.sql ? `${w.sql} AND` : 'WHERE'} skipped_lines > 0 ORDER BY skipped_lines DESC, path`,
    )
    .all(...w.params) as { profile: string; path: string; lines: number; reasons: string | null }[];
  const out: SkippedLines = { total: 0, byReason: {}, files: [] };
  for (const r of rows) {
    const byReason: Record<string, number> = r.reasons ? JSON.parse(r.reasons) : {};
    const recorded = Object.values(byReason).reduce((a, b) => a + b, 0);
    if (r.lines > recorded) byReason[UNRECORDED] = r.lines - recorded;
    for (const [reason, n] of Object.entries(byReason)) out.byReason[reason] = (out.byReason[reason] ?? 0) + n;
    out.total += r.lines;
    out.files.push({ profile: r.profile, path: r.path, lines: r.lines, byReason });
  }
  return out;
}

/** Where ccx's hooks are and are not installed, among the profiles a report covers. */
export type HooksInstalled = { installed: string[]; missing: string[] };

/** Why a report came out empty; `nothing`: no usage and no hook event at all, so no table is worth printing. */
export type EmptyReport = { why: string; nothing: boolean };

/**
 * Why a report may come out empty, said on stderr instead of leaving an all-zero table unexplained:
 * no usage recorded at all (for --profile's profiles), or none that the --agent, --project or
 * --model filters match (at any date). `given`: the --profile and --agent flags as typed; `f`'s
 * profiles are those narrowed by --agent. `hooks` is asked only when nothing at all is recorded.
 */
export function emptyReason(
  db: Db,
  f: Filters,
  given: { profiles: string[]; agents: Agent[] },
  hooks: () => HooksInstalled,
): EmptyReport | null {
  const any = (w: Where) => db.prepare(`SELECT 1 FROM usage ${w.sql} LIMIT 1`).get(...w.params) !== undefined;
  const cols = { profile: 'profile', ts: 'ts', project: 'project', model: 'model' };
  if (!any(whereFor({ ...f, profiles: given.profiles, from: null, to: null, project: null, model: null }, cols))) {
    // Recorded turns count too: the quota footer is made of them.
    const turned = (p?: string) =>
      db.prepare(`SELECT 1 FROM turns${p === undefined ? '' : ' WHERE profile = ?'} LIMIT 1`).get(...(p === undefined ? [] : [p])) !==
      undefined;
    const hooked = given.profiles.length
      ? given.profiles.some((p) => hasHookEvents(db, p) || turned(p))
      : db.prepare('SELECT 1 FROM hook_events LIMIT 1').get() !== undefined || turned();
    if (hooked)
      return {
        why: 'no usage found: the hooks are recording events, but no transcript ccx watches holds usage yet (ccx doctor says where ccx looks)',
        nothing: false,
      };
    return { why: `no usage found, and no hook event yet: ${installation(hooks())}`, nothing: true };
  }
  if (!given.agents.length && f.project === null && f.model === null) return null;
  if (any(whereFor({ ...f, from: null, to: null }, cols))) return null;
  const flags = [
    given.agents.length ? `--agent ${given.agents.join(',')}` : '',
    f.project !== null ? `--project ${f.project}` : '',
    f.model !== null ? `--model ${f.model}` : '',
  ].filter(Boolean);
  return { why: `no usage matches ${flags.join(' ')}`, nothing: false };
}

function installation({ installed, missing }: HooksInstalled): string {
  const list = (names: string[]) => names.join(', ');
  if (missing.length)
    return `ccx's hooks are not installed in ${list(missing)}${installed.length ? ` (installed in ${list(installed)})` : ''}; ccx hooks install fixes it`;
  if (installed.length) return `ccx's hooks are installed in ${list(installed)}, and no session has run with them yet`;
  return 'no profile is registered (ccx profile add NAME --config-dir DIR registers one)';
}

/** Every profile name the database knows of. */
export function profilesInDb(db: Db): string[] {
  // One index probe per profile (each table's index starts with profile), not a scan of every row.
  const tables = ['usage', 'sessions', 'turns'];
  const walk = (t: string) => `${t}_p(name) AS (SELECT MIN(profile) FROM ${t}
    UNION ALL SELECT (SELECT MIN(profile) FROM ${t} WHERE profile > name) FROM ${t}_p WHERE name IS NOT NULL)`;
  return db
    .prepare(
      `WITH RECURSIVE ${tables.map(walk).join(', ')} ${tables.map((t) => `SELECT name FROM ${t}_p WHERE name IS NOT NULL`).join(' UNION ')} ORDER BY 1`,
    )
    .pluck()
    .all() as string[];
}
