// Shell registrations (lib/settings/guard.ts) run through /bin/sh as Claude Code runs them,
// with the real hooks. Guarded: no quiet flag, the hook answers in the foreground; a quiet flag,
// the shell hands the event to a background hook that records it, whatever its size, even when
// stdin is left open. The consolidator keeps the flags: present exactly for the quiet profiles.
// Spooled (async events): the shell appends the event to its spool file, no node; the
// consolidator imports settled files once; without a spool dir the hook records it itself.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { HookEventName } from '../lib/contracts/hook-input';
import type { QuotaSnapshot } from '../lib/contracts/quota';
import { desiredSettings } from '../lib/settings';
import { writeWithQuietFlags } from '../lib/warnings';
import { consolidateOnce, DIST, payload, query, runWithInput, type Sandbox, sandboxPool, waitFor } from './helpers/ccx';
import { ccx } from './helpers/cli';
import { messageAt, writeQuota } from './helpers/quota';

const box = sandboxPool();

const commandOf = (event: HookEventName, enforce = false): string =>
  desiredSettings({ node: process.execPath, distDir: DIST, profile: 'work', enforce, asyncHooks: true }).hooks.find(
    (h) => h.event === event,
  )!.entry.command;

function guarded(event: HookEventName, enforce = false): string {
  const command = commandOf(event, enforce);
  assert.match(command, /^test -e /, `${event} is guarded`);
  return command;
}

const inboxEvents = (sb: Sandbox): { event: string; payload: Record<string, unknown> }[] =>
  existsSync(join(sb.home, 'inbox.jsonl'))
    ? readFileSync(join(sb.home, 'inbox.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
    : [];

const quiet = (sb: Sandbox) => {
  mkdirSync(join(sb.home, 'quiet'), { recursive: true });
  writeFileSync(join(sb.home, 'quiet', 'work'), '');
};

function runGuarded(sb: Sandbox, event: HookEventName, extra: Record<string, unknown> = {}, keepStdinOpen = false) {
  // Claude Code writes one JSON line.
  const input = `${JSON.stringify(payload(event, 's1', sb, extra))}\n`;
  return runWithInput('/bin/sh', ['-c', guarded(event)], { env: sb.env, input, keepStdinOpen, timeoutMs: 30_000 });
}

test('no quiet flag: the guarded hook runs in the foreground, records the event and shows the warning', async () => {
  const sb = box();
  writeQuota(sb, 'warn');
  const r = await runGuarded(sb, 'SessionStart', { source: 'startup' });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { systemMessage: messageAt('warn'), hookSpecificOutput: { hookEventName: 'SessionStart' } });
  assert.deepEqual(
    inboxEvents(sb).map((e) => e.event),
    ['SessionStart'],
  );
});

test('quiet flag: the shell prints nothing and a background hook records the event, also a large one with stdin left open', async () => {
  const sb = box();
  writeQuota(sb, 'warn'); // the flag is what decides: a hook in the foreground would speak
  quiet(sb);
  const message = 'm'.repeat(300_000); // far more than a pipe holds
  const r = await runGuarded(sb, 'Stop', { stop_hook_active: false, last_assistant_message: message }, true);
  assert.equal(r.signal, null, 'the shell exited by itself, not waiting for EOF');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.ok(await waitFor(() => inboxEvents(sb).length === 1), 'the background hook recorded the event');
  // A payload cut at the pipe size would not parse and be dropped (the inbox then caps the text).
  const [stop] = inboxEvents(sb);
  assert.equal(stop!.payload.session_id, 's1');
  assert.ok(String(stop!.payload.last_assistant_message).startsWith('mmmm'));
  assert.ok(await waitFor(() => existsSync(join(sb.home, 'last-turn', 'work'))), 'the background Stop still records the turn end');
  assert.equal(existsSync(join(sb.home, 'told')), false, 'nobody was told: a later sync event still may');

  const again = await runGuarded(sb, 'UserPromptSubmit', { prompt: 'hi' });
  assert.equal(again.stdout, '');
  assert.ok(await waitFor(() => inboxEvents(sb).length === 2));
});

test('enforce: PreToolUse is guarded and denies in the foreground at hard', async () => {
  const sb = box();
  writeQuota(sb, 'hard', { enforce: true });
  const input = `${JSON.stringify(payload('PreToolUse', 's1', sb, { tool_name: 'Bash', tool_input: {} }))}\n`;
  const r = await runWithInput('/bin/sh', ['-c', guarded('PreToolUse', true)], { env: sb.env, input });
  assert.equal(JSON.parse(r.stdout).hookSpecificOutput.permissionDecision, 'deny');
});

test('the consolidator flags exactly the quiet profiles, removing flags before a quota.json that needs them gone', () => {
  const sb = box();
  const dir = join(sb.home, 'quiet');
  mkdirSync(dir, { recursive: true });
  for (const stale of ['gone', 'loud']) writeFileSync(join(dir, stale), '');
  const q = (band: 'ok' | 'warn', after: 'ok' | 'warn' = band) =>
    ({ band, after_turn: { band: after, worst: null, message: null } }) as QuotaSnapshot['profiles'][string];
  const snap = { v: 1, generated_at: 0, profiles: { calm: q('ok'), loud: q('warn'), tipping: q('ok', 'warn') } } as QuotaSnapshot;
  let during: string[] = [];
  writeWithQuietFlags(dir, snap, () => (during = readdirSync(dir).sort()), assert.fail);
  assert.deepEqual(during, [], 'while quota.json is written: no flag says more than both files');
  assert.deepEqual(readdirSync(dir).sort(), ['calm']);
});

test('a consolidator pass writes the flag of a profile at ok', async () => {
  const sb = box();
  const add = await ccx(sb, ['profile', 'add', 'work', '--config-dir', sb.configDir, '--create', '--no-hooks']);
  assert.equal(add.code, 0, add.stderr);
  consolidateOnce(sb);
  assert.ok(existsSync(join(sb.home, 'quiet', 'work')));
});

const toolCall = (sb: Sandbox, id: string) =>
  `${JSON.stringify(payload('PreToolUse', 's1', sb, { tool_name: 'Bash', tool_input: {}, tool_use_id: id }))}\n`;

test('spooled PreToolUse: the shell leaves the event in its spool file, the consolidator imports it once', async () => {
  const sb = box();
  const add = await ccx(sb, ['profile', 'add', 'work', '--config-dir', sb.configDir, '--create', '--no-hooks']);
  assert.equal(add.code, 0, add.stderr);
  consolidateOnce(sb); // creates the spool dir
  const spool = join(sb.home, 'spool');
  for (const id of ['t1', 't2']) {
    const r = await runWithInput('/bin/sh', ['-c', commandOf('PreToolUse')], { env: sb.env, input: toolCall(sb, id) });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
  }
  const files = readdirSync(spool);
  assert.equal(files.length, 2, 'one file per shell');
  assert.ok(files.every((f) => f.startsWith('work.')));
  assert.equal(inboxEvents(sb).length, 0, 'no hook process ran');
  writeFileSync(join(spool, 'work.1'), '{"not": "an event"}\n');
  symlinkSync(join(sb.home, 'config.toml'), join(spool, 'work.2'));
  const settled = new Date(Date.now() - 5000);
  for (const f of readdirSync(spool)) if (f !== 'work.2') utimesSync(join(spool, f), settled, settled);
  consolidateOnce(sb);
  consolidateOnce(sb);
  const rows = query<{ event: string; payload: string }>(sb, "SELECT event, payload FROM hook_events WHERE event = 'PreToolUse'");
  assert.deepEqual(rows.map((r) => JSON.parse(r.payload).tool_use_id).sort(), ['t1', 't2'], 'each once');
  assert.deepEqual(readdirSync(spool), ['work.2'], 'imported files removed; a symlink is not read');
  assert.match(readFileSync(join(sb.home, 'logs', 'consolidator.log'), 'utf8'), /spool: skipped line 1 of work\.1/);
});

test('spooled PreToolUse without a spool dir: the hook records the event itself', async () => {
  const sb = box();
  const r = await runWithInput('/bin/sh', ['-c', commandOf('PreToolUse')], { env: sb.env, input: toolCall(sb, 't1') });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.deepEqual(
    inboxEvents(sb).map((e) => e.event),
    ['PreToolUse'],
  );
});
