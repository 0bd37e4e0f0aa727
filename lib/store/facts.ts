// A usage fact: usage rows grouped by profile, session, project, model, speed, time bucket and
// long-context class, with the first and last ts, the request count and the token sums. The
// rollup stores facts (usage_buckets, usage_days) and the report reads them, from the rollup or
// grouped from usage directly. Every statement that writes or reads facts is built here from
// FACT_COLUMNS, and raw rows are decoded from it too: a SELECT list, an INSERT's column list and
// the decoder cannot disagree on the order.

import { PROMPT_CLASS_SQL, TOKEN_COLUMNS, type Tokens } from '../contracts/usage';
import type { Db } from './open';

export const FACT_COLUMNS = [
  'profile',
  'session_id',
  'project',
  'model',
  'speed',
  'bucket',
  'cls',
  'first_ts',
  'last_ts',
  'n',
  ...TOKEN_COLUMNS,
] as const;
export type FactColumn = (typeof FACT_COLUMNS)[number];
/** The columns facts are grouped by; the others are aggregates. */
const KEY_COLUMNS = new Set<FactColumn>(['profile', 'session_id', 'project', 'model', 'speed', 'bucket', 'cls']);

export type FactRow = Tokens & {
  profile: string;
  /** NULL when the query dropped the dimension (and in usage_days). */
  session_id: string | null;
  project: string | null;
  model: string | null;
  speed: string | null;
  /** Start of the time bucket (ms). */
  bucket: number;
  cls: number;
  first_ts: number;
  last_ts: number;
  n: number;
};

/** One SQL expression per fact column, over some source. */
export type FactSql = Record<FactColumn, string>;

/** What a grouping keeps: a dropped session or project is NULL; `bucket` is the bucket start's SQL. */
export type FactKeys = { sessions: boolean; projects: boolean; bucket: string };

/** `col` rounded down to a multiple of `step`, in SQL. */
export const stepSql = (col: string, step: number): string => `(${col} / ${step}) * ${step}`;

/** Facts grouped from rows whose columns are `p` + name; `own` is what differs between sources. */
function grouped(keys: FactKeys, p: string, own: Pick<FactSql, 'cls' | 'first_ts' | 'last_ts' | 'n'>): FactSql {
  const sums = Object.fromEntries(TOKEN_COLUMNS.map((c) => [c, `SUM(${p}${c})`])) as Record<keyof Tokens, string>;
  return {
    ...sums,
    ...own,
    profile: `${p}profile`,
    session_id: keys.sessions ? `${p}session_id` : 'NULL',
    project: keys.projects ? `${p}project` : 'NULL',
    model: `${p}model`,
    speed: `${p}speed`,
    bucket: keys.bucket,
  };
}

/** Facts grouped from the usage rows `u`, classed by `thresholds` (lib/pricing's promptClasses). */
export const fromUsage = (keys: FactKeys, thresholds: readonly number[]): FactSql =>
  grouped(keys, 'u.', { cls: PROMPT_CLASS_SQL(thresholds, 'u'), first_ts: 'MIN(u.ts)', last_ts: 'MAX(u.ts)', n: 'COUNT(*)' });

/** Facts grouped again, coarser, from usage_buckets rows. */
export const fromBuckets = (keys: FactKeys): FactSql =>
  grouped(keys, '', { cls: 'cls', first_ts: 'MIN(first_ts)', last_ts: 'MAX(last_ts)', n: 'SUM(n)' });

/**
 * Each rollup table's column for a fact column: usage_days has no session or project and names its
 * bucket `day` (and says its zone, a column of its own: insertFactsSql's `extra`).
 */
const TABLE_COLUMNS: Record<'usage_buckets' | 'usage_days', Partial<Record<FactColumn, string>>> = {
  usage_buckets: Object.fromEntries(FACT_COLUMNS.map((c) => [c, c])),
  usage_days: Object.fromEntries(
    FACT_COLUMNS.filter((c) => c !== 'session_id' && c !== 'project').map((c) => [c, c === 'bucket' ? 'day' : c]),
  ),
};
export type RollupTable = keyof typeof TABLE_COLUMNS;

/** A rollup table's rows as they are, as facts. */
export function factsOf(table: RollupTable): FactSql {
  const cols = TABLE_COLUMNS[table];
  return Object.fromEntries(FACT_COLUMNS.map((c) => [c, cols[c] ?? 'NULL'])) as FactSql;
}

function selectSql(cols: readonly FactColumn[], sql: FactSql, from: string, where: string, group: boolean, lead: string[] = []): string {
  // GROUP BY the key columns' positions: each is the very expression selected, parameters included.
  const keys = cols.flatMap((c, i) => (KEY_COLUMNS.has(c) ? [lead.length + i + 1] : []));
  return `SELECT ${[...lead, ...cols.map((c) => sql[c])].join(', ')} FROM ${from} ${where}${group ? ` GROUP BY ${keys.join(', ')}` : ''}`;
}

/** SELECT of the facts `sql` describes over `from`, in FACT_COLUMNS order; `group: false` for a table of facts read as they are. */
export function selectFactsSql(sql: FactSql, from: string, where = '', opts: { group?: boolean } = {}): string {
  return selectSql(FACT_COLUMNS, sql, from, where, opts.group ?? true);
}

/**
 * INSERT into a rollup table of the facts `sql` groups from `from`. `extra`: the table's columns
 * beside the facts' (usage_days' zone), each one value for every row (its SQL, listed first).
 */
export function insertFactsSql(table: RollupTable, sql: FactSql, from: string, where = '', extra: Record<string, string> = {}): string {
  const cols = FACT_COLUMNS.filter((c) => TABLE_COLUMNS[table][c] !== undefined);
  const names = [...Object.keys(extra), ...cols.map((c) => TABLE_COLUMNS[table][c])];
  return `INSERT INTO ${table} (${names.join(', ')}) ${selectSql(cols, sql, from, where, true, Object.values(extra))}`;
}

/**
 * The rows of a `selectFactsSql` statement. Read raw and named here from FACT_COLUMNS: a report
 * reads thousands, and SQLite's own row objects cost more.
 */
export function readFacts(db: Db, sql: string, params: readonly unknown[]): readonly FactRow[] {
  const memo = memos.get(db);
  if (!memo) return queryFacts(db, sql, params);
  // Any commit by another connection (the consolidator's) since the last read changes it.
  const version = db.pragma('data_version', { simple: true }) as number;
  if (version !== memo.version) memo.rows.clear();
  memo.version = version;
  const key = `${sql}\0${JSON.stringify(params)}`;
  let rows = memo.rows.get(key);
  if (!rows) {
    rows = queryFacts(db, sql, params);
    memo.rows.set(key, rows);
    for (const k of memo.rows.keys()) {
      if (memo.rows.size <= MEMO_ENTRIES) break;
      memo.rows.delete(k); // the oldest
    }
  }
  return rows;
}

/** How many reads a memo keeps: a few views in a few zones, ~1 MB each on a year of history. */
const MEMO_ENTRIES = 8;
const memos = new WeakMap<Db, { version: number; rows: Map<string, readonly FactRow[]> }>();

/**
 * readFacts on `db` (a long-lived reader: the consolidator's for the reports it renders) keeps
 * what it read until the database changes. The rows are then shared between readers: read only.
 */
export function memoizeFacts(db: Db): void {
  memos.set(db, { version: -1, rows: new Map() });
}

function queryFacts(db: Db, sql: string, params: readonly unknown[]): FactRow[] {
  const rows = db
    .prepare(sql)
    .raw()
    .all(...params) as unknown[][];
  return rows.map((row) => {
    const f: Record<string, unknown> = {};
    for (let i = 0; i < FACT_COLUMNS.length; i++) f[FACT_COLUMNS[i]!] = row[i];
    return f as FactRow;
  });
}
