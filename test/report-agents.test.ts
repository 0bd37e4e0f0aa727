// ccx-report across agents: the report fixture's two Claude Code profiles plus a Codex profile
// (agent = "codex" in config.toml) whose usage rows are inserted as the Codex reader writes them
// (usage.agent 'codex'). --agent filters, the Agent column only when rows span agents, the agent
// keys in the JSON, and the agents' quota line of the summary.

import assert from 'node:assert/strict';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadPrices, promptClasses } from '../lib/pricing';
import { openDb, refreshRollup } from '../lib/store';
import { EXPECTED, NOW, TZ } from './fixtures/report/fixture';
import { inProcess, jsonOf, type ReportSandbox, reportSandbox } from './fixtures/report/harness';

const X1 = 'e5000000-0005';
const CODEX_MODEL = 'gpt-5';
/** cx's usage, tokens worked out by hand: 4000 + 500 + 1000 = 5500 on Nov 4, 2000 + 1000 = 3000 on Nov 5 (New York). */
const CX_ROWS = [
  ['c1', '2025-11-04T16:00:00Z', 4000, 500, 1000],
  ['c2', '2025-11-05T13:30:00Z', 2000, 1000, 0],
] as const;
const CX_TOKENS = 8500;

/** The fixture plus profile cx: a CODEX_HOME with usage, and Codex's 5 h figure at 42 % five minutes before NOW. */
function mixedSandbox(): ReportSandbox {
  const sb = reportSandbox();
  appendFileSync(join(sb.home, 'config.toml'), `\n[profiles.cx]\nconfig_dir = "${join(sb.root, 'codex-home')}"\nagent = "codex"\n`);
  const db = openDb(join(sb.home, 'state.db'));
  const row = db.prepare(
    `INSERT INTO usage (profile, agent, dedup_key, session_id, project, model, ts, input_tokens, output_tokens, cache_read_tokens,
       cache_creation_5m_tokens, cache_creation_1h_tokens) VALUES ('cx', 'codex', ?, ?, '/home/me/delta', ?, ?, ?, ?, ?, 0, 0)`,
  );
  for (const [key, iso, i, o, cr] of CX_ROWS) row.run(key, X1, CODEX_MODEL, Date.parse(iso), i, o, cr);
  db.prepare(
    `INSERT INTO sessions (profile, session_id, started_at, last_seen_at, status, model, cwd, turns, failed_turns, compact_count)
     VALUES ('cx', ?, ?, ?, 'completed', ?, '/home/me/delta', 2, 0, 0)`,
  ).run(X1, Date.parse(CX_ROWS[0][1]), Date.parse(CX_ROWS[1][1]), CODEX_MODEL);
  db.prepare('INSERT INTO rate_limits (profile, window, used_percentage, resets_at, observed_at) VALUES (?,?,?,?,?)').run(
    'cx',
    'five_hour',
    42,
    NOW + 3_600_000,
    NOW - 5 * 60_000,
  );
  db.close();
  return sb;
}

const VIEWS = [[], ['daily'], ['weekly'], ['monthly'], ['session'], ['blocks'], ['quota'], ['sessions']];
const text = (sb: ReportSandbox, argv: string[], width = 200) =>
  inProcess(sb, [...argv, '--no-consolidate', '--timezone', TZ], { env: { COLUMNS: String(width) } });
const header = (out: string, first: string) => out.split('\n').find((l) => l.startsWith(`${first}  `)) ?? '';
type Row = { date?: string; profile: string; totalTokens: number; agent: string; metadata: { agents: string[] } };

let mixed: ReportSandbox;
let claudeOnly: ReportSandbox;
before(() => {
  mixed = mixedSandbox();
  claudeOnly = reportSandbox();
});
after(() => {
  mixed.cleanup();
  claudeOnly.cleanup();
});

describe('--agent', () => {
  test("codex: cx's rows only, its tokens as inserted", async () => {
    const j = await jsonOf(mixed, ['daily', '--agent', 'codex', '--timezone', TZ]);
    assert.deepEqual(
      j.daily.map((r: Row) => [r.date, r.profile, r.totalTokens]),
      [
        ['2025-11-04', 'cx', 5500],
        ['2025-11-05', 'cx', 3000],
      ],
    );
    assert.equal(j.totals.totalTokens, CX_TOKENS);
    assert.deepEqual(j.filters.agents, ['codex']);
  });

  test("claude: the fixture's figures, as if cx did not exist", async () => {
    const j = await jsonOf(mixed, ['daily', '--agent', 'claude', '--timezone', TZ]);
    assert.deepEqual(
      j.daily.map((r: Row) => [r.date, r.profile, r.totalTokens]),
      EXPECTED.dailyNY.map((r) => [r.date, r.profile, r.totalTokens]),
    );
    assert.equal(j.totals.totalTokens, EXPECTED.totals.totalTokens);
  });

  test('repeatable or a comma list: both agents are everything', async () => {
    const all = await jsonOf(mixed, ['daily']);
    assert.equal(all.totals.totalTokens, EXPECTED.totals.totalTokens + CX_TOKENS);
    for (const argv of [
      ['--agent', 'codex,claude'],
      ['--agent', 'claude', '--agent', 'codex'],
    ]) {
      const j = await jsonOf(mixed, ['daily', ...argv]);
      assert.deepEqual(j.daily, all.daily, argv.join(' '));
    }
  });

  test('with --profile: the profiles of both', async () => {
    const j = await jsonOf(mixed, ['daily', '--agent', 'codex', '--profile', 'work']);
    assert.deepEqual(j.daily, []);
    const s = await jsonOf(mixed, ['--agent', 'claude']);
    assert.deepEqual(
      s.profiles.map((p: Row) => p.profile),
      ['home', 'work'],
    );
  });

  test('an agent no profile has: empty rows, and stderr says why, as for --project', async () => {
    const r = await inProcess(mixed, ['daily', '--agent', 'opencode', '--json', '--no-consolidate']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).daily, []);
    assert.equal(JSON.parse(r.stdout).totals.totalTokens, 0);
    assert.match(r.stderr, /^ccx-report: no usage matches --agent opencode$/m);
    const s = await inProcess(mixed, ['--agent', 'opencode', '--json', '--no-consolidate']);
    const summary = JSON.parse(s.stdout);
    assert.deepEqual([summary.profiles, summary.topProjects, summary.skippedLines], [[], [], 0], 'nothing of any profile');
  });

  test('an unknown agent is a usage error (exit 2) naming the choices', async () => {
    const r = await inProcess(mixed, ['daily', '--agent', 'gemini', '--no-consolidate']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /--agent gemini: use claude, codex, opencode/);
  });

  test('the rollup answers --agent as the usage table does', async () => {
    const sb = mixedSandbox();
    try {
      const before = await jsonOf(sb, ['daily', '--agent', 'codex', '--timezone', TZ]);
      const db = openDb(join(sb.home, 'state.db'));
      refreshRollup(db, promptClasses(loadPrices(join(sb.home, 'pricing.yaml')).prices).thresholds, [TZ]);
      db.close();
      const rolled = await jsonOf(sb, ['daily', '--agent', 'codex', '--timezone', TZ]);
      assert.deepEqual(rolled.daily, before.daily);
      assert.deepEqual(rolled.totals, before.totals);
    } finally {
      sb.cleanup();
    }
  });
});

describe('the Agent column', () => {
  test("every view over both agents' profiles has it, beside Profile, naming each row's agent", async () => {
    const firsts: Record<string, string> = {
      '': 'Profile',
      daily: 'Date',
      weekly: 'Week of',
      monthly: 'Month',
      session: 'Last activity',
      blocks: 'Block start',
      quota: 'Profile',
      sessions: 'Last seen',
    };
    for (const argv of VIEWS) {
      const r = await text(mixed, argv);
      assert.equal(r.code, 0, r.stderr);
      assert.match(header(r.stdout, firsts[argv[0] ?? '']!), /Profile.*\bAgent\b/, `${argv[0] ?? 'summary'}: ${r.stdout}`);
    }
    const daily = (await text(mixed, ['daily'])).stdout.split('\n');
    assert.ok(
      daily.some((l) => /^2025-11-04\s+cx\s+Codex\s/.test(l)),
      daily.join('\n'),
    );
    assert.ok(
      daily.some((l) => /^2025-11-02\s+work\s+Claude\s/.test(l)),
      daily.join('\n'),
    );
  });

  test('kept within the width at 60, 80, 100 and 200 columns', async () => {
    for (const width of [60, 80, 100, 200]) {
      for (const argv of [...VIEWS, ['daily', '--breakdown'], ['blocks', '--breakdown'], ['daily', '--instances']]) {
        const r = await text(mixed, argv, width);
        assert.equal(r.code, 0, r.stderr);
        for (const line of r.stdout.split('\n')) assert.ok([...line].length <= width, `${argv.join(' ')} at ${width}: ${line}`);
      }
    }
    // At 80 columns the compact layout keeps it: it is a label, as Profile is.
    assert.match(header((await text(mixed, ['daily'], 80)).stdout, 'Date'), /Profile\s+Agent/);
  });

  test('one agent in the rows: no column (--agent claude; a Claude-only user)', async () => {
    for (const argv of VIEWS) {
      for (const [sb, extra] of [
        [mixed, ['--agent', 'claude']],
        [claudeOnly, []],
      ] as const) {
        const r = await text(sb, [...argv, ...extra]);
        assert.equal(r.code, 0, r.stderr);
        assert.doesNotMatch(r.stdout, /\bAgent\b|Codex/, `${argv.join(' ') || 'summary'} ${extra.join(' ')}`);
      }
    }
  });

  test("session --id names a Codex session's agent; a Claude session's detail is as before", async () => {
    const r = await text(mixed, ['session', '--id', X1]);
    assert.match(r.stdout, /^Agent\s+Codex$/m);
    const claude = await text(mixed, ['session', '--id', 'a1b2c3d4-0001']);
    assert.doesNotMatch(claude.stdout, /^Agent/m);
  });

  test('the HTML page has the column too', async () => {
    const file = join(mixed.root, 'report.html');
    const r = await inProcess(mixed, ['daily', '--html', file, '--no-consolidate']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(readFileSync(file, 'utf8'), />Agent</);
  });
});

describe('JSON', () => {
  test("period rows: ccusage 20's agent 'all' with the row's own agent in metadata.agents", async () => {
    for (const view of ['daily', 'weekly', 'monthly']) {
      const j = await jsonOf(mixed, [view]);
      for (const r of j[view] as Row[])
        assert.deepEqual([r.agent, r.metadata], ['all', { agents: [r.profile === 'cx' ? 'codex' : 'claude'] }], `${view} ${r.profile}`);
    }
  });

  test('session, sessions, blocks, quota and summary rows carry the real agent', async () => {
    const agents = (rows: { profile: string; agent: string }[]) => new Map(rows.map((r) => [r.profile, r.agent]));
    const expected = new Map([
      ['cx', 'codex'],
      ['work', 'claude'],
      ['home', 'claude'],
    ]);
    assert.deepEqual(agents((await jsonOf(mixed, ['session'])).sessions), expected);
    assert.deepEqual(agents((await jsonOf(mixed, ['sessions'])).sessions), expected);
    assert.deepEqual(agents((await jsonOf(mixed, ['blocks'])).blocks), expected);
    assert.deepEqual(agents((await jsonOf(mixed, ['quota'])).profiles), expected);
    assert.deepEqual(agents((await jsonOf(mixed, [])).profiles), expected);
    assert.equal((await jsonOf(mixed, ['session', '--id', X1])).session.agent, 'codex');
  });

  test("summary.agents: each agent's best profile and its worst window", async () => {
    const j = await jsonOf(mixed, []);
    // work: Claude Code's 80 % (headroom 20); home: 9 of 45 turns = 20 % (headroom 80); cx: Codex's 42 %.
    assert.deepEqual(j.agents, [
      { agent: 'claude', profile: 'home', profiles: 2, window: 'five_hour', pct: 20 },
      { agent: 'codex', profile: 'cx', profiles: 1, window: 'five_hour', pct: 42 },
    ]);
  });
});

describe("the summary's quotas side by side", () => {
  test('with profiles of two agents: one line, each agent by its best profile', async () => {
    const r = await text(mixed, []);
    assert.match(r.stdout, /^Claude \[home\] 5 h 20 % · Codex 5 h 42 %$/m);
  });

  test('a Claude-only user has no such line', async () => {
    const r = await text(claudeOnly, []);
    assert.doesNotMatch(r.stdout, / · /);
  });
});

describe("ccusage 20's focused form: an agent before the view", () => {
  test('`codex daily` is `daily --agent codex`; `codex` alone the summary of cx', async () => {
    assert.deepEqual(await jsonOf(mixed, ['codex', 'daily']), await jsonOf(mixed, ['daily', '--agent', 'codex']));
    const s = await jsonOf(mixed, ['codex']);
    assert.equal(s.view, 'summary');
    assert.deepEqual(s.filters.agents, ['codex']);
    const withId = await jsonOf(mixed, ['codex', 'session', '-i', X1]);
    assert.equal(withId.session.sessionId, X1, '-i after `codex session` is --id, as after `session`');
  });

  test('--live (lib/top, by profile only) refuses --agent rather than ignore it', async () => {
    const r = await inProcess(mixed, ['codex', 'blocks', '--live', '--no-consolidate']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--agent does not apply to --live/);
  });

  test('an agent after the view, or a third word, is a usage error', async () => {
    for (const argv of [
      ['daily', 'codex'],
      ['codex', 'daily', 'weekly'],
    ]) {
      const r = await inProcess(mixed, [...argv, '--no-consolidate']);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.stderr, /unexpected argument "(codex|weekly)"/);
    }
  });
});
