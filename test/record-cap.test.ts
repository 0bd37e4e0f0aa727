// The inbox record cap holds for the whole record, not only its long strings: a payload of
// 1.5 M short strings once made a 7.6 MB line.

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { consolidateOnce, payload, query, runHook, sandboxPool } from './helpers/ccx';

const newSandbox = sandboxPool();

test('a hook payload of 1.5 M short strings makes an inbox line under 64 KiB that still applies', async () => {
  const sb = newSandbox();
  mkdirSync(join(sb.home, 'consolidator.lock'), { recursive: true }); // the hook alone, then one pass
  const p = payload('PreToolUse', 'many-strings', sb, { tool_name: 'Bash', tool_input: { parts: Array(1_500_000).fill('a') } });
  const r = await runHook('PreToolUse', p, sb);
  assert.equal(r.code, 0, r.stderr);
  const line = readFileSync(join(sb.home, 'inbox.jsonl'), 'utf8');
  assert.ok(Buffer.byteLength(line) <= 64 * 1024 + 1, `inbox line of ${Buffer.byteLength(line)} bytes`);
  const rec = JSON.parse(line) as { payload: Record<string, unknown> };
  assert.equal(rec.payload.ccx_truncated, true);
  assert.equal(rec.payload.cwd, '/tmp/proj');
  rmSync(join(sb.home, 'consolidator.lock'), { recursive: true });
  consolidateOnce(sb);
  assert.deepEqual(query(sb, 'SELECT session_id FROM sessions'), [{ session_id: 'many-strings' }]);
});
