// A payload nested thousands of levels deep parses, but every recursive walk of it overflows the
// stack: the hook must refuse it, and a line the consolidator cannot apply must not stop the rest.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { INBOX_VERSION } from '../lib/contracts/inbox';
import { appendInbox, newEventId } from '../lib/inbox/append';
import { consolidateOnce, DIST, payload, query, runHook, type Sandbox, sandboxPool } from './helpers/ccx';

const newSandbox = sandboxPool();

/** `{"a":{"a":…{}…}}`, built as text: JSON.stringify itself cannot build it. */
const deepJson = (levels: number) => `${'{"a":'.repeat(levels)}{}${'}'.repeat(levels)}`;

function deepPayload(sb: Sandbox, levels: number): string {
  const p = payload('PreToolUse', 'deep-session', sb, { tool_name: 'Bash' });
  return `${JSON.stringify(p).slice(0, -1)},"tool_input":${deepJson(levels)}}`;
}

function hookRecordLine(sb: Sandbox, sessionId: string, ts: number, payloadJson?: string): string {
  const rec = {
    v: INBOX_VERSION,
    id: newEventId(ts, 4242),
    kind: 'hook',
    received_at: ts,
    profile: 'work',
    config_dir: sb.configDir,
    event: 'Stop',
    payload: { session_id: sessionId, hook_event_name: 'Stop', cwd: '/tmp/proj' },
  };
  const json = JSON.stringify(rec);
  return payloadJson ? `${json.slice(0, json.indexOf(',"payload":'))},"payload":${payloadJson}}` : json;
}

test('a hook fed a 5000-deep payload exits 0, logs it, and leaves the inbox alone', async () => {
  const sb = newSandbox();
  mkdirSync(join(sb.home, 'consolidator.lock'), { recursive: true }); // no consolidator: only the hook is tested
  const r = await runHook('PreToolUse', null, sb, { raw: deepPayload(sb, 5000) });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.ok(!existsSync(join(sb.home, 'inbox.jsonl')), 'nothing appended');
  assert.match(readFileSync(join(sb.home, 'logs', 'hooks.log'), 'utf8'), /nested deeper than 64 levels; event dropped/);
  const shallow = await runHook('PreToolUse', null, sb, { raw: deepPayload(sb, 60) });
  assert.equal(shallow.code, 0);
  assert.equal(readFileSync(join(sb.home, 'inbox.jsonl'), 'utf8').split('\n').length, 2, 'a deep but real-sized payload is kept');
});

test('an inbox line that cannot be applied is quarantined; the lines after it and quota.json still happen', () => {
  const sb = newSandbox();
  mkdirSync(sb.home, { recursive: true, mode: 0o700 });
  const inbox = join(sb.home, 'inbox.jsonl');
  const t0 = Date.UTC(2026, 10, 20, 10);
  appendFileSync(inbox, `${hookRecordLine(sb, 'before', t0)}\n`);
  const poison = hookRecordLine(sb, 'poison', t0 + 1, `{"session_id":"poison","x":${deepJson(20_000)}}`);
  appendFileSync(inbox, `${poison}\n`);
  appendFileSync(inbox, `${hookRecordLine(sb, 'after', t0 + 2)}\n`);
  consolidateOnce(sb);
  const sessions = query<{ session_id: string }>(sb, 'SELECT session_id FROM hook_events ORDER BY ts').map((r) => r.session_id);
  assert.deepEqual(sessions, ['before', 'after']);
  assert.ok(existsSync(join(sb.home, 'quota.json')), 'the pass went on to quota.json');
  const qPath = join(sb.home, 'quarantine.jsonl');
  assert.equal(statSync(qPath).mode & 0o777, 0o600);
  const quarantined = readFileSync(qPath, 'utf8').trim().split('\n');
  assert.equal(quarantined.length, 1);
  const entry = JSON.parse(quarantined[0]!) as { line: string; error: string };
  assert.equal(entry.line, poison);
  assert.match(entry.error, /call stack/);
  consolidateOnce(sb);
  assert.equal(readFileSync(qPath, 'utf8').trim().split('\n').length, 1, 'quarantined once, not on every pass');
  appendInbox(inbox, JSON.parse(hookRecordLine(sb, 'later', t0 + 3)));
  consolidateOnce(sb);
  assert.equal(query(sb, 'SELECT 1 FROM hook_events').length, 3, 'later passes are not wedged');
  const doctor = spawnSync(process.execPath, [join(DIST, 'ccx.js'), 'doctor'], { env: sb.env, encoding: 'utf8' });
  assert.match(doctor.stdout, /quarantine.*1 inbox line.*quarantine\.jsonl/);
});
