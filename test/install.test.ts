// install.sh run for real: in a temp HOME, from a copy of the built checkout, with a fake npm.
import assert from 'node:assert/strict';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { readConfig } from '../lib/profiles/config';
import { query, ROOT, type Sandbox, sandboxPool } from './helpers/ccx';
import { ccx, checkout, installSh, runProcess } from './helpers/cli';

const box = sandboxPool();

/** A user's settings.json with hooks of their own and no ccx entries. */
const USER_SETTINGS = `{
  "model": "opus",
  "hooks": {
    "Stop": [ { "hooks": [ { "type": "command", "command": "echo mine" } ] } ]
  },
  "permissions": { "allow": ["Bash(ls:*)"] }
}
`;

function withSettings(sb: Sandbox, text: string): string {
  mkdirSync(sb.configDir, { recursive: true });
  const file = join(sb.configDir, 'settings.json');
  writeFileSync(file, text, { mode: 0o644 });
  return file;
}

const npmCalls = (log: string): string[] => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);

test('install.sh: installs into the default profile, a re-run changes nothing, --uninstall restores the bytes', async () => {
  const sb = box();
  const co = checkout(sb.root);
  const file = withSettings(sb, USER_SETTINGS);
  cpSync(join(ROOT, 'test/fixtures/transcripts/basic/projects'), join(sb.configDir, 'projects'), { recursive: true });

  const first = await installSh(co, sb, ['--no-report']);
  assert.equal(first.code, 0, first.stderr);
  assert.deepEqual(npmCalls(co.npmLog), ['ci --no-audit --no-fund', 'run build --silent']);
  const installed = readFileSync(file, 'utf8');
  const doc = JSON.parse(installed);
  assert.equal(doc.model, 'opus');
  assert.ok(
    doc.hooks.Stop.some((g: { hooks: { command: string }[] }) => g.hooks[0]!.command === 'echo mine'),
    'user hook kept',
  );
  assert.match(doc.statusLine.command, new RegExp(`^${process.execPath} ${co.dist}/ccx.js statusline --profile default$`));
  const status = await ccx(sb, ['hooks', 'status', '--json'], {}, join(co.dist, 'ccx-cli.js'));
  assert.equal(JSON.parse(status.stdout)[0].state, 'installed');
  // The first consolidation read the transcripts that were already there.
  assert.ok(query<{ n: number }>(sb, 'SELECT COUNT(*) AS n FROM usage')[0]!.n > 0);
  assert.match(first.stdout, /consolidated \d+ transcript files/);

  const mtime = statSync(file).mtimeMs;
  const second = await installSh(co, sb, ['--no-report']);
  assert.equal(second.code, 0, second.stderr);
  assert.equal(readFileSync(file, 'utf8'), installed);
  assert.equal(statSync(file).mtimeMs, mtime);
  assert.deepEqual(npmCalls(co.npmLog).slice(2), ['run build --silent'], 'npm ci skipped when the lock file is unchanged');
  assert.match(second.stdout, /hooks already installed/);
  assert.match(second.stdout, /^nothing new to consolidate$/m, 'a re-run does not claim "consolidated N files (0 B)"');

  const backups = readdirSync(sb.configDir).filter((n) => n.includes('ccx-backup'));
  assert.equal(backups.length, 1, 'hooks and status line edits leave one backup');
  assert.equal(readFileSync(join(sb.configDir, backups[0]!), 'utf8'), USER_SETTINGS, 'the backup is the original');

  const un = await installSh(co, sb, ['--uninstall']);
  assert.equal(un.code, 0, un.stderr);
  assert.equal(readFileSync(file, 'utf8'), USER_SETTINGS);
  assert.ok(existsSync(join(sb.home, 'state.db')), 'data kept');
  assert.deepEqual(
    readdirSync(sb.configDir).filter((n) => n.includes('ccx-backup')),
    backups,
  );
});

test('a settings.json ccx created is never backed up: profile add, then install.sh offering the status line', async () => {
  const sb = box();
  const co = checkout(sb.root);
  const dir = join(sb.root, 'claude-work');
  const add = await ccx(
    sb,
    ['profile', 'add', 'work', '--config-dir', dir, '--create', '--no-statusline'],
    {},
    join(co.dist, 'ccx-cli.js'),
  );
  assert.equal(add.code, 0, add.stderr);
  assert.equal(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')).statusLine, undefined);
  const r = await installSh(co, sb, ['--no-report']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /work: status line added/);
  assert.deepEqual(readdirSync(dir), ['settings.json']);
});

const binOf = (sb: Sandbox) => join(sb.root, '.local', 'bin');
const linkOf = (dir: string, name: string) => resolve(dir, readlinkSync(join(dir, name)));
/** The command the closing message gives after `label` (up to the `;` or the line's end). */
const printed = (stdout: string, label: string): string => {
  const m = new RegExp(`${label} (.+?)(;|$)`, 'm').exec(stdout);
  assert.ok(m, `no "${label}" in:\n${stdout}`);
  return m[1]!;
};

test('install.sh links ccx and ccx-report into ~/.local/bin, says how to reach them, and --uninstall unlinks', async () => {
  const sb = box();
  const co = checkout(sb.root);
  const bin = binOf(sb);
  const bash = { SHELL: '/bin/bash' };
  const first = await installSh(co, sb, ['--no-report', '--no-statusline'], bash);
  assert.equal(first.code, 0, first.stderr);
  for (const name of ['ccx', 'ccx-report']) {
    assert.ok(lstatSync(join(bin, name)).isSymbolicLink(), name);
    assert.equal(linkOf(bin, name), join(co.dist, `${name}.js`));
  }
  // Not on PATH: the one line to add, and commands spelt so that they work as printed.
  assert.match(first.stdout, /add this line to ~\/\.bashrc and open a new shell: export PATH="\$HOME\/\.local\/bin:\$PATH"$/m);
  const doctor = printed(first.stdout, 'Check it any time with:');
  assert.equal(doctor, `${join(bin, 'ccx')} doctor`);
  const help = await runProcess('bash', ['-c', printed(first.stdout, 'reports:')], sb.env);
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /ccx-report/);
  const fish = await installSh(co, sb, ['--no-report', '--no-statusline'], { SHELL: '/usr/bin/fish' });
  assert.match(fish.stdout, /run once: fish_add_path ~\/\.local\/bin$/m);

  // On PATH: runnable by name, no hint; the re-run changes no link.
  const onPath = { ...bash, PATH: `${bin}:${co.bin}:${sb.env.PATH}` };
  for (const name of ['ccx', 'ccx-report']) {
    const r = await runProcess(name, ['--help'], { ...sb.env, ...onPath });
    assert.equal(r.code, 0, `${name}: ${r.stderr}`);
    assert.match(r.stdout, /usage/i, name);
  }
  const again = await installSh(co, sb, ['--no-report', '--no-statusline'], onPath);
  assert.equal(again.code, 0, again.stderr);
  assert.doesNotMatch(again.stdout, /PATH|linked/);
  assert.equal(printed(again.stdout, 'Check it any time with:'), 'ccx doctor');
  const byName = await runProcess('bash', ['-c', printed(again.stdout, 'Check it any time with:')], { ...sb.env, ...onPath });
  assert.ok(byName.code === 0 || byName.code === 1, `ccx doctor ran (${byName.code}): ${byName.stderr}`);
  assert.notEqual(byName.stdout, '');

  const un = await installSh(co, sb, ['--uninstall']);
  assert.equal(un.code, 0, un.stderr);
  assert.deepEqual(readdirSync(bin), []);
});

test('install.sh honours $XDG_BIN_HOME', async () => {
  const sb = box();
  const co = checkout(sb.root);
  const xdg = join(sb.root, 'my bin');
  const r = await installSh(co, sb, ['--no-report', '--no-statusline'], { SHELL: '/bin/zsh', XDG_BIN_HOME: xdg });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(linkOf(xdg, 'ccx'), join(co.dist, 'ccx.js'));
  assert.equal(existsSync(binOf(sb)), false);
  const hint = /add this line to ~\/\.zshrc and open a new shell: (.+)$/m.exec(r.stdout)?.[1];
  assert.equal(hint, `export PATH='${xdg}':"$PATH"`);
  // The printed line really puts the dir on PATH.
  const found = await runProcess('bash', ['-c', `${hint}; command -v ccx`], sb.env);
  assert.equal(found.stdout.trim(), join(xdg, 'ccx'));
  assert.equal((await installSh(co, sb, ['--uninstall'], { XDG_BIN_HOME: xdg })).code, 0);
  assert.deepEqual(readdirSync(xdg), []);
});

test("install.sh leaves a file that is not ccx's link at the link path; repoints another checkout's link", async () => {
  const sb = box();
  const co = checkout(sb.root);
  const bin = binOf(sb);
  mkdirSync(bin, { recursive: true });
  const mine = '#!/bin/sh\necho my own ccx\n';
  writeFileSync(join(bin, 'ccx'), mine, { mode: 0o755 });
  symlinkSync(join(sb.root, 'old-checkout', 'dist', 'ccx-report.js'), join(bin, 'ccx-report'));
  const r = await installSh(co, sb, ['--no-report', '--no-statusline']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`ccx: ${join(bin, 'ccx')} is not ccx's link; left as it is`));
  assert.equal(readFileSync(join(bin, 'ccx'), 'utf8'), mine);
  assert.equal(linkOf(bin, 'ccx-report'), join(co.dist, 'ccx-report.js'));
  // ccx could not be linked: the closing message runs it through node, which works as printed.
  const doctor = printed(r.stdout, 'Check it any time with:');
  assert.equal(doctor, `${process.execPath} ${join(co.dist, 'ccx.js')} doctor`);

  const un = await installSh(co, sb, ['--uninstall']);
  assert.equal(un.code, 0, un.stderr);
  assert.deepEqual(readdirSync(bin), ['ccx']);
  assert.equal(readFileSync(join(bin, 'ccx'), 'utf8'), mine);
});

test('install.sh from a moved checkout leaves no path of the old one behind', async () => {
  const sb = box();
  const file = withSettings(sb, USER_SETTINGS);
  const old = checkout(join(sb.root, 'old'));
  const moved = checkout(join(sb.root, 'new'));
  assert.equal((await installSh(old, sb, ['--no-report'])).code, 0);
  assert.ok(readFileSync(file, 'utf8').includes(old.dist));
  const r = await installSh(moved, sb, ['--no-report']);
  assert.equal(r.code, 0, r.stderr);
  const text = readFileSync(file, 'utf8');
  assert.ok(!text.includes(old.dist), text);
  const { hooks, statusLine } = JSON.parse(text) as {
    hooks: Record<string, { hooks: { command: string }[] }[]>;
    statusLine: { command: string };
  };
  const commands = [...Object.values(hooks).flatMap((groups) => groups.flatMap((g) => g.hooks.map((h) => h.command))), statusLine.command];
  assert.equal(commands.filter((c) => c.includes(moved.dist)).length, 11, '10 hooks and the status line point at the new checkout');
  assert.equal((await installSh(moved, sb, ['--uninstall'])).code, 0);
  assert.equal(readFileSync(file, 'utf8'), USER_SETTINGS);
});

test('install.sh --profile registers that profile and installs there only; re-running rewrites nothing', async () => {
  const sb = box();
  const co = checkout(sb.root);
  const dflt = withSettings(sb, USER_SETTINGS);
  const workDir = join(sb.root, 'claude-work');
  const args = ['--profile', 'work', '--config-dir', workDir, '--plan-tier', 'max5', '--no-report', '--no-statusline'];
  const r = await installSh(co, sb, args);
  assert.equal(r.code, 0, r.stderr);
  const [work] = readConfig(join(sb.home, 'config.toml')).profiles;
  assert.deepEqual([work?.name, work?.config_dir, work?.plan_tier], ['work', workDir, 'max5']);
  const workSettings = JSON.parse(readFileSync(join(workDir, 'settings.json'), 'utf8'));
  assert.match(workSettings.hooks.StopFailure[0].hooks[0].command, /--profile work$/);
  assert.equal(workSettings.statusLine, undefined, '--no-statusline');
  assert.equal(readFileSync(dflt, 'utf8'), USER_SETTINGS, 'the default profile is not touched');
  assert.equal(statSync(join(sb.home, 'config.toml')).mode & 0o777, 0o600);
  assert.equal(statSync(sb.home).mode & 0o777, 0o700);

  const times = [join(sb.home, 'config.toml'), join(workDir, 'settings.json')].map((f) => statSync(f).mtimeMs);
  assert.equal((await installSh(co, sb, args)).code, 0);
  assert.deepEqual(
    [join(sb.home, 'config.toml'), join(workDir, 'settings.json')].map((f) => statSync(f).mtimeMs),
    times,
  );
});

test('install.sh keeps going when the report cannot run, and exits 0', async () => {
  const sb = box();
  const co = checkout(sb.root);
  writeFileSync(join(co.dist, 'ccx-report.js'), "process.stderr.write('ccx-report: not built yet\\n'); process.exit(1);\n");
  const r = await installSh(co, sb, []);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /note: no summary report \(ccx-report exited 1: ccx-report: not built yet\)/);
  assert.match(r.stdout, /ccx is recording/);
});

test('install.sh on a machine with nothing recorded yet: no all-zero report, it says the hooks are in place and waiting', async () => {
  const sb = box();
  const co = checkout(sb.root);
  const r = await installSh(co, sb, ['--no-statusline']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    /^ccx-report: no usage found, and no hook event yet: ccx's hooks are installed in default, and no session has run/m,
  );
  assert.doesNotMatch(r.stdout, /Total/);
});

test('install.sh refuses a settings.json that is not JSON, leaves it as it was, exits 1', async () => {
  const sb = box();
  const co = checkout(sb.root);
  const broken = '{ "model": "opus", }\n';
  const file = withSettings(sb, broken);
  const r = await installSh(co, sb, ['--no-report']);
  assert.equal(r.code, 1);
  assert.ok(r.stderr.includes(file), r.stderr);
  assert.equal(readFileSync(file, 'utf8'), broken);
});

test('install.sh: clear messages for an old node, a missing npm and a wrong option', async () => {
  const sb = box();
  const co = checkout(sb.root);
  const fake = join(sb.root, 'old-node');
  mkdirSync(fake);
  writeFileSync(join(fake, 'node'), '#!/bin/sh\ncase "$1" in -p) echo 18;; --version) echo v18.19.0;; esac\n', { mode: 0o755 });
  const old = await installSh(co, sb, [], { PATH: `${fake}:${co.bin}:${sb.env.PATH}` });
  assert.equal(old.code, 1);
  assert.match(old.stderr, /^install\.sh: node v18\.19\.0 is too old: ccx needs Node\.js 20 or newer/);
  assert.equal(old.stdout, '');

  // Only node and the few tools install.sh uses: no npm anywhere on PATH.
  const bare = join(sb.root, 'bare');
  mkdirSync(bare);
  for (const tool of ['node', 'dirname', 'cat', 'cksum', 'mkdir'])
    symlinkSync(tool === 'node' ? process.execPath : `/usr/bin/${tool}`, join(bare, tool));
  const noNpm = await runProcess('/bin/bash', [join(co.dir, 'install.sh')], { ...sb.env, PATH: bare });
  assert.equal(noNpm.code, 1);
  assert.match(noNpm.stderr, /^install\.sh: npm is not on PATH/);

  const bad = await installSh(co, sb, ['--frobnicate']);
  assert.equal(bad.code, 2);
  assert.equal(bad.stdout, '');
  assert.match(bad.stderr, /unknown option --frobnicate/);
  assert.equal(existsSync(co.npmLog), false, 'nothing ran');
});
