// Every view against the hand-written fixture (test/fixtures/report/fixture.ts): JSON figures
// compared with the answers worked out by hand there, at a fixed NOW in America/New_York.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { EXPECTED, HAIKU, S1, S2, S3, S4, SONNET, TZ, UNPRICED } from './fixtures/report/fixture';
import { inProcess, jsonOf, near, type ReportSandbox, reportSandbox } from './fixtures/report/harness';

let sb: ReportSandbox;
before(() => (sb = reportSandbox()));
after(() => sb.cleanup());

const pick = <T extends Record<string, unknown>>(rows: T[], keys: string[]) =>
  rows.map((r) => Object.fromEntries(keys.map((k) => [k, r[k]])));
function assertCosts(rows: { totalCost: number }[], expected: { totalCost: number }[]) {
  assert.equal(rows.length, expected.length);
  for (const [i, r] of rows.entries())
    assert.ok(near(r.totalCost, expected[i]!.totalCost), `row ${i}: ${r.totalCost} vs ${expected[i]!.totalCost}`);
}

describe('daily', () => {
  test('buckets in the zone across the DST change, ccusage field names, per-model breakdowns', async () => {
    const j = await jsonOf(sb, ['daily', '--timezone', TZ]);
    assert.equal(j.schema, 'ccx-report/1');
    assert.equal(j.view, 'daily');
    assert.equal(j.timezone, TZ);
    const keys = ['date', 'profile', 'inputTokens', 'outputTokens', 'cacheCreationTokens', 'cacheReadTokens', 'totalTokens', 'modelsUsed'];
    assert.deepEqual(pick(j.daily, keys), pick(EXPECTED.dailyNY, keys));
    assertCosts(j.daily, EXPECTED.dailyNY);
    for (const row of j.daily) {
      const sum = row.modelBreakdowns.reduce((a: number, m: { cost: number }) => a + m.cost, 0);
      assert.ok(near(sum, row.totalCost), 'model costs add up to the row');
      assert.deepEqual(
        row.modelBreakdowns.map((m: { modelName: string }) => m.modelName),
        row.modelsUsed,
      );
    }
    const { totalCost, ...tokens } = EXPECTED.totals;
    assert.deepEqual({ ...j.totals, totalCost: 0 }, { ...tokens, totalCost: 0, unpricedModels: [UNPRICED] });
    assert.ok(near(j.totals.totalCost, totalCost));
  });

  test('the same rows in UTC land on other days', async () => {
    const j = await jsonOf(sb, ['daily', '--timezone', 'UTC']);
    assert.deepEqual(pick(j.daily, ['date', 'profile', 'totalTokens']), pick(EXPECTED.dailyUTC, ['date', 'profile', 'totalTokens']));
    assertCosts(j.daily, EXPECTED.dailyUTC);
  });

  test('long-context pricing stays per request inside a 15-minute bucket', async () => {
    const j = await jsonOf(sb, ['daily', '--timezone', TZ, '--since', '2025-10-20', '--until', '2025-10-20']);
    // 250k-prompt request at the long-context rate (1.5225) + a 1k request at the standard one (0.003).
    assert.ok(near(j.daily[0].totalCost, 1.5255), String(j.daily[0].totalCost));
  });

  test('--since/--until are inclusive local days, in either spelling', async () => {
    const a = await jsonOf(sb, ['daily', '--timezone', TZ, '--since', '2025-11-02', '--until', '2025-11-03']);
    const b = await jsonOf(sb, ['daily', '--timezone', TZ, '--since', '20251102', '--until', '20251103']);
    assert.deepEqual(pick(a.daily, ['date', 'totalTokens']), [
      { date: '2025-11-02', totalTokens: 18000 },
      { date: '2025-11-03', totalTokens: 2000 },
    ]);
    assert.deepEqual(a.daily, b.daily);
    assert.equal(a.totals.totalTokens, 20000);
  });

  test('--profile, --project, --model, --order filter and sort', async () => {
    const home = await jsonOf(sb, ['daily', '--timezone', TZ, '--profile', 'home']);
    assert.deepEqual(pick(home.daily, ['date', 'profile']), [
      { date: '2025-11-04', profile: 'home' },
      { date: '2025-11-05', profile: 'home' },
    ]);
    const beta = await jsonOf(sb, ['daily', '--timezone', TZ, '--project', 'beta']);
    const betaPath = await jsonOf(sb, ['daily', '--timezone', TZ, '--project', '/home/me/beta']);
    assert.deepEqual(pick(beta.daily, ['date', 'totalTokens']), [
      { date: '2025-11-02', totalTokens: 14000 },
      { date: '2025-11-03', totalTokens: 2000 },
    ]);
    assert.deepEqual(beta.daily, betaPath.daily);
    assert.equal((await jsonOf(sb, ['daily', '--project', 'me/bet'])).daily.length, 0, 'a partial segment is no match');
    const haiku = await jsonOf(sb, ['daily', '--timezone', TZ, '--model', 'HAIKU']);
    assert.equal(haiku.totals.totalTokens, 2000 + 14000 + 2000);
    assert.ok(haiku.daily.every((d: { modelsUsed: string[] }) => d.modelsUsed.join() === HAIKU));
    const desc = await jsonOf(sb, ['daily', '--timezone', TZ, '--order', 'desc']);
    assert.deepEqual(
      desc.daily.map((d: { date: string }) => d.date),
      EXPECTED.dailyNY.map((d) => d.date).reverse(),
    );
    const both = await jsonOf(sb, ['daily', '--profile', 'home', '--profile', 'work']);
    assert.equal(both.totals.totalTokens, EXPECTED.totals.totalTokens);
  });

  test('unpriced models are flagged in rows, totals and the table', async () => {
    const j = await jsonOf(sb, ['daily', '--timezone', TZ]);
    assert.deepEqual(j.daily[4].unpricedModels, [UNPRICED]);
    assert.deepEqual(j.daily[5].unpricedModels, []);
    assert.deepEqual(j.unpriced, [{ model: UNPRICED, tokens: 1000 }]);
    const t = await inProcess(sb, ['daily', '--timezone', TZ, '--no-consolidate']);
    assert.match(t.stdout, /\$0\.00\*/);
    assert.match(t.stdout, /unpriced: 1,000 tokens of model mystery-model-x/);
  });

  test('table: thousands separators, cents, --breakdown adds per-model rows', async () => {
    const plain = await inProcess(sb, ['daily', '--timezone', TZ, '--no-consolidate'], { env: { COLUMNS: '160' } });
    assert.match(plain.stdout, /2025-10-20 +work .* 252,000 +\$1\.53/);
    assert.match(plain.stdout, /Total .* 297,000 +\$1\.67/);
    assert.doesNotMatch(plain.stdout, /└/);
    const bd = await inProcess(sb, ['daily', '--timezone', TZ, '--breakdown', '--no-consolidate'], { env: { COLUMNS: '160' } });
    // 2025-11-02: haiku 14,000 ($0.03) and sonnet 4,000 ($0.03) under the day row.
    assert.match(
      bd.stdout,
      /2025-11-02 .*\n.*└ claude-haiku-4-5-20251001 .* 14,000 +\$0\.03\n.*└ claude-sonnet-4-5-20250929 .* 4,000 +\$0\.03/,
    );
  });
});

describe('weekly and monthly', () => {
  test('weeks start on Monday (as in ccusage) unless --start-of-week says otherwise', async () => {
    const mon = await jsonOf(sb, ['weekly', '--timezone', TZ]);
    assert.deepEqual(pick(mon.weekly, ['week', 'profile', 'totalTokens']), pick(EXPECTED.weeklyMonday, ['week', 'profile', 'totalTokens']));
    assertCosts(mon.weekly, EXPECTED.weeklyMonday);
    const sun = await jsonOf(sb, ['weekly', '--timezone', TZ, '--start-of-week', 'sunday']);
    assert.deepEqual(pick(sun.weekly, ['week', 'profile', 'totalTokens']), pick(EXPECTED.weeklySunday, ['week', 'profile', 'totalTokens']));
    assertCosts(sun.weekly, EXPECTED.weeklySunday);
  });

  test('months', async () => {
    const j = await jsonOf(sb, ['monthly', '--timezone', TZ]);
    assert.deepEqual(pick(j.monthly, ['month', 'profile', 'totalTokens']), pick(EXPECTED.monthly, ['month', 'profile', 'totalTokens']));
    assertCosts(j.monthly, EXPECTED.monthly);
  });
});

describe('summary', () => {
  test('today, this week, 30 days per profile; quota with sources; use next; top lists; failures; skipped lines', async () => {
    // Sunday weeks: this week then starts before the fixture's DST change.
    const j = await jsonOf(sb, ['--timezone', TZ, '--start-of-week', 'sunday']);
    assert.equal(j.view, 'summary');
    assert.equal(j.periods.today, '2025-11-05T05:00:00.000Z');
    assert.equal(j.periods.week, '2025-11-02T04:00:00.000Z', 'Sunday 00:00 EDT, before the DST change');
    const byName = Object.fromEntries(j.profiles.map((p: { profile: string }) => [p.profile, p]));
    assert.deepEqual(Object.keys(byName).sort(), ['home', 'work']);
    for (const name of ['work', 'home'] as const) {
      for (const period of ['today', 'week', 'last30Days'] as const) {
        const [tokens, cost] = EXPECTED.summary[name][period];
        assert.equal(byName[name][period].totalTokens, tokens, `${name} ${period}`);
        assert.ok(near(byName[name][period].totalCost, cost!), `${name} ${period} cost`);
      }
    }
    const work = byName.work.quota;
    assert.equal(work.band, 'warn');
    assert.deepEqual(work.windows.five_hour, {
      used: null,
      cap: null,
      pct: 80,
      resetsAt: '2025-11-05T17:30:00.000Z',
      unit: 'percent',
      source: 'claude-code',
      observedAt: '2025-11-05T14:55:00.000Z',
    });
    assert.equal(work.windows.weekly.source, 'claude-code');
    assert.deepEqual(work.suggestion, { profile: 'home', headroomPct: 80 });
    const home = byName.home.quota;
    assert.deepEqual(home.windows.five_hour, {
      used: 9,
      cap: 45,
      pct: 20,
      resetsAt: '2025-11-05T17:00:00.000Z',
      unit: 'turns',
      source: 'estimate',
      observedAt: null,
    });
    assert.deepEqual(j.useNext, { profile: 'home', headroomPct: 80 });
    assert.deepEqual(
      j.topProjects.map((p: { project: string; totalTokens: number }) => [p.project, p.totalTokens]),
      EXPECTED.summary.topProjects,
    );
    assert.deepEqual(
      j.topModels.map((m: { modelName: string; totalTokens: number }) => [m.modelName, m.totalTokens]),
      EXPECTED.summary.topModels,
    );
    assert.deepEqual(j.failures, [
      {
        ts: '2025-11-03T05:36:00.000Z',
        profile: 'work',
        sessionId: S2,
        kind: 'usage_limit',
        error: 'usage limit reached',
        resetAt: '2025-11-03T09:00:00.000Z',
      },
      { ts: '2025-11-03T05:35:00.000Z', profile: 'work', sessionId: S2, kind: 'stop_failure', error: 'rate_limit', resetAt: null },
    ]);
    assert.equal(j.skippedLines, 3);
    assert.deepEqual(j.skippedByReason, { malformed_json: 1, over_10_mib: 1, unrecorded: 1 });
    assert.deepEqual(
      j.skippedFiles.map((f: { profile: string; lines: number; byReason: object }) => [f.profile, f.lines, f.byReason]),
      [
        ['work', 2, { malformed_json: 1, over_10_mib: 1 }],
        ['home', 1, { unrecorded: 1 }],
      ],
    );
  });

  test('the table says where each quota figure comes from and when it resets', async () => {
    const r = await inProcess(sb, ['--timezone', TZ, '--start-of-week', 'sunday', '--no-consolidate'], { env: { COLUMNS: '140' } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /work \[warn\] +5 h +█{16}░{4} 80% +2025-11-05 12:30 \(in 2h 30m\) +Claude Code/);
    assert.match(r.stdout, /home \[ok\] +5 h +█{4}░{16} 20% 9\/45 turns +2025-11-05 12:00 \(in 2h 00m\) +ccx estimate/);
    assert.match(r.stdout, /Use next: home \(80% headroom\): ccx use home/);
    assert.match(r.stdout, /StopFailure: rate_limit/);
    assert.match(r.stdout, /3 transcript lines skipped in 2 files: 1 malformed JSON, 1 over 10 MiB, 1 reason not recorded/);
    assert.match(r.stdout, /work +0 +\$0\.00 +20,000 +\$0\.06 +291,000 +\$1\.64/);
  });

  test('from a shell on the profile with the most headroom: no "Use next", the others\' figures', async () => {
    const env = { COLUMNS: '140', CLAUDE_CONFIG_DIR: sb.fx.homeDir };
    const r = await inProcess(sb, ['--timezone', TZ, '--no-consolidate', '--profile', 'home'], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /home \[ok\] +5 h/);
    assert.doesNotMatch(r.stdout, /Use next/);
    assert.match(r.stdout, /home: no profile has more headroom \(work 20 %\)/);
    const j = JSON.parse((await inProcess(sb, ['--json', '--timezone', TZ, '--no-consolidate'], { env })).stdout);
    assert.equal(j.activeProfile, 'home');
    assert.equal(j.useNext, null);
  });

  test('--since/--until narrow top lists and failures, not today/week/30 days', async () => {
    const j = await jsonOf(sb, ['--timezone', TZ, '--since', '2025-11-04']);
    assert.deepEqual(
      j.topProjects.map((p: { project: string }) => p.project),
      ['/home/me/gamma'],
    );
    assert.deepEqual(j.failures, []);
    assert.equal(j.profiles.find((p: { profile: string }) => p.profile === 'work').last30Days.totalTokens, 291000);
  });
});

describe('quota', () => {
  test('windows, bands, suggestion, budgets absent when not configured', async () => {
    const j = await jsonOf(sb, ['quota', '--timezone', TZ]);
    const [home, work] = j.profiles;
    assert.equal(home.profile, 'home');
    assert.equal(home.band, 'ok');
    assert.equal(home.headroomPct, 80);
    assert.equal(home.suggestion, null);
    assert.deepEqual(Object.keys(home.windows).sort(), ['five_hour', 'weekly']);
    assert.deepEqual(home.windows.weekly, {
      used: 9,
      cap: null,
      pct: null,
      resetsAt: '2025-11-12T12:00:00.000Z',
      unit: 'turns',
      source: 'estimate',
      observedAt: null,
    });
    assert.equal(work.windows.weekly.pct, 40);
    assert.equal(work.windows.weekly.resetsAt, '2025-11-09T00:00:00.000Z');
    assert.equal(work.unavailableUntil, null);
  });

  test('--profile narrows the list but the suggestion still looks at every profile', async () => {
    const j = await jsonOf(sb, ['quota', '--profile', 'work']);
    assert.deepEqual(
      j.profiles.map((p: { profile: string }) => p.profile),
      ['work'],
    );
    assert.equal(j.profiles[0].suggestion.profile, 'home');
  });
});

describe('blocks', () => {
  test('5-hour blocks floored to the hour, split on 5 h span or gap; the active one projected', async () => {
    const j = await jsonOf(sb, ['blocks']);
    assert.deepEqual(
      j.blocks.map((b: { profile: string; startTime: string; requests: number; totalTokens: number; isActive: boolean }) => [
        b.profile,
        b.startTime,
        b.requests,
        b.totalTokens,
        b.isActive,
      ]),
      EXPECTED.blocks.map(([p, s, n, t, , a]) => [p, s, n, t, a]),
    );
    for (const [i, b] of (j.blocks as { totalCost: number }[]).entries()) assert.ok(near(b.totalCost, EXPECTED.blocks[i]![4]));
    const active = j.blocks[6];
    assert.equal(active.endTime, '2025-11-05T18:00:00.000Z');
    assert.equal(active.burnRate.tokensPerMinute, EXPECTED.burn.tokensPerMinute);
    assert.ok(near(active.burnRate.costPerHour, EXPECTED.burn.costPerHour));
    assert.equal(active.burnRate.projectedTokens, EXPECTED.burn.projectedTokens);
    assert.ok(near(active.burnRate.projectedCost, EXPECTED.burn.projectedCost));
    assert.equal(active.burnRate.remainingMinutes, EXPECTED.burn.remainingMinutes);
    assert.ok(j.blocks.slice(0, 6).every((b: { burnRate: unknown }) => b.burnRate === null));
  });

  test('a block is no longer active once 5 h have passed since its start', async () => {
    const j = await jsonOf(sb, ['blocks', '--profile', 'home'], { now: Date.parse('2025-11-05T18:00:00Z') });
    assert.equal(j.blocks.at(-1).isActive, false);
  });

  test('table shows the active block and its projection', async () => {
    const r = await inProcess(sb, ['blocks', '--timezone', TZ, '--no-consolidate'], { env: { COLUMNS: '140' } });
    assert.match(r.stdout, /2025-11-05 08:00 +ACTIVE, 3h 00m left +home/);
    assert.match(r.stdout, /home active block: 42 tokens\/min, \$0\.01\/h; projected by 13:00: 12,500 tokens, \$0\.07/);
  });
});

describe('sessions and session', () => {
  test('sessions: telemetry with durations and in-range usage, ordered by last activity', async () => {
    const j = await jsonOf(sb, ['sessions']);
    assert.deepEqual(
      j.sessions.map((s: { sessionId: string }) => s.sessionId),
      [S4, S1, S2, S3],
    );
    const s1 = j.sessions[1];
    assert.equal(s1.status, 'ended');
    assert.equal(s1.turns, 3);
    assert.equal(s1.compactions, 1);
    assert.equal(s1.durationMs, (34 * 60 + 10) * 60_000, 'started Nov 1 04:00Z, ended Nov 2 14:10Z');
    assert.equal(s1.claudeCodeCostUsd, 0.09);
    for (const s of j.sessions) {
      assert.equal(s.totalTokens, EXPECTED.sessions[s.sessionId]![0]);
      assert.ok(near(s.totalCost, EXPECTED.sessions[s.sessionId]![1]));
    }
    const failed = j.sessions[2];
    assert.deepEqual([failed.status, failed.failedTurns, failed.failureError], ['failed', 1, 'rate_limit']);
  });

  test('sessions in a range: those active in it', async () => {
    const j = await jsonOf(sb, ['sessions', '--timezone', TZ, '--since', '2025-11-03', '--until', '2025-11-04']);
    assert.deepEqual(
      j.sessions.map((s: { sessionId: string }) => s.sessionId),
      [S2, S3],
    );
    const r = await inProcess(sb, ['sessions', '--timezone', TZ, '--no-consolidate'], { env: { COLUMNS: '140' } });
    assert.match(r.stdout, /a1b2c3d4 +failed +2 +1 +0 +1h 40m/);
  });

  test('session: usage per session; --id by unique prefix gives the detail', async () => {
    const list = await jsonOf(sb, ['session']);
    assert.deepEqual(
      list.sessions.map((s: { sessionId: string; totalTokens: number }) => [s.sessionId, s.totalTokens]),
      [
        [S4, 252000],
        [S1, 23000],
        [S2, 16000],
        [S3, 6000],
      ],
    );
    const d = await jsonOf(sb, ['session', '--id', 'c3']);
    assert.equal(d.session.sessionId, S3);
    assert.equal(d.session.totalTokens, 6000);
    assert.deepEqual(d.session.modelsUsed, [SONNET, UNPRICED]);
    assert.deepEqual(d.session.unpricedModels, [UNPRICED]);
    assert.equal(d.session.telemetry.compactions, 2);
    const failed = await jsonOf(sb, ['session', '--id', S2]);
    assert.deepEqual(
      failed.session.failures.map((f: { kind: string }) => f.kind),
      ['usage_limit', 'stop_failure'],
    );
  });

  test('an ambiguous prefix is a usage error, an unknown id a runtime one', async () => {
    const amb = await inProcess(sb, ['session', '--id', 'a1b2', '--no-consolidate']);
    assert.equal(amb.code, 2);
    assert.match(amb.stderr, /matches 2 sessions/);
    const none = await inProcess(sb, ['session', '--id', 'zzz', '--no-consolidate']);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no session "zzz"/);
    assert.equal(none.stdout, '');
  });
});

test('the in-process runner consolidates first unless told not to', async () => {
  assert.equal((await inProcess(sb, ['daily'])).consolidations, 1);
  assert.equal((await inProcess(sb, ['daily', '--no-consolidate'])).consolidations, 0);
});

describe('JSON schema', () => {
  const ENVELOPE = ['schema', 'view', 'timezone', 'generatedAt', 'filters'];
  const USAGE = ['inputTokens', 'outputTokens', 'cacheCreationTokens', 'cacheReadTokens', 'totalTokens', 'totalCost', 'unpricedModels'];
  const keys = (o: object) => Object.keys(o).sort();
  const cases: [string[], string[]][] = [
    [
      [],
      [
        'periods',
        'range',
        'profiles',
        'activeProfile',
        'useNext',
        'agents',
        'topProjects',
        'topModels',
        'failures',
        'skippedLines',
        'skippedByReason',
        'skippedFiles',
        'unpriced',
      ],
    ],
    [['daily'], ['daily', 'totals', 'unpriced']],
    [['weekly'], ['weekly', 'totals', 'unpriced']],
    [['monthly'], ['monthly', 'totals', 'unpriced']],
    [['session'], ['sessions', 'totals']],
    [['session', '--id', S1], ['session']],
    [['blocks'], ['blocks', 'tokenLimit', 'totals']],
    [['quota'], ['profiles', 'activeProfile', 'useNext']],
    [['sessions'], ['sessions']],
  ];
  for (const [argv, top] of cases) {
    test(`${argv.join(' ') || 'summary'}: envelope and top-level keys`, async () => {
      const j = await jsonOf(sb, argv);
      assert.deepEqual(keys(j), [...ENVELOPE, ...top].sort());
      assert.equal(j.schema, 'ccx-report/1');
      assert.deepEqual(keys(j.filters), ['agents', 'model', 'profiles', 'project', 'since', 'until']);
      assert.match(j.generatedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    });
  }

  test("period rows carry exactly ccusage's fields (`ccusage claude` and ccusage 20's) plus profile and unpricedModels", async () => {
    const CCUSAGE_20 = ['period', 'agent', 'metadata'];
    const BREAKDOWN = ['cacheCreationTokens', 'cacheReadTokens', 'cost', 'inputTokens', 'modelName', 'outputTokens'];
    for (const [view, field] of [
      ['daily', 'date'],
      ['weekly', 'week'],
      ['monthly', 'month'],
    ] as const) {
      const j = await jsonOf(sb, [view]);
      assert.deepEqual(keys(j.totals), [...USAGE].sort());
      for (const row of j[view]) {
        assert.deepEqual(keys(row), [field, 'profile', ...USAGE, 'modelsUsed', 'modelBreakdowns', ...CCUSAGE_20].sort());
        assert.deepEqual([row.period, row.agent, row.metadata], [row[field], 'all', { agents: ['claude'] }]);
        for (const m of row.modelBreakdowns)
          assert.deepEqual(keys(m), m.modelName === UNPRICED ? [...BREAKDOWN, 'missingPricing'].sort() : BREAKDOWN);
      }
    }
  });

  test('quota windows and session telemetry keys', async () => {
    const q = await jsonOf(sb, ['quota']);
    for (const p of q.profiles) {
      assert.deepEqual(keys(p), [
        'agent',
        'band',
        'headroomPct',
        'label',
        'planTier',
        'profile',
        'suggestion',
        'unavailableUntil',
        'windows',
      ]);
      for (const w of Object.values(p.windows))
        assert.deepEqual(keys(w as object), ['cap', 'observedAt', 'pct', 'resetsAt', 'source', 'unit', 'used']);
    }
    const s = await jsonOf(sb, ['sessions']);
    const telemetry = [
      'profile',
      'agent',
      'sessionId',
      'status',
      'startedAt',
      'lastSeenAt',
      'endedAt',
      'endReason',
      'durationMs',
      'model',
      'cwd',
      'turns',
      'failedTurns',
      'compactions',
      'failureError',
      'failureDetails',
      'claudeCodeCostUsd',
    ];
    for (const row of s.sessions) assert.deepEqual(keys(row), [...telemetry, ...USAGE].sort());
  });
});
