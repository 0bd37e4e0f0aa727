// lib/contracts/usage is the one definition of the token columns and the sums over them, used as
// TypeScript by pricing and dedup and as SQL by the ledger, the rollup, quota and the report: both
// spellings must agree on a real state.db, and the column list must be the schema's.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  cacheWriteTokens,
  PROMPT_CLASS_SQL,
  PROMPT_TOKENS_SQL,
  promptTokens,
  SUM_TOKENS_SQL,
  TOKEN_COLUMNS,
  TOKEN_COLUMNS_SQL,
  TOTAL_TOKENS_SQL,
  type Tokens,
  tokensOf,
  tokenValues,
  totalTokens,
} from '../lib/contracts/usage';
import { rng } from '../lib/rng';
import type { Db } from '../lib/store/open';
import { withTempDb } from './helpers/ccx';

const THRESHOLDS = [100, 200.5, 1000];

/** Random counts, plus prompts right at, just under and just over each threshold. */
function samples(): Tokens[] {
  const r = rng(11);
  const n = (max: number) => Math.floor(r() * max);
  const out: Tokens[] = [];
  for (let i = 0; i < 300; i++)
    out.push({
      input_tokens: n(400),
      output_tokens: n(400),
      cache_read_tokens: n(600),
      cache_creation_5m_tokens: n(200),
      cache_creation_1h_tokens: n(200),
    });
  for (const edge of [0, 99, 100, 101, 200, 201, 999, 1000, 1001])
    out.push({
      input_tokens: 1,
      output_tokens: 5000,
      cache_read_tokens: edge - 3,
      cache_creation_5m_tokens: 1,
      cache_creation_1h_tokens: 1,
    });
  return out.filter((t) => Object.values(t).every((v) => v >= 0));
}

function insert(db: Db, rows: Tokens[]): void {
  const put = db.prepare(`INSERT INTO usage (profile, dedup_key, ts, ${TOKEN_COLUMNS_SQL()}) VALUES ('p', ?, 0, ?, ?, ?, ?, ?)`);
  rows.forEach((t, i) => {
    put.run(`k${String(i).padStart(4, '0')}`, ...tokenValues(t));
  });
}

test('TOKEN_COLUMNS are the token columns of usage and of both rollup tables, in schema order', () => {
  withTempDb((db) => {
    for (const table of ['usage', 'usage_buckets', 'usage_days']) {
      // usage.reasoning_tokens (Codex, v10) is a part of output_tokens, kept as a figure of its own: not billed twice.
      const cols = (db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[]).filter(
        (c) => c.endsWith('_tokens') && c !== 'reasoning_tokens',
      );
      assert.deepEqual(cols, [...TOKEN_COLUMNS], table);
    }
  });
});

test('tokenValues binds in TOKEN_COLUMNS order: rows read back by name are the records written', () => {
  withTempDb((db) => {
    const rows = samples();
    insert(db, rows);
    const back = db.prepare(`SELECT ${TOKEN_COLUMNS_SQL('u')} FROM usage u ORDER BY dedup_key`).all();
    assert.deepEqual(back, rows);
  });
});

test('prompt side, total and long-context class: SQL and TypeScript agree row by row', () => {
  withTempDb((db) => {
    const rows = samples();
    insert(db, rows);
    const sql = db
      .prepare(
        `SELECT ${PROMPT_TOKENS_SQL('u')} AS prompt, ${TOTAL_TOKENS_SQL('u')} AS total, ${PROMPT_CLASS_SQL(THRESHOLDS, 'u')} AS cls,
                ${PROMPT_TOKENS_SQL()} AS bare, ${PROMPT_CLASS_SQL([])} AS none
         FROM usage u ORDER BY dedup_key`,
      )
      .all() as { prompt: number; total: number; cls: number; bare: number; none: number }[];
    const classes = new Set<number>();
    rows.forEach((t, i) => {
      const want = {
        prompt: promptTokens(t),
        total: totalTokens(t),
        cls: THRESHOLDS.filter((th) => promptTokens(t) > th).length,
        bare: promptTokens(t),
        none: 0,
      };
      assert.deepEqual(sql[i], want, JSON.stringify(t));
      classes.add(want.cls);
    });
    assert.deepEqual([...classes].sort(), [0, 1, 2, 3], 'every class is exercised');
  });
});

test('the sums mean what their names say: prompt = all but output, cache writes = 5 m + 1 h', () => {
  for (const t of samples()) {
    assert.deepEqual(tokensOf({ ...t, model: 'm', ts: 1 } as Tokens), t);
    const all = TOKEN_COLUMNS.reduce((n, c) => n + t[c], 0);
    assert.equal(totalTokens(t), all);
    assert.equal(promptTokens(t), all - t.output_tokens);
    assert.equal(cacheWriteTokens(t), t.cache_creation_5m_tokens + t.cache_creation_1h_tokens);
  }
});

test('SUM_TOKENS_SQL sums each column in TOKEN_COLUMNS order', () => {
  withTempDb((db) => {
    const rows = samples();
    insert(db, rows);
    const sums = db
      .prepare(`SELECT ${SUM_TOKENS_SQL('u')} FROM usage u`)
      .raw()
      .get() as number[];
    assert.deepEqual(
      sums,
      TOKEN_COLUMNS.map((c) => rows.reduce((n, t) => n + t[c], 0)),
    );
  });
});
