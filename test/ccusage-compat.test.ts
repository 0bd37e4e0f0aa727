// ccx-report --json read as ccusage 20's JSON: one corpus of Claude Code transcripts, both tools'
// daily / weekly / monthly / session reports, and every key path a ccusage script reads must be
// in ccx's output with the same type and, for tokens, the same numbers (docs/report-json.md).
// ccusage is installed on demand (test/helpers/ccusage.ts). Last, ccusage's own --help is read for
// each of its flags ccx-report takes (docs/ccusage.md): the same spelling and letter.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { parseArgs } from '../lib/report/args';
import { CCUSAGE_BIN, installCcusage } from './helpers/ccusage';
import { DIST, sandboxPool } from './helpers/ccx';
import { runProcess } from './helpers/cli';
import { assistantLine, type LineSpec } from './helpers/transcript-fixtures';

const SONNET = 'claude-sonnet-4-5-20250929';
const OPUS = 'claude-opus-4-5-20251101';
const HAIKU = 'claude-haiku-4-5-20251001';

/** Three sessions in two projects over three days, two weeks and two months (UTC), three models. */
const CORPUS: Record<string, LineSpec[]> = {
  '-home-me-app/s1.jsonl': [
    { id: 'm1', session: 's1', ts: '2025-09-30T09:00:00.000Z', model: SONNET, input: 1200, output: 300, cacheRead: 5000, cache5m: 800 },
    { id: 'm2', session: 's1', ts: '2025-09-30T09:05:00.000Z', model: OPUS, input: 40, output: 900, cacheRead: 7000, cache1h: 2000 },
    { id: 'm3', session: 's1', ts: '2025-10-01T08:00:00.000Z', model: SONNET, input: 10, output: 55, cacheRead: 9000 },
  ],
  '-home-me-lib/s2.jsonl': [
    { id: 'm4', session: 's2', ts: '2025-10-01T15:30:00.000Z', model: HAIKU, input: 3000, output: 120, cache5m: 1500 },
    { id: 'm5', session: 's2', ts: '2025-10-07T10:00:00.000Z', model: SONNET, input: 7, output: 4000, cacheRead: 12000, cache5m: 300 },
  ],
  '-home-me-lib/s3.jsonl': [
    { id: 'm6', session: 's3', ts: '2025-10-07T11:00:00.000Z', model: OPUS, input: 90, output: 700, cacheRead: 3000 },
  ],
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const typeOf = (v: Json): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Every key path in `doc` with the type found there; array items are `[]`, merged over all items. */
function keyPaths(doc: Json, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (prefix) out.set(prefix, typeOf(doc));
  if (Array.isArray(doc)) for (const item of doc) keyPaths(item, `${prefix}[]`, out);
  else if (doc !== null && typeof doc === 'object')
    for (const [k, v] of Object.entries(doc)) keyPaths(v, prefix ? `${prefix}.${k}` : k, out);
  return out;
}

const TOKENS = ['inputTokens', 'outputTokens', 'cacheCreationTokens', 'cacheReadTokens', 'totalTokens'] as const;
type Row = Record<string, Json>;
const tokensOf = (r: Row) => TOKENS.map((k) => r[k]);
const byPeriod = (rows: Row[]) => new Map(rows.map((r) => [r.period as string, r]));

/** Costs: both price these models from the same list prices; 1e-6 is ccx's rounding. */
const assertSameCost = (ccx: Json | undefined, ccu: Json | undefined, what: string) =>
  assert.ok(Math.abs((ccx as number) - (ccu as number)) < 1e-6, `${what}: ccx ${ccx}, ccusage ${ccu}`);

describe('ccx-report --json reads as ccusage 20', () => {
  const box = sandboxPool();
  let skip: string | null = null;
  const sb = box();
  before(() => {
    skip = installCcusage();
    for (const [file, lines] of Object.entries(CORPUS)) {
      mkdirSync(join(sb.configDir, 'projects', file, '..'), { recursive: true });
      writeFileSync(join(sb.configDir, 'projects', file), lines.map(assistantLine).join(''));
    }
  });

  const both = async (view: string): Promise<{ ccx: Row; ccu: Row }> => {
    const env = { ...sb.env, TZ: 'UTC' };
    const [a, b] = await Promise.all([
      runProcess(process.execPath, [join(DIST, 'ccx-report.js'), view, '--json', '--timezone', 'UTC'], env),
      runProcess(CCUSAGE_BIN, [view, '--json', '--offline', '--timezone', 'UTC'], env),
    ]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    return { ccx: JSON.parse(a.stdout), ccu: JSON.parse(b.stdout) };
  };

  for (const view of ['daily', 'weekly', 'monthly'] as const) {
    test(`${view}: every ccusage key path, same types, same tokens`, async (t) => {
      if (skip) return t.skip(skip);
      const { ccx, ccu } = await both(view);
      const mine = keyPaths(ccx as Json);
      for (const [path, type] of keyPaths(ccu as Json)) assert.equal(mine.get(path), type, `${view}: ${path}`);

      const [rows, theirs] = [byPeriod(ccx[view] as Row[]), byPeriod(ccu[view] as Row[])];
      assert.ok(theirs.size >= 1);
      assert.deepEqual([...rows.keys()], [...theirs.keys()], 'the same periods, in the same order');
      for (const [period, r] of theirs) {
        const m = rows.get(period)!;
        assert.deepEqual([m.agent, m.metadata], [r.agent, r.metadata], period);
        assert.deepEqual(tokensOf(m), tokensOf(r), period);
        assert.deepEqual([...(m.modelsUsed as string[])].sort(), [...(r.modelsUsed as string[])].sort(), period);
        const models = (x: Row) =>
          new Map((x.modelBreakdowns as Row[]).map((b) => [b.modelName, [TOKENS.slice(0, 4).map((k) => b[k]), b.cost] as const]));
        for (const [model, [tokens, cost]] of models(r)) {
          assert.deepEqual(models(m).get(model)?.[0], tokens, `${period} ${model}`);
          assertSameCost(models(m).get(model)?.[1], cost, `${period} ${model}`);
        }
        assertSameCost(m.totalCost, r.totalCost, period);
      }
      const [tm, tr] = [ccx.totals as Row, ccu.totals as Row];
      assert.deepEqual(tokensOf(tm), tokensOf(tr), 'totals');
      assertSameCost(tm.totalCost, tr.totalCost, 'totals');
    });
  }

  test('session: ccusage row keys and tokens per session (rows under ccx\'s "sessions", no totals)', async (t) => {
    if (skip) return t.skip(skip);
    const { ccx, ccu } = await both('session');
    // The two documented differences of the session view: the list's key, and no totals in ccx.
    const rename = (path: string) => path.replace(/^session\[\]/, 'sessions[]');
    const mine = keyPaths(ccx as Json);
    for (const [path, type] of keyPaths(ccu as Json)) {
      if (path === 'session' || path.startsWith('totals')) continue;
      assert.equal(mine.get(rename(path)), type, `session: ${path}`);
    }
    const [rows, theirs] = [byPeriod(ccx.sessions as Row[]), byPeriod(ccu.session as Row[])];
    assert.deepEqual([...rows.keys()].sort(), ['s1', 's2', 's3']);
    assert.deepEqual([...rows.keys()].sort(), [...theirs.keys()].sort());
    for (const [id, r] of theirs) {
      const m = rows.get(id)!;
      assert.deepEqual([m.agent, m.metadata], [r.agent, r.metadata], id);
      assert.deepEqual(tokensOf(m), tokensOf(r), id);
      assertSameCost(m.totalCost, r.totalCost, id);
    }
  });
});

describe("ccusage's own --help for each of its flags ccx-report takes", () => {
  let skip: string | null = null;
  before(() => (skip = installCcusage()));

  /** [view, ccusage's spelling, a value when it takes one]: docs/ccusage.md lists the same. */
  const TAKEN: [string, string, string | null][] = [
    ['daily', '-j, --json', null],
    ['daily', '-s, --since <since>', '20251001'],
    ['daily', '-u, --until <until>', '20251031'],
    ['daily', '-z, --timezone <timezone>', 'UTC'],
    ['daily', '-b, --breakdown', null],
    ['daily', '-o, --order [order]', 'desc'],
    ['daily', '-O, --offline', null],
    ['daily', '--no-offline', null],
    ['daily', '--compact', null],
    ['daily', '--no-color', null],
    ['daily', '-p, --project <project>', 'app'],
    ['daily', '-i, --instances', null],
    ['weekly', '-w, --start-of-week [start-of-week]', 'sunday'],
    ['session', '-i, --id <id>', 'abc'],
    ['blocks', '-a, --active', null],
    ['blocks', '-r, --recent', null],
    ['blocks', '-t, --token-limit <token-limit>', 'max'],
    ['blocks', '-n, --session-length [session-length]', '3'],
  ];
  /** Flags of ccusage's unified commands only (not of `ccusage claude <view>`). */
  const UNIFIED: [string, string][] = [['daily', '--no-cost']];

  const help = (args: string[]) => spawnSync(CCUSAGE_BIN, [...args, '--help'], { encoding: 'utf8', timeout: 30_000 }).stdout;

  for (const [view, spelling, value] of TAKEN) {
    test(`${view} ${spelling}`, (t) => {
      if (skip) return t.skip(skip);
      assert.match(help(['claude', view]), new RegExp(`^\\s+${spelling.replace(/[[\]]/g, '\\$&')}\\s`, 'm'));
      // Every spelling of it is one ccx-report takes, for that view.
      for (const flag of spelling.split(' ').filter((w) => w.startsWith('-'))) {
        const argv = [view, flag.replace(/,$/, ''), ...(value === null ? [] : [value])];
        assert.doesNotThrow(() => parseArgs(argv), argv.join(' '));
      }
    });
  }
  for (const [view, flag] of UNIFIED) {
    test(`${view} ${flag} (unified)`, (t) => {
      if (skip) return t.skip(skip);
      assert.match(help([view]), new RegExp(`^\\s+${flag}\\s`, 'm'));
      assert.doesNotThrow(() => parseArgs([view, flag]));
    });
  }
});
