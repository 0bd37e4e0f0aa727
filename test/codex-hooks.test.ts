// ccx's hooks in a Codex home's config.toml, on real files: install keeps every other byte,
// uninstall restores the file byte for byte, reinstall changes nothing, status names what is
// missing, outdated or untrusted. The trust hashes are checked against the real Codex in
// test/e2e/codex-hooks.test.ts; here against the rule written out independently.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import TOML from '@iarna/toml';
import { missingCommandFiles } from '../lib/doctor/hooks';
import {
  CODEX_EVENTS,
  ccxCodexCommands,
  codexHookHash,
  codexHookKey,
  codexHooksStatus,
  codexKeyPath,
  codexStatus,
  desiredCodexHooks,
  installCodexHooks,
  planCodexInstall,
  planCodexUninstall,
  SettingsError,
  uninstallCodexHooks,
} from '../lib/settings';

const ctx = { node: '/usr/bin/node', distDir: `/opt/it's a "ccx" $HOME \\ dir/dist`, profile: 'work', enforce: false };
const now = () => new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
const KEY_PATH = '/home/u/.codex/config.toml';

/** Files a user may have; each must survive install + uninstall byte for byte. */
const ORIGINALS: Record<string, string> = {
  empty: '',
  'comments and spacing':
    '# my Codex config\nmodel = "gpt-5.1-codex"   # the good one\n\n[model_providers.local]\nbase_url = "http://127.0.0.1:1/v1"\n',
  'no final newline': 'model = "o3"\n[tui]\nnotifications = true',
  crlf: '# windows\r\nmodel = "o3"\r\n\r\n[projects."/src/app"]\r\ntrust_level = "trusted"\r\n',
  'own hooks and trust': [
    '[[hooks.Stop]]',
    '[[hooks.Stop.hooks]]',
    'type = "command"',
    'command = "notify-send done"',
    '',
    '[[hooks.PreToolUse]]',
    'matcher = "^Bash$"',
    '[[hooks.PreToolUse.hooks]]',
    'type = "command"',
    'command = "~/bin/guard.sh"',
    'timeout = 5',
    '',
    `[hooks.state."${KEY_PATH}:stop:0:0"]`,
    'trusted_hash = "sha256:00"',
    '',
  ].join('\n'),
};

const eventsOf = (s: ReturnType<typeof codexStatus>): Record<string, string> => ('events' in s ? s.events : {});
const sha = (s: string) => `sha256:${createHash('sha256').update(s).digest('hex')}`;

test('install appends one block; uninstall restores every original byte for byte; reinstall changes nothing', () => {
  for (const [name, original] of Object.entries(ORIGINALS)) {
    const installed = planCodexInstall(original, ctx, KEY_PATH);
    assert.ok(installed.changed, name);
    assert.ok(installed.text.startsWith(original), `${name}: the user's text comes first, untouched`);
    assert.equal(planCodexInstall(installed.text, ctx, KEY_PATH).changed, false, `${name}: idempotent`);
    assert.equal(planCodexUninstall(installed.text, KEY_PATH).text, original, `${name}: byte for byte`);
    assert.equal(planCodexUninstall(original, KEY_PATH).changed, false, `${name}: nothing of ccx's to remove`);
    if (original.includes('\r\n')) assert.ok(!/[^\r]\n/.test(installed.text), `${name}: the block keeps CRLF`);
    const doc = TOML.parse(installed.text.replace(/\r\n/g, '\n')) as { hooks: Record<string, unknown[]> };
    for (const event of CODEX_EVENTS) assert.ok(doc.hooks[event]?.length, `${name}: ${event} registered`);
  }
});

test("uninstall keeps what Codex's own config writer put inside ccx's block (a user's trust entry), and only that", () => {
  const original = ORIGINALS['own hooks and trust']!;
  const installed = planCodexInstall(original, ctx, KEY_PATH).text;
  // What Codex 0.169.0 did when the user trusted their Stop hook (config/batchWrite, seen on a
  // real file): an empty [hooks.state] before ccx's first trust table, the new one after ccx's last.
  const userTrust = `[hooks.state."${KEY_PATH}:pre_tool_use:0:0"]\ntrusted_hash = "sha256:11"\n`;
  const edited = installed
    .replace(/\n(\[hooks\.state\."[^"]*:session_start:)/, '\n[hooks.state]\n\n$1')
    .replace('# <<< ccx hooks', `\n${userTrust}# <<< ccx hooks`);
  assert.equal(codexStatus(edited, ctx, KEY_PATH).state, 'installed');
  const out = planCodexUninstall(edited, KEY_PATH).text;
  assert.equal(out, `${original}[hooks.state]\n\n${userTrust}`);
  // Reinstalling moves the user's tables out of the block, before it.
  const again = planCodexInstall(edited, ctx, KEY_PATH).text;
  assert.ok(again.startsWith(`${original}[hooks.state]\n\n${userTrust}# >>> ccx hooks`));
  assert.equal(codexStatus(again, ctx, KEY_PATH).state, 'installed');
  assert.equal(planCodexUninstall(again, KEY_PATH).text, out);
});

test('each hook is trusted at its own position, after the groups the user already has', () => {
  const original = ORIGINALS['own hooks and trust']!;
  const doc = TOML.parse(planCodexInstall(original, ctx, KEY_PATH).text) as {
    hooks: Record<string, { hooks: { command: string; timeout?: number; async?: boolean }[] }[]> & {
      state: Record<string, { trusted_hash: string }>;
    };
  };
  for (const event of CODEX_EVENTS) {
    const groups = doc.hooks[event]!;
    const index = groups.length - 1; // ccx's group is the last one
    assert.equal(index, event === 'Stop' || event === 'PreToolUse' ? 1 : 0);
    const entry = groups[index]!.hooks[0]!;
    const snake = event.replace(/(?<!^)([A-Z])/g, '_$1').toLowerCase();
    // The rule as the issue states it, written out by hand: sorted keys, no spaces.
    const identity = `{"event_name":"${snake}","hooks":[{"async":${entry.async === true},"command":${JSON.stringify(entry.command)},"timeout":${entry.timeout},"type":"command"}]}`;
    assert.equal(doc.hooks.state[`${KEY_PATH}:${snake}:${index}:0`]?.trusted_hash, sha(identity), event);
  }
  // The user's own trust entry is left as it was.
  assert.equal(doc.hooks.state[`${KEY_PATH}:stop:0:0`]?.trusted_hash, 'sha256:00');
});

test('the hash normalizes the timeout as Codex does (600 s unset; SessionEnd 1 s unset, at most 3)', () => {
  const ident = (event: string, timeout: number) =>
    sha(`{"event_name":"${event}","hooks":[{"async":false,"command":"x","timeout":${timeout},"type":"command"}]}`);
  assert.equal(codexHookHash('Stop', { command: 'x' }), ident('stop', 600));
  assert.equal(codexHookHash('SessionEnd', { command: 'x' }), ident('session_end', 1));
  assert.equal(codexHookHash('SessionEnd', { command: 'x', timeout: 30 }), ident('session_end', 3));
  // Known answer from Codex 0.169.0's hooks/list for `command = "echo hi"`, `timeout = 10` under Stop.
  assert.equal(
    codexHookHash('Stop', { command: 'echo hi', timeout: 10 }),
    'sha256:2a05b889a7ae70a6cb043aabb2bcfb6ce36c120c3e60d0fd65e4d297c36f1e00',
  );
  // A matcher counts, except where Codex ignores it.
  assert.notEqual(codexHookHash('PreToolUse', { command: 'x' }, '^Bash$'), codexHookHash('PreToolUse', { command: 'x' }));
  assert.equal(codexHookHash('Stop', { command: 'x' }, '^Bash$'), codexHookHash('Stop', { command: 'x' }));
  assert.equal(codexHookKey('/h/config.toml', 'UserPromptSubmit', 2), '/h/config.toml:user_prompt_submit:2:0');
});

test('registration: shell only and async where nothing is shown, guarded where a warning is', () => {
  const by = Object.fromEntries(desiredCodexHooks(ctx).map((h) => [h.event, h]));
  for (const e of ['SessionStart', 'UserPromptSubmit', 'Stop']) {
    assert.equal(by[e]!.async, false, e);
    assert.match(by[e]!.command, /test -e .*quiet.* \|\| exec /, e);
  }
  for (const e of ['PreToolUse', 'SubagentStop', 'PreCompact', 'PostCompact']) assert.equal(by[e]!.async, true, e);
  // Codex runs SessionEnd sync whatever it says (and warns about an async one): shell only, 3 s.
  assert.equal(by.SessionEnd!.async, false);
  assert.equal(by.SessionEnd!.timeout, 3);
  assert.match(by.SessionEnd!.command, /spool/);
  const enforced = desiredCodexHooks({ ...ctx, enforce: true }).find((h) => h.event === 'PreToolUse')!;
  assert.equal(enforced.async, false);
  for (const h of desiredCodexHooks(ctx)) assert.match(h.command, /^\/bin\/sh -c '/);
});

test('status: installed, then missing, outdated, untrusted, partial, with the reasons', () => {
  const text = planCodexInstall(ORIGINALS['comments and spacing']!, ctx, KEY_PATH).text;
  assert.equal(codexStatus(text, ctx, KEY_PATH).state, 'installed');
  assert.equal(codexStatus(ORIGINALS.empty!, ctx, KEY_PATH).state, 'missing');
  // enforce changed: PreToolUse is this checkout's hook registered another way.
  const outdated = codexStatus(text, { ...ctx, enforce: true }, KEY_PATH);
  assert.equal(outdated.state, 'outdated');
  assert.equal(eventsOf(outdated).PreToolUse, 'outdated');
  // The file seen under another path (CODEX_HOME moved): Codex would skip every hook.
  assert.equal(codexStatus(text, ctx, '/elsewhere/config.toml').state, 'untrusted');
  // A user group inserted before ccx's shifts its index: that one is no longer trusted.
  const shifted = `[[hooks.Stop]]\n[[hooks.Stop.hooks]]\ntype = "command"\ncommand = "true"\n\n${text}`;
  const s = codexStatus(shifted, ctx, KEY_PATH);
  assert.equal(s.state, 'untrusted');
  assert.equal(eventsOf(s).Stop, 'untrusted');
  assert.equal(eventsOf(s).SessionStart, 'ok');
  // Reinstall re-keys it.
  assert.equal(codexStatus(planCodexInstall(shifted, ctx, KEY_PATH).text, ctx, KEY_PATH).state, 'installed');
  // Another checkout's hooks: partial (stale).
  const other = planCodexInstall('', { ...ctx, distDir: '/srv/ccx-v2/dist' }, KEY_PATH).text;
  assert.equal(codexStatus(other, ctx, KEY_PATH).state, 'partial');
  assert.equal(codexStatus('model = ', ctx, KEY_PATH).state, 'invalid');
});

test('refusals: not TOML, an inline hooks array, an unterminated block; the file is left as it was', () => {
  assert.throws(
    () => planCodexInstall('model = = 1\n', ctx, KEY_PATH),
    (e: Error) => e instanceof SettingsError && /not valid TOML/.test(e.message),
  );
  const inline = 'hooks.Stop = [{ hooks = [{ type = "command", command = "x" }] }]\n';
  assert.throws(() => planCodexInstall(inline, ctx, KEY_PATH), SettingsError);
  const broken = `${planCodexInstall('', ctx, KEY_PATH).text.split('# <<<')[0]}`;
  assert.throws(() => planCodexUninstall(broken, KEY_PATH), /has no "# <<< ccx hooks" line/);
});

test('files: install keys trust by the real CODEX_HOME, backs up the original once, uninstall restores it; a hooks.json is left alone', () => {
  const root = mkdtempSync(join(tmpdir(), 'ccx-codex-hooks-'));
  try {
    const real = join(root, 'real-home');
    mkdirSync(real);
    const link = join(root, 'codex-link');
    symlinkSync(real, link);
    const original = ORIGINALS['own hooks and trust']!;
    writeFileSync(join(real, 'config.toml'), original, { mode: 0o640 });
    const hooksJson = '{ "hooks": { "Stop": [ { "hooks": [ { "type": "command", "command": "echo json" } ] } ] } }\n';
    writeFileSync(join(real, 'hooks.json'), hooksJson);
    assert.equal(codexKeyPath(link), join(real, 'config.toml'));

    const r = installCodexHooks(link, ctx, { now });
    assert.ok(r.changed);
    assert.equal(readFileSync(r.backup!, 'utf8'), original);
    const text = readFileSync(join(real, 'config.toml'), 'utf8');
    assert.ok(text.includes(`[hooks.state.${JSON.stringify(`${join(real, 'config.toml')}:stop:1:0`)}]`));
    assert.equal(codexHooksStatus(link, ctx).state, 'installed');
    assert.equal(installCodexHooks(link, ctx, { now }).changed, false);

    const u = uninstallCodexHooks(link, { now });
    assert.ok(u.changed);
    assert.equal(readFileSync(join(real, 'config.toml'), 'utf8'), original);
    assert.equal(readFileSync(join(real, 'hooks.json'), 'utf8'), hooksJson);
    // Reinstalling after an uninstall makes no second backup.
    installCodexHooks(link, ctx, { now });
    assert.equal(readdirSync(real).filter((n) => n.includes('ccx-backup')).length, 1);

    // A home without config.toml gets one holding only ccx's block.
    const fresh = join(root, 'fresh');
    mkdirSync(fresh);
    assert.equal(installCodexHooks(fresh, ctx, { now }).backup, null);
    assert.equal(codexHooksStatus(fresh, ctx).state, 'installed');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("doctor's hook files check reads a Codex config.toml: the node and scripts inside /bin/sh -c", () => {
  const root = mkdtempSync(join(tmpdir(), 'ccx-codex-doctor-'));
  try {
    installCodexHooks(root, ctx, { now });
    const commands = ccxCodexCommands(readFileSync(join(root, 'config.toml'), 'utf8'));
    assert.equal(commands.length, CODEX_EVENTS.length);
    assert.ok(commands.every((c) => !c.startsWith('/bin/sh')));
    const missing = missingCommandFiles(join(root, 'config.toml'), true);
    // /usr/bin/node may exist here; ctx's dist dir does not.
    assert.ok(missing.includes(`${ctx.distDir}/hooks/stop.js`), missing.join(', '));
    assert.equal(missing.filter((f) => f.includes('/dist/hooks/')).length, CODEX_EVENTS.length);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
