// One absurd timestamp must not break every later report nor pin a session: transcript lines and
// hook records with times before 2023 or over a day ahead of now are skipped and counted.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { appendInbox } from '../lib/inbox/append';
import { REPORT } from './fixtures/report/harness';
import { consolidateOnce, hookRecord, query, runNode, sandboxPool } from './helpers/ccx';
import { assistantLine } from './helpers/transcript-fixtures';

const newSandbox = sandboxPool();
const YEAR_MS = 365.25 * 24 * 60 * 60 * 1000;

test('transcript lines in the year 275760, 9999 or 2022 are skipped and counted; every report view still works', async () => {
  const sb = newSandbox();
  const dir = join(sb.configDir, 'projects', '-tmp-proj');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'sess.jsonl'),
    assistantLine({ id: 'ok1', input: 100, output: 1, ts: '2025-10-01T10:00:00.000Z' }) +
      assistantLine({ id: 'max', input: 1000, output: 1, ts: '+275760-09-13T00:00:00.000Z' }) +
      assistantLine({ id: 'y9999', input: 1000, output: 1, ts: '9999-12-31T23:59:59.999Z' }) +
      assistantLine({ id: 'y2022', input: 1000, output: 1, ts: '2022-12-31T23:59:59.999Z' }) +
      assistantLine({ id: 'ok2', input: 200, output: 1, ts: '2025-10-02T10:00:00.000Z' }),
  );
  consolidateOnce(sb);
  assert.deepEqual(query(sb, 'SELECT dedup_key, input_tokens FROM usage ORDER BY ts'), [
    { dedup_key: 'ok1:req-ok1', input_tokens: 100 },
    { dedup_key: 'ok2:req-ok2', input_tokens: 200 },
  ]);
  assert.deepEqual(query(sb, 'SELECT skipped_lines FROM scan_cursors'), [{ skipped_lines: 3 }]);
  const log = readFileSync(join(sb.home, 'logs', 'consolidator.log'), 'utf8');
  assert.match(log, /sess\.jsonl: skipped 3 line\(s\) with a timestamp before 2023 or over a day ahead of now/);
  // Before the fix, the year 275760 made every view fail ('Map maximum size exceeded').
  const rowsOf: Record<string, string> = { daily: 'daily', weekly: 'weekly', monthly: 'monthly', blocks: 'blocks', session: 'sessions' };
  for (const [view, key] of Object.entries(rowsOf)) {
    const r = await runNode(REPORT, [view, '--json', '--since', '2025-01-01'], { env: sb.env, timeoutMs: 60_000 });
    assert.equal(r.code, 0, `${view}: ${r.stderr}`);
    const rows = JSON.parse(r.stdout)[key] as { inputTokens: number }[];
    assert.equal(
      rows.reduce((n, row) => n + row.inputTokens, 0),
      300,
      `${view} holds the two sane lines only`,
    );
  }
});

test('a SessionEnd received ten years ahead does not move the session; later events still apply', () => {
  const sb = newSandbox();
  mkdirSync(sb.home, { recursive: true });
  const inbox = join(sb.home, 'inbox.jsonl');
  const t = Date.UTC(2025, 9, 1, 10);
  const add = (event: string, at: number, extra = {}) => appendInbox(inbox, hookRecord(sb, event, 'sess', at, extra));
  add('SessionStart', t, { source: 'startup' });
  add('SessionEnd', t + 10 * YEAR_MS, { reason: 'logout' });
  add('PreToolUse', Date.UTC(2021, 0, 1));
  consolidateOnce(sb);
  add('Stop', t + 60_000);
  consolidateOnce(sb);
  assert.deepEqual(query(sb, 'SELECT status, status_ts, started_at, last_seen_at, ended_at, end_reason, turns FROM sessions'), [
    { status: 'completed', status_ts: t + 60_000, started_at: t, last_seen_at: t + 60_000, ended_at: null, end_reason: null, turns: 1 },
  ]);
  assert.deepEqual(query(sb, 'SELECT event FROM hook_events ORDER BY ts'), [{ event: 'SessionStart' }, { event: 'Stop' }]);
  const log = readFileSync(join(sb.home, 'logs', 'consolidator.log'), 'utf8');
  assert.match(log, /skipped SessionEnd \S+: received_at \d+ is over a day ahead of now/);
  assert.match(log, /skipped PreToolUse \S+: received_at \d+ is before 2023/);
});
