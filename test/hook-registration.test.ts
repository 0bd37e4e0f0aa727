// How each event is registered (lib/settings/README.md), through real `ccx` processes on real
// settings.json files: a fresh install, the upgrade of an older ccx's all-sync registration in
// place, enforce switching PreToolUse, and the sync fallback for a Claude Code older than 2.1.19.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { HOOK_EVENTS } from '../lib/contracts/hook-input';
import { DIST, type Sandbox, sandboxPool } from './helpers/ccx';
import { ccx } from './helpers/cli';

const box = sandboxPool();

const ASYNC_EVENTS = ['SubagentStop', 'SessionEnd', 'PreCompact', 'PostCompact', 'Notification'];
const GUARDED_EVENTS = ['SessionStart', 'UserPromptSubmit', 'Stop'];

type Entry = { type: string; command: string; timeout?: number; async?: boolean };
type Groups = Record<string, { matcher?: string; hooks: Entry[] }[]>;

const settingsOf = (sb: Sandbox) => join(sb.configDir, 'settings.json');
const hooksOf = (sb: Sandbox): Groups => (JSON.parse(readFileSync(settingsOf(sb), 'utf8')) as { hooks: Groups }).hooks;
/** event -> 'async' | 'guarded' | 'sync' for ccx's entries, failing on more than one per event. */
function registration(sb: Sandbox): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [event, groups] of Object.entries(hooksOf(sb))) {
    const ccxEntries = groups.flatMap((g) => g.hooks).filter((h) => h.command.includes('/dist/hooks/'));
    if (ccxEntries.length === 0) continue;
    assert.equal(ccxEntries.length, 1, `${event}: one ccx entry`);
    const [e] = ccxEntries as [Entry];
    const guarded = e.command.startsWith('test -e ');
    if (!guarded) assert.equal(e.async === true, e.command.includes(' --async'), `${event}: "async" and --async agree`);
    out[event] = e.async ? 'async' : guarded ? 'guarded' : 'sync';
  }
  return out;
}
/** `asyncAs`: what the async events become (sync before Claude Code 2.1.19). */
const expected = (preToolUse: 'guarded' | 'async' | 'sync', asyncAs: 'async' | 'sync' = 'async') =>
  Object.fromEntries([
    ...GUARDED_EVENTS.map((e) => [e, 'guarded']),
    ['StopFailure', 'sync'],
    ...ASYNC_EVENTS.map((e) => [e, asyncAs]),
    ['PreToolUse', preToolUse],
  ]);
const sorted = (r: Record<string, string>) => Object.fromEntries(Object.entries(r).sort());

/** A `claude` on PATH answering --version like Claude Code `version` does. */
function fakeClaude(sb: Sandbox, version: string): NodeJS.ProcessEnv {
  const bin = join(sb.root, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'claude'), `#!/bin/sh\necho "${version} (Claude Code)"\n`);
  chmodSync(join(bin, 'claude'), 0o755);
  return { PATH: `${bin}:${sb.env.PATH}` };
}

async function addProfile(sb: Sandbox, env: NodeJS.ProcessEnv = {}, ...extra: string[]): Promise<void> {
  const r = await ccx(sb, ['profile', 'add', 'work', '--config-dir', sb.configDir, '--create', ...extra], env);
  assert.equal(r.code, 0, r.stderr);
}

test('install registers each event as the table says: PreToolUse async without enforce', async () => {
  const sb = box();
  await addProfile(sb, fakeClaude(sb, '2.1.329'));
  assert.deepEqual(sorted(registration(sb)), sorted(expected('async')));
});

test('an all-sync registration is outdated; install upgrades it in place, user hooks untouched', async () => {
  const sb = box();
  const env = fakeClaude(sb, '2.1.329');
  await addProfile(sb, env, '--no-hooks');
  // What ccx wrote before per-event registration: every event `<node> <script> --profile work`.
  // Plus the user's own hooks.
  const old: Groups = { PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'guard.sh' }] }] };
  for (const [event, kebab] of Object.entries(HOOK_EVENTS)) {
    const entry = { type: 'command', command: `${process.execPath} ${DIST}/hooks/${kebab}.js --profile work`, timeout: 10 };
    (old[event] ??= []).push(event === 'PreToolUse' ? { matcher: '*', hooks: [entry] } : { hooks: [entry] });
  }
  writeFileSync(settingsOf(sb), JSON.stringify({ hooks: old }, null, 2));

  const status = await ccx(sb, ['hooks', 'status', '--profile', 'work'], env);
  assert.equal(status.code, 1, 'outdated fails the status');
  assert.match(status.stdout, /^work\s+outdated\s+9 of 10 hooks registered another way than this ccx registers them/m);
  assert.match(status.stdout, /fix: ccx hooks install --profile work/);

  const install = await ccx(sb, ['hooks', 'install'], env);
  assert.equal(install.code, 0, install.stderr);
  assert.deepEqual(sorted(registration(sb)), sorted(expected('async')));
  const user = hooksOf(sb).PreToolUse!.filter((g) => g.matcher === 'Bash');
  assert.deepEqual(user, [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'guard.sh' }] }]);
  const again = await ccx(sb, ['hooks', 'status', '--profile', 'work'], env);
  assert.equal(again.code, 0, again.stdout);
  assert.match(again.stdout, /^work\s+installed/m);
});

test('profile set --enforce re-registers PreToolUse: guarded to deny, async again without', async () => {
  const sb = box();
  const env = fakeClaude(sb, '2.1.329');
  await addProfile(sb, env);
  const on = await ccx(sb, ['profile', 'set', 'work', '--enforce', 'true'], env);
  assert.equal(on.code, 0, on.stderr);
  assert.deepEqual(sorted(registration(sb)), sorted(expected('guarded')));
  const off = await ccx(sb, ['profile', 'set', 'work', '--enforce', 'false'], env);
  assert.equal(off.code, 0, off.stderr);
  assert.deepEqual(sorted(registration(sb)), sorted(expected('async')));
});

test('a Claude Code older than 2.1.19 gets the async events sync, and doctor says why', async () => {
  const sb = box();
  const env = fakeClaude(sb, '2.1.18');
  await addProfile(sb, env);
  assert.deepEqual(sorted(registration(sb)), sorted(expected('sync', 'sync')));
  const doctor = await ccx(sb, ['doctor'], env);
  assert.match(doctor.stdout, /Claude Code 2\.1\.18 is older than 2\.1\.19: the events registered async elsewhere are sync/);
  const current = await ccx(sb, ['doctor'], fakeClaude(sb, '2.1.329'));
  assert.match(current.stdout, /Claude Code 2\.1\.329: async hooks supported/);
  assert.match(current.stdout, /outdated/, 'the fallback registration is outdated for a newer Claude Code');
});
