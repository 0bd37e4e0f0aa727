// The file layer on real files in temp dirs: backup once, atomic replace keeping mode, refusals
// that leave the file alone; and the installed commands actually run under sh.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { HOOK_EVENTS } from '../lib/contracts/hook-input';
import { SettingsError } from '../lib/settings/errors';
import { hooksStatus, installHooks, offerStatusLine, uninstallHooks } from '../lib/settings/file';
import { registrationOf } from '../lib/settings/registration';
import { desiredSettings, type InstallContext } from '../lib/settings/snippet';

const NOW = new Date('2025-03-04T05:06:07.890Z');
const opts = { now: () => NOW };
const STAMP = '20250304T050607Z';

function setup(content?: string, mode = 0o644) {
  const dir = mkdtempSync(join(tmpdir(), 'ccx-settings-'));
  const file = join(dir, 'settings.json');
  if (content !== undefined) {
    writeFileSync(file, content);
    chmodSync(file, mode);
  }
  const ctx: InstallContext = {
    node: process.execPath,
    distDir: join(dir, 'checkout', 'dist'),
    profile: 'work',
    enforce: false,
    asyncHooks: true,
  };
  return { dir, file, ctx };
}
const USER = '{\n    "model": "opus",\n    "hooks": {\n        "Stop": [{"hooks": [{"type": "command", "command": "say hi"}]}]\n    }\n}\n';
const leftovers = (dir: string) => readdirSync(dir).filter((n) => n.includes('.ccx-tmp-'));

test('install backs up once, keeps the mode, and uninstall restores the bytes', () => {
  const { dir, file, ctx } = setup(USER, 0o640);
  const first = installHooks(file, ctx, opts);
  assert.equal(first.changed, true);
  assert.equal(first.backup, join(dir, `settings.json.ccx-backup-${STAMP}`));
  assert.equal(readFileSync(first.backup!, 'utf8'), USER);
  assert.equal(statSync(first.backup!).mode & 0o777, 0o640);
  assert.equal(statSync(file).mode & 0o777, 0o640);
  assert.equal(hooksStatus(file, ctx).state, 'installed');

  // Unchanged: not even rewritten (same inode, same bytes).
  const ino = statSync(file).ino;
  const again = installHooks(file, ctx, { now: () => new Date(NOW.getTime() + 60_000) });
  assert.deepEqual([again.changed, again.backup, statSync(file).ino], [false, null, ino]);

  // A later change (a moved checkout) writes no second backup.
  const moved = installHooks(file, { ...ctx, distDir: join(dir, 'v2', 'dist') }, { now: () => new Date(NOW.getTime() + 120_000) });
  assert.deepEqual([moved.changed, moved.backup], [true, null]);
  assert.equal(readdirSync(dir).filter((n) => n.includes('ccx-backup')).length, 1);

  const removed = uninstallHooks(file, opts);
  assert.equal(removed.changed, true);
  assert.equal(readFileSync(file, 'utf8'), USER);
  assert.equal(statSync(file).mode & 0o777, 0o640);
  assert.deepEqual(leftovers(dir), []);
  assert.equal(hooksStatus(file, ctx).state, 'missing');
});

test('a missing settings.json (and config dir) is created 0600; uninstall of a missing file does nothing', () => {
  const { dir, ctx } = setup();
  const file = join(dir, 'new-profile', 'settings.json');
  assert.equal(uninstallHooks(file, opts).changed, false);
  assert.equal(existsSync(file), false);
  const r = installHooks(file, ctx, opts);
  assert.deepEqual([r.changed, r.backup], [true, null]);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(hooksStatus(file, ctx).state, 'installed');
  // Every later edit of ccx's own file (another command, another process) backs up nothing:
  // there is no original of the user's to keep.
  const s = offerStatusLine(file, ctx, opts);
  assert.deepEqual([s.changed, s.backup], [true, null]);
  const moved = installHooks(file, { ...ctx, distDir: join(dir, 'v2', 'dist') }, opts);
  assert.deepEqual([moved.changed, moved.backup], [true, null]);
  assert.equal(uninstallHooks(file, opts).backup, null);
  assert.deepEqual(readdirSync(join(dir, 'new-profile')), ['settings.json']);
});

test("a user's file gets exactly one backup, of its original bytes, whichever edit comes first", () => {
  for (const first of ['hooks', 'statusLine'] as const) {
    const { dir, file, ctx } = setup(USER);
    const later = (ms: number) => ({ now: () => new Date(NOW.getTime() + ms) });
    const a = first === 'hooks' ? installHooks(file, ctx, opts) : offerStatusLine(file, ctx, opts);
    const b = first === 'hooks' ? offerStatusLine(file, ctx, later(1000)) : installHooks(file, ctx, later(1000));
    assert.deepEqual([a.changed, b.changed, b.backup], [true, true, null], first);
    uninstallHooks(file, later(2000));
    installHooks(file, ctx, later(3000));
    const backups = readdirSync(dir).filter((n) => n.includes('ccx-backup'));
    assert.deepEqual(backups, [`settings.json.ccx-backup-${STAMP}`], first);
    assert.equal(readFileSync(join(dir, backups[0]!), 'utf8'), USER, first);
  }
});

test('invalid JSON, a non-object hooks, and a read-only file are left untouched with a clear error', () => {
  for (const [content, mode, message] of [
    ['{"model": "opus",}', 0o644, /settings\.json: not valid JSON at line 1, column 18: unexpected "\}"; left unchanged/],
    ['{"hooks": [1, 2]}\n', 0o644, /"hooks" is not an object; left unchanged/],
    [USER, 0o444, /read-only \(mode 444\); left unchanged/],
  ] as const) {
    const { dir, file, ctx } = setup(content, mode);
    const before = statSync(file);
    for (const run of [() => installHooks(file, ctx, opts), () => offerStatusLine(file, ctx, opts)]) {
      assert.throws(run, (e: unknown) => e instanceof SettingsError && message.test(e.message) && e.message.includes(file));
    }
    if (content !== USER) assert.throws(() => uninstallHooks(file, opts), SettingsError);
    assert.equal(readFileSync(file, 'utf8'), content);
    assert.deepEqual([statSync(file).ino, statSync(file).mtimeMs, statSync(file).mode], [before.ino, before.mtimeMs, before.mode]);
    assert.deepEqual(readdirSync(dir), ['settings.json']);
  }
  const { file, ctx } = setup('nope');
  assert.equal(hooksStatus(file, ctx).state, 'invalid');
});

test('a symlinked settings.json is edited through the link, which stays a link', () => {
  const { dir, file, ctx } = setup();
  mkdirSync(join(dir, 'dotfiles'));
  const real = join(dir, 'dotfiles', 'settings.json');
  writeFileSync(real, USER);
  symlinkSync(real, file);
  installHooks(file, ctx, opts);
  assert.ok(lstatSync(file).isSymbolicLink());
  assert.equal(hooksStatus(real, ctx).state, 'installed');
  uninstallHooks(file, opts);
  assert.equal(readFileSync(real, 'utf8'), USER);
});

test('offerStatusLine adds one only when absent', () => {
  const { file, ctx } = setup('{\n  "statusLine": {"type": "command", "command": "mine"}\n}\n');
  const kept = offerStatusLine(file, ctx, opts);
  assert.deepEqual([kept.changed, kept.outcome], [false, 'user']);
  const other = setup('{}\n');
  const added = offerStatusLine(other.file, other.ctx, opts);
  assert.deepEqual([added.changed, added.outcome], [true, 'added']);
  assert.deepEqual(JSON.parse(readFileSync(other.file, 'utf8')).statusLine, desiredSettings(other.ctx).statusLine);
});

test('installed commands run under sh with awkward paths, reaching the right script and profile', () => {
  const { dir, file } = setup();
  // Node itself is reached through a link in the awkward dir, so its path needs quoting too.
  const odd = join(dir, `it's a "ccx" $HOME \`x\` \\ dir`);
  const dist = join(odd, 'dist');
  mkdirSync(join(dist, 'hooks'), { recursive: true });
  const node = join(odd, 'no de');
  symlinkSync(process.execPath, node);
  const echoArgs = 'process.stdout.write(JSON.stringify([__filename, ...process.argv.slice(2)]))';
  for (const kebab of Object.values(HOOK_EVENTS)) writeFileSync(join(dist, 'hooks', `${kebab}.js`), echoArgs);
  writeFileSync(join(dist, 'ccx.js'), echoArgs);
  const ctx: InstallContext = { node, distDir: dist, profile: 'work-2', enforce: false, asyncHooks: true };
  installHooks(file, ctx, opts);
  offerStatusLine(file, ctx, opts);

  const settings = JSON.parse(readFileSync(file, 'utf8'));
  const env = { PATH: process.env.PATH, HOME: dir };
  for (const [event, kebab] of Object.entries(HOOK_EVENTS)) {
    const command: string = settings.hooks[event][0].hooks[0].command;
    const run = spawnSync('/bin/sh', ['-c', command], { env, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    // No quiet flag under this HOME: a guarded command runs the hook in the foreground.
    const background = registrationOf(event, ctx) === 'async' ? ['--async'] : [];
    assert.deepEqual(JSON.parse(run.stdout), [join(dist, 'hooks', `${kebab}.js`), '--profile', 'work-2', ...background]);
  }
  const line = spawnSync('/bin/sh', ['-c', settings.statusLine.command], { env, encoding: 'utf8' });
  assert.deepEqual(JSON.parse(line.stdout), [join(dist, 'ccx.js'), 'statusline', '--profile', 'work-2']);
});
