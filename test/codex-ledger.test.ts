// Codex rollouts into the usage ledger, on the hand-written home in test/fixtures/codex/basic:
// a main thread (a response Codex reported twice, a malformed line, a bad count, a window that is
// not ccx's), a sub-agent and a fork that replay its history, the approval reviewer, a rollout
// whose last line is still being written, an archived one; then its resume. Golden rows, nothing
// counted twice whatever the order or the split of the reads, Codex's rate limits as quota.
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdirSync, readdirSync, readFileSync, renameSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Profile } from '../lib/contracts/profile';
import { costOfUsage, loadPrices } from '../lib/pricing';
import { computeSnapshot } from '../lib/quota';
import type { Db } from '../lib/store';
import { scanProfiles } from '../lib/transcripts/scan';
import { ROOT } from './helpers/ccx';
import { assertGolden } from './helpers/golden';
import { FIXTURES, freshDb, profile, tempDir } from './helpers/transcript-fixtures';

const CODEX_FIXTURES = join(ROOT, 'test', 'fixtures', 'codex');
const GOLDEN = join(CODEX_FIXTURES, 'golden');
const DAY = ['sessions', '2026', '11', '02'];
const A = 'rollout-2026-11-02T10-00-00-019a0000-0000-7000-8000-00000000000a.jsonl';
const E = 'rollout-2026-11-02T11-00-00-019a0000-0000-7000-8000-00000000000e.jsonl';
/** The scans' clock: before the fixture's 5 h window resets (12:00 UTC); lines up to a day ahead are sane. */
const NOW = Date.UTC(2026, 10, 2, 11, 30);

const codexProfile = (name: string, home: string): Profile => ({ ...profile(name, home), agent: 'codex' });

function homeCopy(t: Parameters<typeof tempDir>[0]) {
  const dir = tempDir(t, 'ccx-codex-');
  const home = join(dir, 'codex');
  cpSync(join(CODEX_FIXTURES, 'basic'), home, { recursive: true });
  return { dir, home, db: freshDb(t, dir) };
}

/** The ledger's Codex rows, one line each, ordered by key: what the goldens hold. */
function dump(db: Db, name: string): string {
  const rows = db
    .prepare(
      `SELECT dedup_key, session_id, project, model, ts, input_tokens, cache_read_tokens, cache_creation_5m_tokens,
         cache_creation_1h_tokens, output_tokens, reasoning_tokens, is_sidechain, agent
       FROM usage WHERE profile = ? ORDER BY dedup_key`,
    )
    .all(name) as Record<string, string | number | null>[];
  const limits = db
    .prepare('SELECT window, used_percentage, resets_at, observed_at FROM rate_limits WHERE profile = ? ORDER BY window')
    .all(name) as { window: string; used_percentage: number; resets_at: number; observed_at: number }[];
  const iso = (ms: number) => new Date(ms).toISOString();
  return [
    ...rows.map((r) =>
      [
        r.dedup_key,
        `session=${r.session_id}`,
        `project=${r.project}`,
        `model=${r.model}`,
        iso(r.ts as number),
        `in=${r.input_tokens} read=${r.cache_read_tokens} write=${r.cache_creation_5m_tokens}+${r.cache_creation_1h_tokens}`,
        `out=${r.output_tokens} reasoning=${r.reasoning_tokens}`,
        `sidechain=${r.is_sidechain} agent=${r.agent}`,
      ].join(' '),
    ),
    ...limits.map((l) => `rate_limits ${l.window} ${l.used_percentage} % resets ${iso(l.resets_at)} observed ${iso(l.observed_at)}`),
    '',
  ].join('\n');
}

const sums = (db: Db, name: string) =>
  db
    .prepare(
      `SELECT COUNT(*) AS rows, SUM(input_tokens) AS input, SUM(cache_read_tokens) AS cacheRead, SUM(cache_creation_5m_tokens) AS cacheWrite,
         SUM(output_tokens) AS output, SUM(reasoning_tokens) AS reasoning FROM usage WHERE profile = ?`,
    )
    .get(name);

test('basic home: one row per response, replays and repeats folded, golden rows and rate limits', (t) => {
  const { home, db } = homeCopy(t);
  const stats = scanProfiles(db, [codexProfile('cx', home)], { now: () => NOW });
  assert.equal(stats.files, 6);
  // A: the truncated token_count and the one with a string count.
  assert.equal(stats.skippedLines, 2);
  // A: r1, r2, r3 (r1's repeat adds none); B: 2 replayed + 2 own; C: 1; D: 3 replayed + 1 own; E: 1 (the 2nd is unterminated); F: 1.
  assert.equal(stats.usageRows, 3 + 4 + 1 + 4 + 1 + 1);
  // Distinct responses: A 3, B 2, C 1, D 1, E 1, F 1. Input is Codex's input less cached and cache-written.
  assert.deepEqual(sums(db, 'cx'), {
    rows: 9,
    input: 800 + 500 + 400 + 400 + 300 + 300 + 500 + 700 + 100,
    cacheRead: 200 + 1500 + 300 + 3500,
    cacheWrite: 100,
    output: 100 + 300 + 50 + 80 + 60 + 20 + 200 + 70 + 10,
    reasoning: 40 + 100 + 20 + 50,
  });
  const skipped = db.prepare('SELECT skipped_by_reason FROM scan_cursors WHERE path LIKE ?').pluck().get(`%${A}`);
  assert.deepEqual(JSON.parse(skipped as string), { malformed_json: 1, bad_token_count: 1 });
  assertGolden(GOLDEN, 'basic', dump(db, 'cx'));
});

test('rereads are idempotent: unchanged files are not opened, a read from 0 or an archived move writes the same rows', (t) => {
  const { home, db } = homeCopy(t);
  const p = codexProfile('cx', home);
  scanProfiles(db, [p], { now: () => NOW });
  const first = dump(db, 'cx');
  assert.equal(scanProfiles(db, [p], { now: () => NOW }).filesChanged, 0);
  db.exec('DELETE FROM scan_cursors');
  const again = scanProfiles(db, [p], { now: () => NOW });
  assert.equal(again.filesChanged, 6);
  assert.equal(dump(db, 'cx'), first);
  // Codex archives a thread by moving its rollout: read again under the new path, counted once.
  renameSync(join(home, ...DAY, A), join(home, 'archived_sessions', A));
  assert.equal(scanProfiles(db, [p], { now: () => NOW }).filesChanged, 1);
  assert.equal(dump(db, 'cx'), first);
});

test('a reader state that cannot be read makes its file read again from 0, not fail every pass', (t) => {
  const { home, db } = homeCopy(t);
  const p = codexProfile('cx', home);
  scanProfiles(db, [p], { now: () => NOW });
  const first = dump(db, 'cx');
  const file = join(home, ...DAY, A);
  db.prepare("UPDATE scan_cursors SET reader_state = '{not json' WHERE path = ?").run(file);
  utimesSync(file, new Date(NOW), new Date(NOW - 60_000));
  const logs: string[] = [];
  const pass = scanProfiles(db, [p], { now: () => NOW, log: (m) => logs.push(m) });
  assert.deepEqual(logs, []);
  assert.equal(pass.filesChanged, 1);
  assert.equal(dump(db, 'cx'), first);
  const state = db.prepare('SELECT reader_state FROM scan_cursors WHERE path = ?').pluck().get(file) as string;
  assert.equal(typeof JSON.parse(state), 'object');
});

test('the order files are read in and how reads are split change nothing', (t) => {
  const { home, db } = homeCopy(t);
  scanProfiles(db, [codexProfile('cx', home)], { now: () => NOW });
  const full = dump(db, 'cx');
  // The sub-agent and the fork first, the parent they replay later: the replays land on the parent's keys.
  const late = join(home, 'late');
  mkdirSync(late);
  renameSync(join(home, ...DAY, A), join(late, A));
  const db2 = freshDb(t, tempDir(t));
  const p2 = codexProfile('cx', home);
  scanProfiles(db2, [p2], { now: () => NOW });
  renameSync(join(late, A), join(home, ...DAY, A));
  scanProfiles(db2, [p2], { now: () => NOW });
  assert.equal(dump(db2, 'cx'), full);
  // Commits every 256 bytes: reads resume mid-file from the state stored with each cursor.
  const db3 = freshDb(t, tempDir(t));
  scanProfiles(db3, [codexProfile('cx', home)], { now: () => NOW, commitBytes: 256 });
  assert.equal(dump(db3, 'cx'), full);
});

test('a partial last line waits for its newline; a resumed thread appends to its rollout', (t) => {
  const { home, db } = homeCopy(t);
  const p = codexProfile('cx', home);
  scanProfiles(db, [p], { now: () => NOW });
  const before = sums(db, 'cx') as { rows: number; output: number };
  // E's second response is complete now: read from the cursor, with E's model from the stored state.
  appendFileSync(join(home, ...DAY, E), '\n');
  // `codex exec resume` appends to A's file: its session_meta again, a turn, the running total going on.
  appendFileSync(join(home, ...DAY, A), readFileSync(join(CODEX_FIXTURES, 'resume-a.jsonl')));
  const stats = scanProfiles(db, [p], { now: () => NOW });
  assert.equal(stats.filesChanged, 2);
  assert.equal(stats.skippedLines, 0);
  const after = sums(db, 'cx') as { rows: number; output: number };
  assert.deepEqual([after.rows, after.output], [before.rows + 2, before.output + 80 + 90]);
  const e2 = db.prepare(`SELECT model, session_id, project FROM usage WHERE dedup_key LIKE '%0e:1500/%'`).get();
  assert.deepEqual(e2, { model: 'gpt-5', session_id: '019a0000-0000-7000-8000-00000000000e', project: '/w/lib' });
  assertGolden(GOLDEN, 'resumed', dump(db, 'cx'));
});

test("Codex's rate limits are the profile's 5 h and weekly figures, source codex, until they reset", (t) => {
  const { dir, home, db } = homeCopy(t);
  const p = codexProfile('cx', home);
  scanProfiles(db, [p], { now: () => NOW });
  const { prices } = loadPrices(join(dir, 'no-pricing.yaml'));
  const quota = (now: number) => computeSnapshot({ db, profiles: [p], now, tz: 'UTC', prices }).profiles.cx!;
  // The reviewer's token_count (10:06:01) is the newest: 15 % and 41 %; the replayed 99 % is stale history.
  const q = quota(NOW);
  assert.deepEqual(
    [q.windows.five_hour?.pct, q.windows.five_hour?.source, q.windows.weekly?.pct, q.windows.weekly?.source],
    [15, 'codex', 41, 'codex'],
  );
  // 84 minutes after the figure and no newer response: still Codex's (no response since, no use since).
  assert.equal(quota(NOW).windows.five_hour?.observed_at, Date.parse('2026-11-02T10:06:01.000Z'));
  // After its reset (epoch 1793620800 = 2026-11-02T12:00Z) ccx's own estimate takes over, with no
  // Claude plan's turn cap: Codex's limits are not counted in turns.
  const after = quota(Date.parse('2026-11-02T12:01:00Z')).windows.five_hour;
  assert.deepEqual([after?.source, after?.cap, after?.pct], ['estimate', null, null]);
});

test('a warning names Codex as the figure it quotes', (t) => {
  const { dir, home, db } = homeCopy(t);
  const p = codexProfile('cx', home);
  const hot = join(home, ...DAY, 'rollout-2026-11-02T11-20-00-019a0000-0000-7000-8000-0000000000aa.jsonl');
  appendFileSync(
    hot,
    `${JSON.stringify({ timestamp: '2026-11-02T11:20:00.000Z', type: 'event_msg', payload: { type: 'token_count', info: null, rate_limits: { primary: { used_percent: 91, window_minutes: 300, resets_at: 1793620800 }, secondary: null } } })}\n`,
  );
  scanProfiles(db, [p], { now: () => NOW });
  const { prices } = loadPrices(join(dir, 'no-pricing.yaml'));
  const q = computeSnapshot({ db, profiles: [p], now: NOW, tz: 'UTC', prices }).profiles.cx!;
  assert.equal(q.band, 'soft');
  assert.match(q.message ?? '', /^ccx \[cx\]: 5 h window 91 % \(Codex's figure\), resets 12:00/);
});

test('an opencode profile is not walked as a Claude Code or Codex dir', (t) => {
  const { home, db } = homeCopy(t);
  const stats = scanProfiles(db, [{ ...profile('oc', home), agent: 'opencode' }], { now: () => NOW });
  assert.deepEqual([stats.files, readdirSync(home).length > 0], [0, true]);
});

test("OpenAI's prices: dated ids fold onto the family, cached input at the cached rate, a request over 272k at the long-context rates", (t) => {
  const { dir } = homeCopy(t);
  const { prices } = loadPrices(join(dir, 'no-pricing.yaml'));
  const tokens = { input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_creation_5m_tokens: 0, cache_creation_1h_tokens: 0 };
  const ts = Date.UTC(2026, 10, 2);
  const cost = (model: string, t2: Partial<typeof tokens>) => costOfUsage({ ...tokens, ...t2, model, ts }, prices);
  assert.deepEqual(cost('gpt-4.1-2025-04-14', { input_tokens: 1_000_000 }), { usd: 2, priced: true });
  assert.deepEqual(cost('gpt-5.1-codex', { input_tokens: 1_000_000, cache_read_tokens: 1_000_000, output_tokens: 1_000_000 }), {
    usd: 1.25 + 0.125 + 10,
    priced: true,
  });
  // 272,000 prompt tokens are not over the line; one more is, and the output goes up with it.
  assert.equal(cost('gpt-5.4', { input_tokens: 272_000 }).usd, 0.68);
  const over = cost('gpt-5.4', { input_tokens: 200_000, cache_read_tokens: 72_001, output_tokens: 1_000 }).usd;
  assert.ok(Math.abs(over - (0.2 * 5 + 0.072001 * 0.5 + 0.001 * 22.5)) < 1e-12, String(over));
});

type Truth = {
  responses: {
    index: number;
    responseId: string;
    threadId: string;
    usage: { input_tokens: number; cached_tokens: number; output_tokens: number; reasoning_tokens: number };
    rateLimits?: { primary: { usedPercent: number; resetAt: number }; secondary: { usedPercent: number; resetAt: number } };
  }[];
};

// Rollouts the real Codex CLI 0.169.0 wrote against the stub (test/fixtures/codex/README.md): each
// response the stub sent is one row of its thread, with exactly the usage it reported, and the
// newest response's rate-limit headers are the profile's figures.
for (const fixture of ['tool-call', 'resumed', 'null-rate-limits', 'subagent', 'subagent-forked', 'fork']) {
  test(`real rollouts, ${fixture}: every response the stub sent, once, in its own thread`, (t) => {
    const dir = tempDir(t, 'ccx-codex-real-');
    const db = freshDb(t, dir);
    const home = join(CODEX_FIXTURES, fixture);
    const truth = JSON.parse(readFileSync(join(home, 'truth.json'), 'utf8')) as Truth;
    const stats = scanProfiles(db, [codexProfile('real', home)], { now: () => Date.UTC(2026, 11, 4) });
    assert.equal(stats.skippedLines, 0);
    const rows = db
      .prepare(
        `SELECT dedup_key AS key, session_id AS session, input_tokens AS input, cache_read_tokens AS cached,
           cache_creation_5m_tokens + cache_creation_1h_tokens AS written, output_tokens AS output, reasoning_tokens AS reasoning, agent
         FROM usage WHERE profile = 'real' ORDER BY dedup_key`,
      )
      .all();
    assert.deepEqual(
      rows,
      // By key: a sub-agent's response may be written before its parent's earlier one.
      [...truth.responses]
        .sort((a, b) => (`${a.threadId}/${a.responseId}` < `${b.threadId}/${b.responseId}` ? -1 : 1))
        .map((r) => ({
          key: `codex:${r.threadId}/${r.responseId}`,
          session: r.threadId,
          input: r.usage.input_tokens - r.usage.cached_tokens,
          cached: r.usage.cached_tokens,
          written: 0,
          output: r.usage.output_tokens,
          reasoning: r.usage.reasoning_tokens,
          agent: 'codex',
        })),
    );
    const limits = db
      .prepare(`SELECT window, used_percentage AS pct, resets_at AS resets FROM rate_limits WHERE profile = 'real' ORDER BY window`)
      .all();
    const newest = truth.responses.at(-1)?.rateLimits;
    assert.deepEqual(
      limits,
      newest
        ? [
            { window: 'five_hour', pct: newest.primary.usedPercent, resets: newest.primary.resetAt * 1000 },
            { window: 'seven_day', pct: newest.secondary.usedPercent, resets: newest.secondary.resetAt * 1000 },
          ]
        : [],
    );
  });
}

test('a Claude Code profile beside a Codex one reads as it does alone', (t) => {
  const { dir, home, db } = homeCopy(t);
  const claudeDir = join(dir, 'claude');
  cpSync(join(FIXTURES, 'basic'), claudeDir, { recursive: true });
  const alone = freshDb(t, tempDir(t));
  scanProfiles(alone, [profile('work', claudeDir)], { now: () => NOW });
  scanProfiles(db, [profile('work', claudeDir), codexProfile('cx', home)], { now: () => NOW });
  const claudeRows = (d: Db) => d.prepare(`SELECT * FROM usage WHERE profile = 'work' ORDER BY dedup_key`).all();
  assert.deepEqual(claudeRows(db), claudeRows(alone));
  assert.equal(db.prepare(`SELECT COUNT(*) FROM usage WHERE profile = 'work' AND agent <> 'claude'`).pluck().get(), 0);
  assert.equal(db.prepare(`SELECT COUNT(*) FROM rate_limits WHERE profile = 'work'`).pluck().get(), 0);
  assert.equal(dump(db, 'cx').split('\n').length, 12);
});

test("a Codex figure without a reset time is trusted only while fresh (15 min), as Claude Code's", (t) => {
  const { dir, home, db } = homeCopy(t);
  const p = codexProfile('cx', home);
  appendFileSync(
    join(home, ...DAY, 'rollout-2026-11-02T11-20-00-019a0000-0000-7000-8000-0000000000bb.jsonl'),
    `${JSON.stringify({ timestamp: '2026-11-02T11:20:00.000Z', type: 'event_msg', payload: { type: 'token_count', info: null, rate_limits: { primary: null, secondary: { used_percent: 77, window_minutes: 10080 } } } })}\n`,
  );
  scanProfiles(db, [p], { now: () => NOW });
  const { prices } = loadPrices(join(dir, 'no-pricing.yaml'));
  const weekly = (now: number) => computeSnapshot({ db, profiles: [p], now, tz: 'UTC', prices }).profiles.cx!.windows.weekly;
  assert.deepEqual([weekly(NOW)?.source, weekly(NOW)?.pct, weekly(NOW)?.resets_at], ['codex', 77, null]);
  assert.equal(weekly(Date.parse('2026-11-02T11:36:00Z'))?.source, 'estimate');
});
