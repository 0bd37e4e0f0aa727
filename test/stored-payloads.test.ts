// What hook_events keeps (issue 16, "data that stays small"): no prompts, tool inputs or replies
// unless `keep_payloads = true`; payloads older than 90 days thinned to what a report reads; the
// v8 migration strips them from databases written before. Real consolidator passes, real files.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { PAYLOAD_TEXT_FIELDS } from '../lib/contracts/hook-input';
import { appendInbox } from '../lib/inbox/append';
import { parseConfig, readConfig } from '../lib/profiles/config';
import { addProfile } from '../lib/profiles/write';
import { MIGRATIONS } from '../lib/store/migrations';
import { openDb } from '../lib/store/open';
import { PAYLOAD_KEEP_MS, thinOldPayloads } from '../lib/store/thin';
import { consolidateOnce, hookRecord, query, type Sandbox, sandboxPool, withTempDb } from './helpers/ccx';

const box = sandboxPool();
const DAY = 86_400_000;

const TEXTS = {
  prompt: 'my secret plan',
  tool_input: { command: 'cat ~/.ssh/id_rsa' },
  tool_response: { stdout: 'BEGIN KEY' },
  last_assistant_message: 'here is the key',
  custom_instructions: 'keep the secrets',
};

function feed(sb: Sandbox, keepPayloads?: boolean): Record<string, unknown>[] {
  mkdirSync(sb.home, { recursive: true, mode: 0o700 });
  const settings = keepPayloads === undefined ? '' : `keep_payloads = ${keepPayloads}\n`;
  writeFileSync(join(sb.home, 'config.toml'), `${settings}[profiles.work]\nconfig_dir = "${sb.configDir}"\n`);
  const inbox = join(sb.home, 'inbox.jsonl');
  const now = Date.now();
  appendInbox(inbox, hookRecord(sb, 'UserPromptSubmit', 's1', now, { prompt: TEXTS.prompt }));
  appendInbox(inbox, hookRecord(sb, 'PreToolUse', 's1', now + 1, { tool_name: 'Bash', tool_input: TEXTS.tool_input, tool_use_id: 't1' }));
  appendInbox(inbox, hookRecord(sb, 'Stop', 's1', now + 2, { last_assistant_message: TEXTS.last_assistant_message }));
  consolidateOnce(sb);
  return query<{ payload: string }>(sb, 'SELECT payload FROM hook_events ORDER BY ts').map((r) => JSON.parse(r.payload));
}

test('by default hook_events keeps no prompt, tool input or reply, and keeps the rest', () => {
  const stored = feed(box());
  assert.equal(stored.length, 3);
  for (const p of stored) for (const f of PAYLOAD_TEXT_FIELDS) assert.equal(f in p, false, `${f} dropped`);
  assert.equal(stored[1]!.tool_name, 'Bash');
  assert.equal(stored[1]!.tool_use_id, 't1');
  assert.equal(stored[0]!.session_id, 's1');
});

test('keep_payloads = true keeps them whole', () => {
  const stored = feed(box(), true);
  assert.equal(stored[0]!.prompt, TEXTS.prompt);
  assert.deepEqual(stored[1]!.tool_input, TEXTS.tool_input);
  assert.equal(stored[2]!.last_assistant_message, TEXTS.last_assistant_message);
});

test('keep_payloads is validated, and survives profile edits', () => {
  assert.throws(() => parseConfig('keep_payloads = "yes"\n', 'config.toml'), /keep_payloads: must be true or false/);
  const sb = box();
  mkdirSync(sb.home, { recursive: true, mode: 0o700 });
  const file = join(sb.home, 'config.toml');
  writeFileSync(file, 'keep_payloads = true\n');
  addProfile(file, 'work', { config_dir: sb.configDir });
  assert.equal(readConfig(file).keepPayloads, true);
  assert.equal(readConfig(file).profiles[0]!.name, 'work');
});

test('payloads older than 90 days are thinned to what a report reads; rows and newer payloads stay', () => {
  withTempDb((db) => {
    const now = Date.UTC(2026, 11, 1);
    const insert = db.prepare('INSERT INTO hook_events (event_id, profile, session_id, event, ts, payload) VALUES (?, ?, ?, ?, ?, ?)');
    const old = now - PAYLOAD_KEEP_MS - DAY;
    insert.run('a', 'work', 's', 'PreToolUse', old, JSON.stringify({ session_id: 's', tool_name: 'Bash', cwd: '/x' }));
    insert.run('b', 'work', 's', 'StopFailure', old, JSON.stringify({ session_id: 's', error: 'rate_limit', error_details: '429' }));
    insert.run('c', 'work', 's', 'PreToolUse', now - DAY, JSON.stringify({ session_id: 's', tool_name: 'Read' }));
    assert.equal(thinOldPayloads(db, now), 2);
    const rows = db.prepare('SELECT event_id, payload FROM hook_events ORDER BY event_id').all() as { event_id: string; payload: string }[];
    assert.deepEqual(
      rows.map((r) => [r.event_id, JSON.parse(r.payload)]),
      [
        ['a', {}],
        ['b', { error: 'rate_limit' }],
        ['c', { session_id: 's', tool_name: 'Read' }],
      ],
    );
    assert.equal(thinOldPayloads(db, now), 0, 'thinned once');
  });
});

test('the v8 migration strips stored texts from an older database, and leaves an odd payload alone', () => {
  const sb = box();
  mkdirSync(sb.home, { recursive: true });
  const path = join(sb.home, 'state.db');
  const raw = new Database(path);
  for (const [i, sql] of MIGRATIONS.slice(0, 7).entries()) {
    raw.exec(sql);
    raw.pragma(`user_version = ${i + 1}`);
  }
  const insert = raw.prepare(
    "INSERT INTO hook_events (event_id, profile, session_id, event, ts, payload) VALUES (?, 'work', 's', ?, 1, ?)",
  );
  insert.run('a', 'UserPromptSubmit', JSON.stringify({ session_id: 's', ...TEXTS, model: 'opus' }));
  insert.run('b', 'Notification', 'not json');
  raw.close();
  const db = openDb(path);
  const rows = db.prepare('SELECT payload FROM hook_events ORDER BY event_id').all() as { payload: string }[];
  db.close();
  assert.deepEqual(JSON.parse(rows[0]!.payload), { session_id: 's', model: 'opus' });
  assert.equal(rows[1]!.payload, 'not json');
});
