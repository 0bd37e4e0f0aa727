// The consolidator removes what would otherwise grow forever: answered requests of killed
// callers (a day old) and told/ markers (past the weekly window), and nothing younger.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { payload, runHook, sandboxPool, waitFor } from './helpers/ccx';

const newSandbox = sandboxPool();
const DAY = 24 * 3600;

test('a starting consolidator removes old .done files, request drafts and told markers, keeps the rest', async () => {
  const sb = newSandbox();
  const requests = join(sb.home, 'requests');
  const told = join(sb.home, 'told');
  mkdirSync(requests, { recursive: true, mode: 0o700 });
  mkdirSync(told, { recursive: true, mode: 0o700 });
  const now = Date.now() / 1000;
  const files: [string, number, boolean][] = [
    [join(requests, 'killed-caller.done'), now - 2 * DAY, false],
    [join(requests, 'recent.done'), now - 60, true],
    [join(requests, 'killed-while-writing.new'), now - 2 * DAY, false],
    [join(told, 'old-session.warn'), now - 9 * DAY, false],
    [join(told, 'week-old-session.soft'), now - 6 * DAY, true],
  ];
  for (const [f, mtime] of [...files, [join(requests, 'waiting.req'), now - 2 * DAY] as const]) {
    writeFileSync(f, '', { mode: 0o600 });
    utimesSync(f, mtime, mtime);
  }
  const r = await runHook('Stop', payload('Stop', 'sess-housekeeping', sb), sb);
  assert.equal(r.code, 0);
  const log = join(sb.home, 'logs', 'consolidator.log');
  assert.ok(
    await waitFor(() => existsSync(log) && readFileSync(log, 'utf8').includes('old told marker')),
    'the hook started a consolidator that swept',
  );
  for (const [f, , kept] of files) assert.equal(existsSync(f), kept, `${f} ${kept ? 'kept' : 'removed'}`);
  // A pending request is never swept, however old: the consolidator answers it (.req → .done).
  const waiting = join(requests, 'waiting');
  assert.ok(await waitFor(() => existsSync(`${waiting}.req`) || existsSync(`${waiting}.done`)), 'the old request is kept or answered');
  assert.match(readFileSync(log, 'utf8'), /removed 2 old answered request\(s\), 1 old told marker\(s\)/);
});
