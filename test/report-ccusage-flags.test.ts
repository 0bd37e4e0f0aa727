// ccusage 20's spellings on ccx-report (docs/ccusage.md): each short or ccusage-only spelling gives
// the same output as ccx's long one (real child processes); bad values are one usage line with
// exit 2 and never node's parser wording; ccx and ccx-report agree on exit codes; and what the
// ccusage flags mean (--instances, blocks --active/--recent/--token-limit/--session-length,
// --compact, --no-cost), checked in-process at the fixture's clock.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EXPECTED, NOW, S1, TZ } from './fixtures/report/fixture';
import { cli, inProcess, jsonOf, type ReportSandbox, reportSandbox } from './fixtures/report/harness';
import { DIST, runNode } from './helpers/ccx';
import { ccx } from './helpers/cli';

let sb: ReportSandbox;
before(() => (sb = reportSandbox()));
after(() => sb.cleanup());

const run = (args: string[]) => cli(sb, [...args, '--no-consolidate'], { TZ, COLUMNS: '200' });

describe("ccusage's spellings give ccx's output", () => {
  const pairs: [string[], string[]][] = [
    [
      ['daily', '-j'],
      ['daily', '--json'],
    ],
    [
      ['daily', '-s', '20251101', '-u', '20251103'],
      ['daily', '--since', '2025-11-01', '--until', '2025-11-03'],
    ],
    [
      ['daily', '-s20251101'],
      ['daily', '--since=20251101'],
    ],
    [
      ['daily', '-z', 'UTC'],
      ['daily', '--timezone', 'UTC'],
    ],
    [
      ['daily', '-b'],
      ['daily', '--breakdown'],
    ],
    [
      ['daily', '-o', 'desc'],
      ['daily', '--order', 'desc'],
    ],
    [
      ['daily', '-p', 'alpha'],
      ['daily', '--project', 'alpha'],
    ],
    [
      ['daily', '-jb'],
      ['daily', '--json', '--breakdown'],
    ],
    [
      ['weekly', '-w', 'sunday'],
      ['weekly', '--start-of-week', 'sunday'],
    ],
    [
      ['daily', '-i'],
      ['daily', '--instances'],
    ],
    [
      ['monthly', '-i', '-j'],
      ['monthly', '--instances', '--json'],
    ],
    [
      ['session', '-i', S1],
      ['session', '--id', S1],
    ],
    [
      ['blocks', '-a', '-j'],
      ['blocks', '--active', '--json'],
    ],
    [
      ['blocks', '-r'],
      ['blocks', '--recent'],
    ],
    [
      ['blocks', '-t', 'max'],
      ['blocks', '--token-limit', 'max'],
    ],
    [
      ['blocks', '-n', '3'],
      ['blocks', '--session-length', '3'],
    ],
    // ccx never fetches prices: --offline and its negation change nothing.
    [['daily', '-O'], ['daily']],
    [['daily', '--offline'], ['daily']],
    [['daily', '--no-offline'], ['daily']],
  ];
  for (const [short, long] of pairs) {
    test(`${short.join(' ')} = ${long.join(' ')}`, async () => {
      const [a, b] = await Promise.all([run(short), run(long)]);
      assert.equal(a.code, 0, a.stderr);
      assert.equal(b.code, 0, b.stderr);
      assert.ok(a.stdout.length > 0);
      // JSON carries the moment it was made; everything else must be the same bytes.
      const stable = (out: string) => out.replace(/"generatedAt": "[^"]+"/, '"generatedAt": "…"');
      assert.equal(stable(a.stdout), stable(b.stdout));
      assert.equal(a.stderr, b.stderr);
    });
  }
});

describe('bad values: one usage line, exit 2, our words only', () => {
  const cases: [string[], RegExp][] = [
    [['blocks', '--token-limit', 'lots'], /--token-limit lots: give a number of tokens \(500000\) or max/],
    [['blocks', '-t', '0'], /--token-limit 0: give a number of tokens/],
    [['blocks', '--session-length', '0'], /--session-length 0: give hours, more than 0 and at most 24/],
    [['blocks', '-n', 'five'], /--session-length five: give hours/],
    [['daily', '-o', 'up'], /--order up: use asc or desc/],
    [['daily', '-s'], /-s needs a value/],
    [['daily', '--since', '--json'], /--since needs a value \(got the flag --json; write --since=VALUE/],
    [['daily', '-x'], /unknown flag -x/],
    [['daily', '-jx'], /unknown flag -x \(in -jx\)/],
    [['daily', '-js', '20251101'], /-s needs a value: give it on its own/],
    [['daily', '--no-json'], /unknown flag --no-json/],
    [['daily', '--json=1'], /--json takes no value/],
    [['blocks', '--instances'], /--instances only applies to the daily, weekly, monthly views/],
    [['daily', '--active'], /--active only applies to the blocks view \(ccx-report blocks --active\)/],
    [['daily', '-a'], /--active only applies to the blocks view/],
    [['monthly', '--session-length', '3'], /--session-length only applies to the blocks view/],
  ];
  for (const [args, message] of cases) {
    test(args.join(' '), async () => {
      const r = await run(args);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /^ccx-report: .* \(see --help\)\n$/);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /To specify|ERR_PARSE_ARGS|Unknown option/);
    });
  }
});

describe('ccx and ccx-report agree on exit codes', () => {
  const CCX = join(DIST, 'ccx.js');
  test('an unknown flag is 2 in both, and in ccx report', async () => {
    const codes = await Promise.all([
      ccx(sb, ['status', '--bogus']),
      cli(sb, ['daily', '--bogus']),
      runNode(CCX, ['report', 'daily', '--bogus'], { env: sb.env }),
    ]);
    for (const r of codes) {
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /unknown flag --bogus \(see --help\)$/m);
    }
  });

  test('--help and -h: the same text in ccx-report and ccx report, exit 0, within 80 columns', async () => {
    const [a, b, c, d, e] = await Promise.all([
      cli(sb, ['--help']),
      cli(sb, ['blocks', '-h']),
      runNode(CCX, ['report', '--help'], { env: sb.env }),
      // Help wins over a mistake elsewhere on the line, in both commands.
      cli(sb, ['--bogus', '--help']),
      ccx(sb, ['status', '--bogus', '--help']),
    ]);
    for (const r of [a, b, c, d, e]) assert.equal(r.code, 0, r.stderr);
    assert.equal(a.stdout, b.stdout);
    assert.equal(a.stdout, c.stdout);
    assert.equal(a.stdout, d.stdout);
    assert.match(e.stdout, /^usage: ccx status/);
    assert.match(a.stdout, /-t\/--token-limit N\|max/);
    assert.match(a.stdout, /docs\/ccusage\.md/);
    for (const line of a.stdout.split('\n')) assert.ok(line.length <= 80, line);
  });

  test('an unknown profile is 1 in both (the config decides, not the command line)', async () => {
    const codes = await Promise.all([
      ccx(sb, ['hooks', 'status', '--profile', 'nope']),
      cli(sb, ['daily', '--profile', 'nope', '--no-consolidate']),
      runNode(CCX, ['report', 'daily', '--profile', 'nope', '--no-consolidate'], { env: sb.env }),
    ]);
    for (const r of codes) {
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /profile "nope"/);
    }
  });
});

type Row = { date?: string; month?: string; profile: string; project?: string; totalTokens: number };

describe('what the ccusage flags do', () => {
  test('--instances: one row per (period, project, profile), summing to the same totals', async () => {
    const plain = await jsonOf(sb, ['daily', '--timezone', TZ]);
    const byProject = await jsonOf(sb, ['daily', '--instances', '--timezone', TZ]);
    const rows = byProject.daily as Row[];
    assert.deepEqual(byProject.totals, plain.totals);
    assert.ok(rows.every((r) => typeof r.project === 'string'));
    assert.ok(
      (plain.daily as Row[]).every((r) => r.project === undefined),
      'no project key without --instances',
    );
    const keys = rows.map((r) => `${r.date} ${r.project} ${r.profile}`);
    assert.equal(new Set(keys).size, keys.length);
    // Nov 2 (New York) holds alpha's u2 and beta's u3: two rows where plain daily has one.
    assert.deepEqual(
      rows.filter((r) => r.date === '2025-11-02').map((r) => [r.project, r.totalTokens]),
      [
        ['/home/me/alpha', 4000],
        ['/home/me/beta', 14000],
      ],
    );
    for (const day of EXPECTED.dailyNY) {
      const sum = rows.filter((r) => r.date === day.date && r.profile === day.profile).reduce((n, r) => n + r.totalTokens, 0);
      assert.equal(sum, day.totalTokens, day.date);
    }
    const table = await inProcess(sb, ['daily', '--instances', '--timezone', TZ, '--no-consolidate'], { env: { COLUMNS: '200' } });
    assert.match(table.stdout, /^Date {8}Project {9}Profile/m);
    assert.match(table.stdout, /^2025-11-02 {2}\/home\/me\/beta /m);
  });

  test('blocks --active: only the active block; --recent: the last 3 days and the active one', async () => {
    const all = (await jsonOf(sb, ['blocks'])).blocks as { startTime: string; isActive: boolean }[];
    const active = (await jsonOf(sb, ['blocks', '--active'])).blocks as typeof all;
    assert.ok(all.length > 2);
    assert.deepEqual(
      active,
      all.filter((b) => b.isActive),
    );
    assert.equal(active.length, 1);
    const recent = (await jsonOf(sb, ['blocks', '--recent'])).blocks as typeof all;
    assert.deepEqual(
      recent,
      all.filter((b) => b.isActive || Date.parse(b.startTime) >= NOW - 3 * 86_400_000),
    );
    assert.ok(recent.length < all.length && recent.length > active.length);
  });

  test('blocks --token-limit N|max: a % of limit column, the limit in the JSON, max = the largest finished block', async () => {
    const j = await jsonOf(sb, ['blocks', '--token-limit', 'max']);
    const finished = (j.blocks as { isActive: boolean; totalTokens: number }[]).filter((b) => !b.isActive);
    assert.equal(j.tokenLimit, Math.max(...finished.map((b) => b.totalTokens)));
    assert.equal(j.tokenLimit, 252000);
    assert.equal((await jsonOf(sb, ['blocks'])).tokenLimit, null);
    const t = await inProcess(sb, ['blocks', '-t', '10000', '--timezone', TZ, '--no-consolidate', '--no-color'], {
      env: { COLUMNS: '200' },
    });
    assert.equal(t.code, 0, t.stderr);
    assert.match(t.stdout, /Tokens +% of limit +Cost$/m);
    // The active home block: 5,000 tokens of 10,000.
    assert.match(t.stdout, /ACTIVE.* 5,000 +50(\.0)?% /);
    assert.match(t.stdout, /of the 10,000 token limit/);
  });

  test('blocks --session-length H: blocks of H hours', async () => {
    const one = (await jsonOf(sb, ['blocks', '--session-length', '1'])).blocks as { startTime: string; endTime: string }[];
    const five = (await jsonOf(sb, ['blocks'])).blocks as typeof one;
    assert.ok(one.every((b) => Date.parse(b.endTime) - Date.parse(b.startTime) === 3_600_000));
    assert.ok(one.length > five.length, 'shorter blocks: more of them');
    const text = await inProcess(sb, ['blocks', '-n', '2.5', '--no-consolidate'], { env: { COLUMNS: '120' } });
    assert.match(text.stdout, /^2\.5-hour blocks/m);
  });

  test('--compact: the narrow layout at any width, saying so; --no-cost: no Cost column and no cost keys', async () => {
    const wide = await inProcess(sb, ['daily', '--compact', '--no-consolidate'], { env: { COLUMNS: '200' } });
    assert.match(wide.stdout, /^Date {8}Profile +Input +Output +Total tokens +Cost$/m);
    assert.match(wide.stdout, /^compact layout \(--compact\): Models, Cache write, Cache read not shown$/m);
    const noCost = await inProcess(sb, ['daily', '--no-cost', '--no-consolidate'], { env: { COLUMNS: '200' } });
    const table = noCost.stdout.split('\n* unpriced')[0]!;
    assert.doesNotMatch(table, /Cost|\$/);
    assert.match(noCost.stdout, /Total tokens/);
    const j = await jsonOf(sb, ['blocks', '--no-cost']);
    assert.doesNotMatch(JSON.stringify(j), /"(totalCost|cost|costPerHour|projectedCost)"/);
    assert.equal(typeof j.totals.totalTokens, 'number');
  });
});

describe('every table view ends with totals', () => {
  const views = [['daily'], ['weekly'], ['monthly'], ['session'], ['blocks'], ['sessions'], []];
  for (const v of views) {
    for (const width of [80, 200]) {
      test(`${v[0] ?? 'summary'} at ${width} columns`, async () => {
        const r = await cli(sb, [...v, '--no-consolidate', '--no-color'], { TZ, COLUMNS: String(width) });
        assert.equal(r.code, 0, r.stderr);
        const out = r.stdout;
        const lines = out.split('\n');
        const total = lines.findIndex((l) => /^Total /.test(l));
        assert.ok(total > 0, out);
        assert.match(lines[total - 1]!, /^─+$/, 'a rule above the total row');
        assert.match(lines[total]!, /\$\d+\.\d\d\*?$/, 'the total row keeps its cost');
      });
    }
  }
});
