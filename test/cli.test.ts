// The ccx CLI as a real process: profile registry, hooks, use/init, status, help and errors.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readConfig } from '../lib/profiles/config';
import { profileTables } from '../lib/profiles/purge';
import { openDb } from '../lib/store/open';
import { consolidateOnce, DIST, type Sandbox, sandboxPool } from './helpers/ccx';
import { CLI, ccx, runProcess } from './helpers/cli';
import { assistantLine } from './helpers/transcript-fixtures';

const box = sandboxPool();

const configOf = (sb: Sandbox) => readConfig(join(sb.home, 'config.toml'));

/** A failure: one line on stderr, nothing on stdout, the given exit code. */
function assertFails(r: { code: number | null; stdout: string; stderr: string }, code: number, re: RegExp): void {
  assert.equal(r.code, code, r.stderr);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, re);
}

test('profile add: writes config.toml (0600 in a 0700 home) and installs the hooks', async () => {
  const sb = box();
  const dir = join(sb.root, 'work');
  const typo = await ccx(sb, ['profile', 'add', 'work', '--config-dir', dir]);
  assertFails(typo, 1, /work does not exist; check the path, or add --create to make it/);
  assert.equal(existsSync(dir), false, 'a missing dir is not created without --create');
  assert.equal(existsSync(join(sb.home, 'config.toml')), false, 'nor registered');
  // A relative DIR is the current directory's, and is shown resolved.
  const r = spawnSync(
    process.execPath,
    [
      CLI,
      'profile',
      'add',
      'work',
      '--config-dir',
      'work',
      '--create',
      '--plan-tier',
      'max20',
      '--label',
      'Work "A"',
      '--caps-5h-turns',
      '300',
    ],
    { cwd: sb.root, env: sb.env, encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^added profile work \\(${dir}, plan max20\\)`));
  assert.equal(statSync(dir).mode & 0o777, 0o700, '--create made it, private');
  const [p] = configOf(sb).profiles;
  assert.deepEqual([p?.name, p?.config_dir, p?.plan_tier, p?.label, p?.caps_5h_turns], ['work', dir, 'max20', 'Work "A"', 300]);
  assert.equal(statSync(join(sb.home, 'config.toml')).mode & 0o777, 0o600);
  assert.equal(statSync(sb.home).mode & 0o777, 0o700);
  const settings = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'));
  assert.equal(settings.hooks.StopFailure[0].hooks[0].command, `${process.execPath} ${DIST}/hooks/stop-failure.js --profile work`);
  assert.ok(settings.hooks.Stop[0].hooks[0].command.includes(`|| exec ${process.execPath} ${DIST}/hooks/stop.js --profile work ;`));
  assert.match(settings.statusLine.command, /ccx\.js statusline --profile work$/);
  assert.deepEqual(readdirSync(dir), ['settings.json'], 'no backup of the settings.json ccx itself created');
});

test('profile add: validation of name, values, duplicates and shared config dirs', async () => {
  const sb = box();
  const dir = join(sb.root, 'work');
  mkdirSync(dir);
  assertFails(await ccx(sb, ['profile', 'add', '--create', 'has space', '--config-dir', dir]), 2, /invalid profile name "has space"/);
  assertFails(await ccx(sb, ['profile', 'add', '--create', 'work']), 2, /missing --config-dir/);
  assertFails(
    await ccx(sb, ['profile', 'add', '--create', 'work', '--config-dir', dir, '--plan-tier', 'max10']),
    2,
    /--plan-tier "max10": expected one of pro, max5, max20, api/,
  );
  assertFails(
    await ccx(sb, ['profile', 'add', '--create', 'work', '--config-dir', dir, '--weekly-anchor', 'someday']),
    2,
    /--weekly-anchor "someday": expected one of rolling, sunday/,
  );
  assertFails(
    await ccx(sb, ['profile', 'add', '--create', 'work', '--config-dir', dir, '--caps-5h-turns=-5']),
    2,
    /invalid value: profiles\.work\.caps_5h_turns/,
  );
  assertFails(
    await ccx(sb, ['profile', 'add', '--create', 'work', '--config-dir', dir, '--caps-5h-turns', '-5']),
    2,
    /invalid value: profiles\.work\.caps_5h_turns/,
  );
  // lib/cli-kit's own lines, never node:util parseArgs' ("To specify a positional argument …").
  assertFails(
    await ccx(sb, ['profile', 'add', '--create', 'work', '--config-dir', '--no-hooks']),
    2,
    /^ccx: --config-dir needs a value \(got the flag --no-hooks; write --config-dir=VALUE for a value starting with "-"\) \(see --help\)$/m,
  );
  assertFails(
    await ccx(sb, ['profile', 'add', '--create', 'work', '--config-dir', dir, '--colour', 'red']),
    2,
    /^ccx: unknown flag --colour \(see --help\)$/m,
  );
  assert.equal(existsSync(join(sb.home, 'config.toml')), false, 'nothing written by a refused add');

  assert.equal((await ccx(sb, ['profile', 'add', '--create', 'work', '--config-dir', dir, '--no-hooks'])).code, 0);
  assert.equal(existsSync(join(dir, 'settings.json')), false, '--no-hooks');
  assertFails(
    await ccx(sb, ['profile', 'add', '--create', 'work', '--config-dir', join(sb.root, 'x')]),
    1,
    /profile "work" already exists/,
  );
  assertFails(
    await ccx(sb, ['profile', 'add', '--create', 'work2', '--config-dir', `${dir}/../work`]),
    1,
    new RegExp(`${dir} is already the config dir of profile "work"`),
  );
  assert.deepEqual(
    configOf(sb).profiles.map((p) => p.name),
    ['work'],
  );
});

test('profile set changes, removes and validates keys; a new config dir takes the hooks along', async () => {
  const sb = box();
  const a = join(sb.root, 'a');
  const b = join(sb.root, 'b');
  assert.equal((await ccx(sb, ['profile', 'add', '--create', 'work', '--config-dir', a, '--label', 'W'])).code, 0);
  const r = await ccx(sb, [
    'profile',
    'set',
    'work',
    '--plan-tier',
    'max5',
    '--label',
    '',
    '--enforce',
    'true',
    '--monthly-usd-budget',
    '12.5',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const [p] = configOf(sb).profiles;
  assert.deepEqual([p?.plan_tier, p?.label, p?.enforce, p?.monthly_usd_budget], ['max5', undefined, true, 12.5]);

  const mtime = statSync(join(sb.home, 'config.toml')).mtimeMs;
  assert.match((await ccx(sb, ['profile', 'set', 'work', '--plan-tier', 'max5'])).stdout, /already had those values/);
  assert.equal(statSync(join(sb.home, 'config.toml')).mtimeMs, mtime);

  assertFails(await ccx(sb, ['profile', 'set', 'work']), 2, /nothing to set/);
  assertFails(await ccx(sb, ['profile', 'set', 'work', '--enforce', 'yes']), 2, /--enforce "yes": expected true or false/);
  assertFails(await ccx(sb, ['profile', 'set', 'nope', '--plan-tier', 'pro']), 1, /no profile "nope"/);

  assert.equal((await ccx(sb, ['profile', 'set', 'work', '--config-dir', b, '--create'])).code, 0);
  assert.equal(configOf(sb).profiles[0]?.config_dir, b);
  assert.equal(readFileSync(join(a, 'settings.json'), 'utf8').includes('dist/hooks'), false, 'hooks left the old dir');
  assert.ok(readFileSync(join(b, 'settings.json'), 'utf8').includes(`${DIST}/hooks/stop.js`));
});

test("profile rm keeps history; --purge deletes only that profile's rows", async () => {
  const sb = box();
  const dir = join(sb.root, 'work');
  assert.equal((await ccx(sb, ['profile', 'add', '--create', 'work', '--config-dir', dir])).code, 0);
  const db = openDb(join(sb.home, 'state.db'));
  const seed = db.prepare(
    `INSERT INTO hook_events (event_id, profile, session_id, event, ts, payload) VALUES (?, ?, 's1', 'Stop', 1, '{}')`,
  );
  const usage = db.prepare(`INSERT INTO usage (profile, dedup_key, ts) VALUES (?, ?, 1)`);
  for (const [i, prof] of ['work', 'work', 'other'].entries()) {
    seed.run(`e${i}`, prof);
    usage.run(prof, `k${i}`);
  }
  db.close();
  const count = (prof: string) => {
    const d = openDb(join(sb.home, 'state.db'));
    try {
      return ['hook_events', 'usage'].map(
        (t) => (d.prepare(`SELECT COUNT(*) AS n FROM ${t} WHERE profile = ?`).get(prof) as { n: number }).n,
      );
    } finally {
      d.close();
    }
  };

  const rm = await ccx(sb, ['profile', 'rm', 'work']);
  assert.equal(rm.code, 0, rm.stderr);
  assert.deepEqual(configOf(sb).profiles, []);
  assert.equal(readFileSync(join(dir, 'settings.json'), 'utf8').includes('dist/hooks'), false, 'its hooks are removed');
  assert.deepEqual(count('work'), [2, 2], 'history kept without --purge');

  const purge = await ccx(sb, ['profile', 'rm', 'work', '--purge']);
  assert.equal(purge.code, 0, purge.stderr);
  assert.match(purge.stdout, /deleted 4 rows/);
  assert.deepEqual(count('work'), [0, 0]);
  assert.deepEqual(count('other'), [1, 1]);
  assertFails(await ccx(sb, ['profile', 'rm', 'work', '--purge']), 1, /no profile "work" and no history/);
});

test('profile rm --purge leaves no row of the profile in any table, the rollup included', async () => {
  const sb = box();
  for (const name of ['work', 'other']) {
    const dir = join(sb.root, name);
    assert.equal((await ccx(sb, ['profile', 'add', '--create', name, '--config-dir', dir, '--no-hooks'])).code, 0);
    mkdirSync(join(dir, 'projects', '-p'), { recursive: true });
    const ts = new Date(Date.now() - 3600_000).toISOString();
    writeFileSync(
      join(dir, 'projects', '-p', 's.jsonl'),
      assistantLine({ id: `m-${name}`, session: `s-${name}`, ts, input: 7, output: 3 }),
    );
  }
  consolidateOnce(sb);
  const rowsOf = (prof: string) => {
    const d = openDb(join(sb.home, 'state.db'), { readonly: true });
    try {
      return Object.fromEntries(
        profileTables(d).map((t) => [t, (d.prepare(`SELECT COUNT(*) AS n FROM ${t} WHERE profile = ?`).get(prof) as { n: number }).n]),
      );
    } finally {
      d.close();
    }
  };
  const before = rowsOf('work');
  for (const t of ['usage', 'usage_buckets', 'usage_days', 'scan_cursors']) assert.ok(before[t]! > 0, `work has ${t} rows to purge`);
  const otherBefore = rowsOf('other');

  const purge = await ccx(sb, ['profile', 'rm', 'work', '--purge']);
  assert.equal(purge.code, 0, purge.stderr);
  assert.ok(
    Object.values(rowsOf('work')).every((n) => n === 0),
    JSON.stringify(rowsOf('work')),
  );
  assert.deepEqual(rowsOf('other'), otherBefore);
  const daily = await runProcess(process.execPath, [join(DIST, 'ccx-report.js'), 'daily', '--json'], sb.env);
  assert.equal(daily.code, 0, daily.stderr);
  assert.equal(JSON.parse(daily.stdout).totals.inputTokens, 7, "only other's usage is left");
});

test("profile list: plan, today's cost from quota.json, active marker", async () => {
  const sb = box();
  for (const [name, tier] of [
    ['work', 'max5'],
    ['home', 'pro'],
  ]) {
    assert.equal(
      (await ccx(sb, ['profile', 'add', '--create', name!, '--config-dir', join(sb.root, name!), '--plan-tier', tier!, '--no-hooks'])).code,
      0,
    );
  }
  writeFileSync(
    join(sb.home, 'quota.json'),
    JSON.stringify({ v: 1, generated_at: 0, profiles: { work: { today: { usd: 3.456, tokens: 10 } } } }),
  );
  const byEnv = JSON.parse((await ccx(sb, ['profile', 'list', '--json'], { CCX_ACTIVE_PROFILE: 'home' })).stdout);
  assert.deepEqual(
    byEnv.map((r: { name: string; active: boolean; plan_tier: string; today_usd: number | null; registered: boolean }) => [
      r.name,
      r.active,
      r.plan_tier,
      r.today_usd,
      r.registered,
    ]),
    [
      ['work', false, 'max5', 3.456, true],
      ['home', true, 'pro', null, true],
    ],
    'no default: its dir was never used',
  );
  const text = await ccx(sb, ['profile', 'list'], { CLAUDE_CONFIG_DIR: join(sb.root, 'work') });
  assert.equal(text.code, 0);
  const workLine = text.stdout.split('\n').find((l) => l.includes(' work '));
  assert.match(workLine ?? '', /^\*\s+work\s+.*max5\s+\$3\.46$/);
});

test('hooks install/status/uninstall per profile, with invalid and disabled settings reported', async () => {
  const sb = box();
  const good = join(sb.root, 'good');
  const bad = join(sb.root, 'bad');
  const off = join(sb.root, 'off');
  for (const [name, dir] of [
    ['good', good],
    ['bad', bad],
    ['off', off],
  ]) {
    mkdirSync(dir!);
    assert.equal((await ccx(sb, ['profile', 'add', '--create', name!, '--config-dir', dir!, '--no-hooks'])).code, 0);
  }
  writeFileSync(join(bad, 'settings.json'), '{"hooks": [}');
  writeFileSync(join(off, 'settings.json'), '{"disableAllHooks": true}\n');

  const beforeRun = await ccx(sb, ['hooks', 'status', '--json']);
  assert.equal(beforeRun.code, 1, 'missing and invalid hooks fail, as in doctor');
  const before = JSON.parse(beforeRun.stdout);
  assert.deepEqual(
    before.map((s: { profile: string; state: string }) => [s.profile, s.state]),
    [
      ['good', 'missing'],
      ['bad', 'invalid'],
      ['off', 'disabled'],
    ],
  );

  const inst = await ccx(sb, ['hooks', 'install', '--no-statusline']);
  assert.equal(inst.code, 1, 'one profile could not be installed');
  assert.match(inst.stderr, new RegExp(`^ccx: bad: ${bad}/settings.json: .*left unchanged\\n$`));
  assert.match(inst.stdout, /off: note: "disableAllHooks": true/);
  assert.equal(readFileSync(join(bad, 'settings.json'), 'utf8'), '{"hooks": [}');

  const after = JSON.parse((await ccx(sb, ['hooks', 'status', '--json'])).stdout);
  assert.deepEqual(
    after.map((s: { state: string }) => s.state),
    ['installed', 'invalid', 'disabled'],
  );
  assert.match(after[2].fix, /remove "disableAllHooks"/);
  const text = await ccx(sb, ['hooks', 'status', '--profile', 'bad']);
  assert.equal(text.code, 1, 'an invalid settings.json fails');
  assert.equal((await ccx(sb, ['hooks', 'status', '--profile', 'off'])).code, 0, 'disabled is a warning, as in doctor');
  assert.match(
    text.stdout,
    /^bad\s+invalid\s+.*\n\s+fix: fix the JSON in .*bad\/settings\.json, then run: ccx hooks install --profile bad\n$/,
  );

  assert.equal((await ccx(sb, ['hooks', 'status', '--profile', 'good'])).code, 0, 'installed is ok');
  assert.equal((await ccx(sb, ['hooks', 'uninstall', '--profile', 'good'])).code, 0);
  assert.equal(JSON.parse((await ccx(sb, ['hooks', 'status', '--json', '--profile', 'good'])).stdout)[0].state, 'missing');
  assertFails(await ccx(sb, ['hooks', 'status', '--profile', 'nope']), 1, /no profile "nope" \(registered: good, bad, off\)/);
  assertFails(await ccx(sb, ['hooks', 'frob']), 2, /unknown hooks command "frob"/);
});

test('use prints code a real shell evaluates; init makes `ccx use` switch the shell', async () => {
  const sb = box();
  const dir = join(sb.root, "it's work");
  assert.equal((await ccx(sb, ['profile', 'add', '--create', 'work', '--config-dir', dir, '--no-hooks'])).code, 0);
  const use = await ccx(sb, ['use', 'work', '--shell', 'bash']);
  assert.equal(use.code, 0, use.stderr);
  const cli = join(DIST, 'ccx.js');
  const evaluated = await runProcess(
    'bash',
    ['-c', `eval "$("${process.execPath}" "${cli}" use work --shell bash)"; printf '%s|%s' "$CLAUDE_CONFIG_DIR" "$CCX_ACTIVE_PROFILE"`],
    sb.env,
  );
  assert.equal(evaluated.stdout, `${dir}|work`);
  const viaInit = await runProcess(
    'bash',
    ['-c', `eval "$("${process.execPath}" "${cli}" init bash)"; ccx use work; printf '%s' "$CLAUDE_CONFIG_DIR"`],
    sb.env,
  );
  assert.equal(viaInit.stdout, dir, viaInit.stderr);
  assertFails(await ccx(sb, ['use', 'nope']), 1, /no profile "nope"/);
  assertFails(await ccx(sb, ['use', 'work', '--shell', 'tcsh']), 2, /unknown shell "tcsh"/);
  assertFails(await ccx(sb, ['init']), 2, /missing the SHELL/);
});

test('status reports the backlog and the watched profiles', async () => {
  const sb = box();
  mkdirSync(sb.home, { recursive: true });
  writeFileSync(join(sb.home, 'inbox.jsonl'), '{"a":1}\n{"a":2}\n');
  writeFileSync(join(sb.home, 'inbox.123.456.jsonl'), '{"a":3}\n');
  const r = await ccx(sb, ['status', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.deepEqual(s.backlog, { files: 2, lines: 3, bytes: 24 });
  assert.equal(s.consolidator.alive, false);
  assert.deepEqual(s.profiles, [{ name: 'default', agent: 'claude', config_dir: sb.configDir }]);
  assert.match((await ccx(sb, ['status'])).stdout, /backlog\s+3 events \(24 B\) in 2 inbox file/);
});

test('ccx report is ccx-report: same output, same exit codes, each naming itself in its errors', async () => {
  const sb = box();
  const dir = join(sb.root, 'work');
  assert.equal((await ccx(sb, ['profile', 'add', 'work', '--config-dir', dir, '--create', '--no-hooks'])).code, 0);
  mkdirSync(join(dir, 'projects', '-p'), { recursive: true });
  const ts = new Date(Date.now() - 3600_000).toISOString();
  writeFileSync(join(dir, 'projects', '-p', 's.jsonl'), assistantLine({ id: 'm1', session: 's1', ts, input: 12, output: 5 }));
  const viaCcx = await ccx(sb, ['report', 'daily', '--json'], {}, join(DIST, 'ccx.js'));
  const direct = await runProcess(process.execPath, [join(DIST, 'ccx-report.js'), 'daily', '--json'], sb.env);
  assert.equal(viaCcx.code, 0, viaCcx.stderr);
  const strip = (out: string) => ({ ...JSON.parse(out), generatedAt: null });
  assert.deepEqual(strip(viaCcx.stdout), strip(direct.stdout));
  assert.equal(JSON.parse(viaCcx.stdout).totals.inputTokens, 12);
  const bad = await ccx(sb, ['report', '--frobnicate'], {}, join(DIST, 'ccx.js'));
  const badDirect = await runProcess(process.execPath, [join(DIST, 'ccx-report.js'), '--frobnicate'], sb.env);
  assert.deepEqual([bad.code, badDirect.code], [2, 2]);
  // Each names itself as it was typed.
  assert.equal(bad.stderr, badDirect.stderr.replace(/^ccx-report: /, 'ccx report: '));
  assert.match(bad.stderr, /^ccx report: unknown flag --frobnicate/);
});

test('help for every command, usage errors exit 2 with one line', async () => {
  const sb = box();
  for (const args of [
    ['--help'],
    ['profile', '--help'],
    ['profile', 'add', '--create', '--help'],
    ['hooks', 'status', '-h'],
    ['use', '--help'],
    ['init', '--help'],
    ['doctor', '--help'],
    ['status', '--help'],
    ['statusline', '--help'],
  ]) {
    const r = await ccx(sb, args);
    assert.equal(r.code, 0, args.join(' '));
    assert.match(r.stdout, new RegExp(`^usage: ccx ${args[0] === '--help' ? '<command>' : args[0]}`));
  }
  assert.match((await ccx(sb, ['--help'])).stdout, /statusline/);
  const viaDispatcher = await ccx(sb, ['statusline', '--help'], {}, join(DIST, 'ccx.js'));
  assert.equal(viaDispatcher.code, 0);
  assert.match(viaDispatcher.stdout, /^usage: ccx statusline/, 'dist/ccx.js hands --help to the CLI, not to the status line');
  const missing = await ccx(sb, []);
  assertFails(missing, 2, /missing a command/);
  // Every command --help lists is named, and only those.
  const listed = [...(await ccx(sb, ['--help'])).stdout.matchAll(/^ {2}([a-z]+) /gm)].map((m) => m[1]);
  assert.deepEqual(
    missing.stderr
      .match(/missing a command: ([a-z, ]+) \(/)![1]!
      .split(', ')
      .sort(),
    [...new Set(listed)].sort(),
  );
  assertFails(await ccx(sb, ['frob']), 2, /unknown command "frob"/);
  assertFails(await ccx(sb, ['status', 'extra']), 2, /unexpected argument "extra"/);
  mkdirSync(sb.home, { recursive: true });
  writeFileSync(join(sb.home, 'config.toml'), '[profiles.x]\nconfig_dir = 3\n');
  assertFails(await ccx(sb, ['profile', 'list']), 1, /config\.toml: profiles\.x\.config_dir/);
});
