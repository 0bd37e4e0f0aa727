// dist/ccx-report.js as a real child process: the consolidation pass, default zone, terminal
// width and colour rules, the error contract (one stderr line, exit 2 or 1, nothing on stdout).

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { progressLine, UsageError, useColor } from '../lib/cli-kit';
import { procStart } from '../lib/lock-holder';
import { parseArgs } from '../lib/report/args';
import { renderTable, visibleLength } from '../lib/report/render/table';
import { EXPECTED, TZ } from './fixtures/report/fixture';
import { cli, REPORT, type ReportSandbox, reportSandbox } from './fixtures/report/harness';
import { payload, runHook, sandbox } from './helpers/ccx';
import { ccx } from './helpers/cli';

let sb: ReportSandbox;
before(() => (sb = reportSandbox()));
after(() => sb.cleanup());

const ANSI = /\x1b\[/;

describe('CLI', () => {
  test('a filter that matches nothing says so on stderr; one that matches says nothing', async () => {
    const none = await cli(sb, ['daily', '--project', 'nosuch', '--no-consolidate']);
    assert.equal(none.code, 0, none.stderr);
    assert.match(none.stderr, /^ccx-report: no usage matches --project nosuch$/m);
    const gpt = await cli(sb, ['daily', '--model', 'gpt', '--no-consolidate']);
    assert.match(gpt.stderr, /^ccx-report: no usage matches --model gpt$/m);
    const some = await cli(sb, ['daily', '--model', 'sonnet', '--no-consolidate']);
    assert.doesNotMatch(some.stderr, /no usage/);
  });

  test("nothing recorded at all: no zero table, just why, naming the profiles without ccx's hooks; then with them", async () => {
    const empty = sandbox();
    try {
      mkdirSync(empty.configDir, { recursive: true });
      const r = await cli(empty, ['daily']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, '', 'no all-zero table');
      assert.equal(
        r.stderr,
        "ccx-report: no usage found, and no hook event yet: ccx's hooks are not installed in default; ccx hooks install fixes it\n",
      );
      const json = await cli(empty, ['daily', '--json']);
      assert.deepEqual(JSON.parse(json.stdout).daily, [], 'JSON keeps its shape');
      const installed = await ccx(empty, ['hooks', 'install']);
      assert.equal(installed.code, 0, installed.stderr);
      const ready = await cli(empty, ['daily']);
      assert.equal(ready.stdout, '');
      assert.match(
        ready.stderr,
        /^ccx-report: no usage found, and no hook event yet: ccx's hooks are installed in default, and no session has run/m,
      );
      const hooked = await runHook('SessionStart', payload('SessionStart', 'sess-1', empty), empty, { profile: 'default' });
      assert.equal(hooked.code, 0);
      const after = await cli(empty, ['daily']);
      assert.match(after.stderr, /^ccx-report: no usage found: the hooks are recording events, but no transcript/m);
      assert.match(after.stdout, /Total/, 'with events recorded the table is shown');
    } finally {
      empty.cleanup();
    }
  });

  test('runs a consolidation pass (quota.json written), then reports; logs never reach stdout', async () => {
    const r = await cli(sb, ['daily', '--json', '--timezone', TZ]);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(
      j.daily.map((d: { date: string; totalTokens: number }) => [d.date, d.totalTokens]),
      EXPECTED.dailyNY.map((d) => [d.date, d.totalTokens]),
    );
    const quota = spawnSync('cat', [join(sb.home, 'quota.json')], { encoding: 'utf8' });
    assert.equal(quota.status, 0, 'the pass wrote quota.json');
    assert.equal(r.stderr, '', 'no progress line off a terminal');
  });

  test('days are bucketed in the system zone (TZ) when --timezone is not given', async () => {
    const ny = JSON.parse((await cli(sb, ['daily', '--json', '--no-consolidate'], { TZ })).stdout);
    const utc = JSON.parse((await cli(sb, ['daily', '--json', '--no-consolidate'], { TZ: 'UTC' })).stdout);
    assert.equal(ny.timezone, TZ);
    assert.deepEqual(
      ny.daily.map((d: { date: string }) => d.date),
      EXPECTED.dailyNY.map((d) => d.date),
    );
    assert.deepEqual(
      utc.daily.map((d: { date: string }) => d.date),
      EXPECTED.dailyUTC.map((d) => d.date),
    );
  });

  /** Each view's first line: its heading. */
  const HEADING: Record<string, RegExp> = {
    '': /^Usage \(tokens; /,
    daily: /^Daily usage \(/,
    weekly: /^Weekly usage \(/,
    monthly: /^Monthly usage \(/,
    session: /^Usage by session \(/,
    blocks: /^5-hour blocks \(/,
    quota: /^Quota$/,
    sessions: /^Sessions \(/,
  };
  for (const [view, heading] of Object.entries(HEADING)) {
    test(`${view || 'summary'}: fits 60, 80 and 200 columns; compact layout under 100`, async () => {
      for (const width of [60, 80, 200]) {
        const r = await cli(sb, [...(view ? [view] : []), '--no-consolidate', '--breakdown'], { COLUMNS: String(width) });
        assert.equal(r.code, 0, r.stderr);
        const lines = r.stdout.split('\n');
        for (const line of lines) assert.ok(visibleLength(line) <= width, `${width}: ${JSON.stringify(line)}`);
        // Real content, not just short lines: the heading, a table, a row for each profile (a
        // cell: at the line's start or after the two-space gap).
        assert.match(lines[0]!, heading, `${width}: ${JSON.stringify(r.stdout)}`);
        assert.ok(
          lines.some((l) => /^─+$/.test(l)),
          `${width}: no table in ${JSON.stringify(r.stdout)}`,
        );
        for (const profile of ['home', 'work'])
          assert.match(r.stdout, new RegExp(`(^|  )${profile}( |$)`, 'm'), `${width}: no ${profile} row`);
        if (view === 'daily') {
          assert.equal(/(^| {2})Cache read {2}/m.test(r.stdout), width >= 100, `${width}: Cache read column`);
          assert.equal(r.stdout.includes('compact layout; 100+ columns add'), width < 100, `${width}: compact note`);
        }
      }
    });
  }

  test('colour only on a terminal, never with NO_COLOR or --no-color', async (t) => {
    const piped = await cli(sb, ['daily', '--no-consolidate']);
    assert.doesNotMatch(piped.stdout, ANSI, 'no colour into a pipe');
    const probe = spawnSync('script', ['-qec', 'true', '/dev/null']);
    if (probe.status !== 0) return t.skip('util-linux `script` is needed to give the CLI a terminal');
    const onTty = (extra: string, env: NodeJS.ProcessEnv = {}) =>
      spawnSync('script', ['-qec', `${process.execPath} ${REPORT} daily --no-consolidate ${extra}`, '/dev/null'], {
        env: { ...sb.env, COLUMNS: '120', ...env },
        encoding: 'utf8',
      }).stdout;
    assert.match(onTty(''), ANSI);
    assert.doesNotMatch(onTty('--no-color'), ANSI);
    assert.doesNotMatch(onTty('', { NO_COLOR: '1' }), ANSI);
    assert.equal(useColor(true, { NO_COLOR: '' }, false), true, 'an empty NO_COLOR does not count (no-color.org)');
  });

  test('--help prints usage and exits 0', async () => {
    const r = await cli(sb, ['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^usage: ccx-report/);
  });
});

describe('errors: one line on stderr, nothing on stdout', () => {
  const cases: [string, string[], number, RegExp][] = [
    ['unknown view', ['dayly'], 2, /unknown view "dayly" \(views: summary, daily/],
    ['unknown flag', ['daily', '--colour'], 2, /unknown flag --colour/],
    ['missing value', ['daily', '--since'], 2, /--since needs a value/],
    ['bad date', ['daily', '--since', '2025-02-30'], 2, /--since 2025-02-30: not a date \(use YYYY-MM-DD or YYYYMMDD\)/],
    ['bad date shape', ['daily', '--until', '2025-1-5'], 2, /--until 2025-1-5: not a date/],
    ['since after until', ['daily', '--since', '20251105', '--until', '20251101'], 2, /--since 2025-11-05 is after --until 2025-11-01/],
    ['bad zone', ['daily', '--timezone', 'Mars/Olympus'], 2, /unknown time zone "Mars\/Olympus"/],
    ['bad order', ['daily', '--order', 'up'], 2, /--order up: use asc or desc/],
    ['bad weekday', ['weekly', '--start-of-week', 'funday'], 2, /--start-of-week funday: use one of sunday/],
    ['unknown profile', ['daily', '--profile', 'nope'], 1, /unknown profile "nope" \(known: home, work; register it/],
    ['--id elsewhere', ['daily', '--id', 'x'], 2, /--id only applies to the session view/],
  ];
  for (const [name, args, code, message] of cases) {
    test(`${name} → exit ${code}`, async () => {
      const r = await cli(sb, [...args, '--no-consolidate']);
      assert.equal(r.code, code, r.stderr);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /^ccx-report: /);
    });
  }

  test('unreadable config → exit 1, naming the file', async () => {
    const bad = reportSandbox();
    try {
      writeFileSync(join(bad.home, 'config.toml'), '[profiles.work\nconfig_dir = 1\n');
      const r = await cli(bad, ['daily']);
      assert.equal(r.code, 1);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^ccx-report: config: .*config\.toml: line 1/);
      assert.equal(r.stderr.trimEnd().split('\n').length, 1);
    } finally {
      bad.cleanup();
    }
  });

  for (const consolidate of [true, false]) {
    test(`corrupt database → exit 1 with the fix${consolidate ? '' : ' (--no-consolidate)'}`, async () => {
      const bad = reportSandbox();
      try {
        writeFileSync(join(bad.home, 'state.db'), 'this is not sqlite, just some text long enough to look like a header '.repeat(100));
        const r = await cli(bad, ['daily', ...(consolidate ? [] : ['--no-consolidate'])]);
        assert.equal(r.code, 1, r.stderr);
        assert.equal(r.stdout, '');
        assert.match(r.stderr, /state\.db is corrupt .*move it aside/);
        assert.equal(r.stderr.trimEnd().split('\n').length, 1);
      } finally {
        bad.cleanup();
      }
    });
  }

  test('no database with --no-consolidate → exit 1', async () => {
    const empty = reportSandbox();
    try {
      const home = join(empty.root, 'other');
      mkdirSync(home);
      const r = await cli(empty, ['daily', '--no-consolidate'], { CCX_HOME: home });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /no database at .*state\.db yet/);
      assert.equal(r.stdout, '');
    } finally {
      empty.cleanup();
    }
  });
});

describe('pieces', () => {
  test('parseArgs: flags with = or a separate value, repeatable --profile', () => {
    const a = parseArgs(['weekly', '--profile=a', '--profile', 'b', '--since=20250101', '--order', 'desc', '--breakdown']);
    assert.deepEqual([a.view, a.profiles, a.since, a.order, a.breakdown], ['weekly', ['a', 'b'], '2025-01-01', 'desc', true]);
    assert.throws(
      () => parseArgs(['daily', 'weekly']),
      (e: Error) => e instanceof UsageError && /unexpected argument "weekly"/.test(e.message),
    );
    assert.throws(() => parseArgs(['--json=yes']), /--json takes no value/);
    assert.throws(() => parseArgs(['--since', '2024-02-30']), /not a date/);
    assert.equal(parseArgs(['--since', '2024-02-29']).since, '2024-02-29');
  });

  test('tables cut shrinkable columns, then lines, to the width', () => {
    const t = {
      columns: [
        { header: 'Name', shrink: true },
        { header: 'N', align: 'right' as const },
      ],
      rows: [{ cells: ['a-very-long-project-name-indeed', '1,234'] }],
    };
    const lines = renderTable(t, { width: 20, color: false });
    assert.ok(
      lines.every((l) => visibleLength(l) <= 20),
      lines.join('\n'),
    );
    assert.match(lines[2]!, /^a-very-long-… {2}1,234$/);
    assert.ok(renderTable(t, { width: 5, color: false }).every((l) => visibleLength(l) <= 5));
  });

  test('progress line: only on a terminal, only after a second, erased at the end', () => {
    let now = 0;
    const out: string[] = [];
    const tty = progressLine('ccx-report', { isTTY: true, write: (s: string) => out.push(s) }, () => now);
    tty.update('1/10 files');
    assert.deepEqual(out, [], 'not before 1 s');
    now = 1001;
    tty.update('2/10 files');
    assert.equal(out[0], '\r\x1b[Kccx-report: 2/10 files');
    tty.done();
    assert.equal(out.at(-1), '\r\x1b[K');
    const piped: string[] = [];
    const p = progressLine('ccx-report', { isTTY: false, write: (s: string) => piped.push(s) }, () => now);
    now = 5000;
    p.update('1/1 files');
    p.done();
    assert.deepEqual(piped, []);
  });
});

test('an old schema held by a live consolidator of an older ccx: the message says to stop it first', async () => {
  const sb = reportSandbox();
  const old = spawn('sleep', ['60'], { stdio: 'ignore' });
  try {
    assert.equal((await cli(sb, ['daily', '--json'])).code, 0, 'migrated and consolidated');
    const db = new Database(join(sb.home, 'state.db'));
    db.pragma('user_version = 10');
    db.close();
    const plain = await cli(sb, ['daily', '--no-consolidate']);
    assert.equal(plain.code, 1);
    assert.match(plain.stderr, /old schema \(version 10\): run ccx-report without --no-consolidate to migrate it/);

    mkdirSync(join(sb.home, 'consolidator.lock'));
    const rec = { pid: old.pid, started_at: Date.now(), proc_start: procStart(old.pid!) };
    writeFileSync(join(sb.home, 'consolidator.pid'), JSON.stringify(rec));
    const held = await cli(sb, ['daily', '--no-consolidate']);
    assert.equal(held.code, 1);
    assert.match(held.stderr, new RegExp(`a consolidator of an older ccx holds it: kill ${old.pid} && ccx-report migrates it`));
  } finally {
    old.kill();
    sb.cleanup();
  }
});
