// ccx's Codex ledger held against ccusage 20's `codex session` report on the same rollouts: the
// hand-written home (replays, repeats, a fork, the reviewer, an archived thread), the real Codex
// 0.169 rollouts (their stub model, gpt-6.1-sol, is priced by neither) and one rollout per OpenAI
// model ccx prices, a long-context request among them. Tokens must match exactly per
// thread, cost to a millionth of a dollar. Documented differences, left out of the corpus:
// ccusage also counts a rollout's unterminated last line (ccx waits for its newline: it may still be
// written), prices a turn with no model as gpt-5 (ccx leaves it unpriced), prices o3 below OpenAI's
// list price (lib/pricing/pricing.yaml) and maps codex-auto-review onto a model by date.
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { Profile } from '../lib/contracts/profile';
import { costOfUsage, loadPrices } from '../lib/pricing';
import { scanProfiles } from '../lib/transcripts/scan';
import { CCUSAGE_BIN, installCcusage } from './helpers/ccusage';
import { ROOT } from './helpers/ccx';
import { runProcess } from './helpers/cli';
import { freshDb, profile, tempDir } from './helpers/transcript-fixtures';

const MODELS = [
  'gpt-4o',
  'gpt-4o-mini',
  'o1',
  'o1-mini',
  'o3-mini',
  'o3-pro',
  'o4-mini',
  'gpt-4.1',
  'gpt-4.1-mini',
  'gpt-4.1-nano',
  'gpt-oss-120b',
  'gpt-oss-20b',
  'gpt-5',
  'gpt-5-mini',
  'gpt-5-nano',
  'gpt-5-codex',
  'gpt-5-pro',
  'gpt-5.1',
  'gpt-5.1-codex',
  'gpt-5.1-codex-mini',
  'gpt-5.1-codex-max',
  'gpt-5.2',
  'gpt-5.2-codex',
  'gpt-5.2-pro',
  'gpt-5.3-codex',
  'gpt-5.3-codex-spark',
  'gpt-5.4',
  'gpt-5.4-mini',
  'gpt-5.4-pro',
  'gpt-5.5',
  'gpt-5.5-pro',
];

/** A thread per model: two responses with every token kind, the second over 272k prompt tokens. */
function modelRollout(model: string, i: number): string {
  const id = `019a1111-0000-7000-8000-${String(i).padStart(12, '0')}`;
  const usage = (input: number, cached: number, cacheWrite: number, output: number, reasoning: number) => ({
    input_tokens: input,
    cached_input_tokens: cached,
    cache_write_input_tokens: cacheWrite,
    output_tokens: output,
    reasoning_output_tokens: reasoning,
    total_tokens: input + output,
  });
  const first = usage(12_345 + i, 4_000, 1_500, 2_222, 700);
  const second = usage(300_000 + i, 250_000, 0, 9_999, 1_234);
  const total = usage(
    first.input_tokens + second.input_tokens,
    4_000 + 250_000,
    1_500,
    first.output_tokens + second.output_tokens,
    700 + 1_234,
  );
  const line = (ts: string, type: string, payload: object) => JSON.stringify({ timestamp: ts, type, payload });
  return [
    line('2026-11-03T08:00:00.000Z', 'session_meta', { id, cwd: '/w/models', source: 'exec' }),
    line('2026-11-03T08:00:00.010Z', 'turn_context', { model }),
    line('2026-11-03T08:00:05.000Z', 'event_msg', {
      type: 'token_count',
      info: { last_token_usage: first, total_token_usage: first },
      rate_limits: null,
    }),
    line('2026-11-03T08:01:05.000Z', 'event_msg', {
      type: 'token_count',
      info: { last_token_usage: second, total_token_usage: total },
      rate_limits: null,
    }),
    '',
  ].join('\n');
}

type Figures = { input: number; cacheRead: number; cacheWrite: number; output: number; reasoning: number; total: number; usd: number };
const THREAD_RE = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

describe("ccx's Codex ledger agrees with ccusage 20 codex", () => {
  let skip: string | null = null;
  let home = '';
  let dir = '';
  before(() => {
    skip = installCcusage();
  });

  test('per thread: the same tokens, the same cost', async (t) => {
    if (skip) return t.skip(skip);
    dir = tempDir(t, 'ccx-codex-ccu-');
    home = join(dir, 'codex');
    cpSync(join(ROOT, 'test', 'fixtures', 'codex', 'basic'), home, { recursive: true });
    // The fixture's unterminated line, completed: both tools count it now.
    appendFileSync(
      join(home, 'sessions', '2026', '11', '02', 'rollout-2026-11-02T11-00-00-019a0000-0000-7000-8000-00000000000e.jsonl'),
      '\n',
    );
    for (const real of ['tool-call', 'resumed', 'null-rate-limits', 'subagent', 'subagent-forked', 'fork'])
      cpSync(join(ROOT, 'test', 'fixtures', 'codex', real, 'sessions'), join(home, 'sessions'), { recursive: true });
    const day = join(home, 'sessions', '2026', '11', '03');
    mkdirSync(day, { recursive: true });
    MODELS.forEach((m, i) => {
      writeFileSync(
        join(day, `rollout-2026-11-03T08-00-00-019a1111-0000-7000-8000-${String(i).padStart(12, '0')}.jsonl`),
        modelRollout(m, i),
      );
    });

    const r = await runProcess(CCUSAGE_BIN, ['codex', 'session', '--json', '--offline', '--timezone', 'UTC'], {
      ...process.env,
      CODEX_HOME: home,
      HOME: dir,
      TZ: 'UTC',
    });
    assert.equal(r.code, 0, r.stderr);
    const theirs = new Map<string, Figures>();
    for (const s of JSON.parse(r.stdout).sessions as Record<string, number | string>[]) {
      const id = THREAD_RE.exec(String(s.sessionFile))?.[1];
      assert.ok(id, `a ccusage session named by its rollout: ${s.sessionFile}`);
      theirs.set(id, {
        input: s.inputTokens as number,
        cacheRead: s.cacheReadTokens as number,
        cacheWrite: s.cacheCreationTokens as number,
        output: s.outputTokens as number,
        reasoning: s.reasoningOutputTokens as number,
        total: s.totalTokens as number,
        usd: s.costUSD as number,
      });
    }

    const db = freshDb(t, dir);
    const p: Profile = { ...profile('cx', home), agent: 'codex' };
    // The hand-written home's truncated line and string count; nothing else.
    assert.equal(scanProfiles(db, [p], { now: () => Date.UTC(2026, 11, 4) }).skippedLines, 2);
    const { prices } = loadPrices(join(dir, 'none.yaml'));
    type Row = Parameters<typeof costOfUsage>[0] & { session_id: string; reasoning_tokens: number };
    const ours = new Map<string, Figures>();
    const unpriced = new Set<string | null>();
    for (const row of db.prepare(`SELECT * FROM usage WHERE profile = 'cx'`).all() as Row[]) {
      const f = ours.get(row.session_id) ?? { input: 0, cacheRead: 0, cacheWrite: 0, output: 0, reasoning: 0, total: 0, usd: 0 };
      const { usd, priced } = costOfUsage(row, prices);
      if (!priced) unpriced.add(row.model);
      f.input += row.input_tokens;
      f.cacheRead += row.cache_read_tokens;
      f.cacheWrite += row.cache_creation_5m_tokens + row.cache_creation_1h_tokens;
      f.output += row.output_tokens;
      f.reasoning += row.reasoning_tokens;
      f.total += row.input_tokens + row.cache_read_tokens + row.cache_creation_5m_tokens + row.cache_creation_1h_tokens + row.output_tokens;
      f.usd += usd;
      ours.set(row.session_id, f);
    }

    assert.deepEqual([...unpriced], ['gpt-6.1-sol']);
    assert.equal(ours.size, 6 + 9 + MODELS.length);
    assert.deepEqual([...ours.keys()].sort(), [...theirs.keys()].sort());
    for (const [id, mine] of ours) {
      const other = theirs.get(id)!;
      const { usd, ...tokens } = mine;
      const { usd: theirUsd, ...theirTokens } = other;
      assert.deepEqual(tokens, theirTokens, id);
      assert.ok(Math.abs(usd - theirUsd) < 1e-6, `${id}: ccx $${usd}, ccusage $${theirUsd}`);
    }
  });
});
