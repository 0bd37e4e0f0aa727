// A large claimed inbox is read in bounded memory, and a consolidator killed again and again in
// the middle of one still moves forward: nothing lost, nothing doubled.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { INBOX_VERSION, type InboxRecord } from '../lib/contracts/inbox';
import { LOCK_STALE_MS } from '../lib/contracts/lock';
import { newEventId } from '../lib/inbox/append';
import { DIST, query, type Sandbox, sandboxPool, waitFor } from './helpers/ccx';

const newSandbox = sandboxPool();
const MiB = 1 << 20;

function record(sb: Sandbox, i: number, t0: number, extra: Record<string, unknown> = {}): InboxRecord {
  const event = i % 3 === 0 ? 'Stop' : 'PreToolUse';
  return {
    v: INBOX_VERSION,
    id: newEventId(t0 + i, i),
    kind: 'hook',
    received_at: t0 + i,
    profile: 'work',
    config_dir: sb.configDir,
    event,
    payload: { session_id: `s${i % 200}`, hook_event_name: event, cwd: '/tmp/proj', ...extra },
  };
}

const count = (sb: Sandbox, sql: string) => Number(Object.values(query(sb, sql)[0]!)[0]);
/** 0 while state.db is not there or not migrated yet. */
const appliedSoFar = (sb: Sandbox) => {
  try {
    return count(sb, 'SELECT COUNT(*) FROM hook_events');
  } catch {
    return 0;
  }
};

test('a 300 MiB inbox is applied with a peak RSS far below its size', () => {
  const sb = newSandbox();
  mkdirSync(sb.home, { recursive: true, mode: 0o700 });
  // Status line records without rate_limits: parsed and skipped, so the test measures the reading.
  const pad = 'x'.repeat(60 * 1024);
  const fd = openSync(join(sb.home, 'inbox.jsonl'), 'w', 0o600);
  const t0 = Date.UTC(2026, 10, 20, 10);
  let size = 0;
  for (let i = 0; size < 300 * MiB; i++) {
    const rec: InboxRecord = {
      v: INBOX_VERSION,
      id: newEventId(t0 + i, i),
      kind: 'statusline',
      received_at: t0 + i,
      profile: 'work',
      config_dir: null,
      event: 'StatusLine',
      payload: { pad },
    };
    size += writeSync(fd, `${JSON.stringify(rec)}\n`);
  }
  closeSync(fd);
  const preload = join(sb.root, 'max-rss.js');
  writeFileSync(preload, "process.on('exit', () => require('fs').writeSync(2, 'maxrss=' + process.resourceUsage().maxRSS + '\\n'));\n");
  const r = spawnSync(process.execPath, ['--require', preload, join(DIST, 'consolidator.js'), '--once'], {
    env: sb.env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(r.status, 0, r.stderr);
  const maxRssMiB = Number(/maxrss=(\d+)/.exec(r.stderr)?.[1]) / 1024;
  assert.ok(maxRssMiB > 0, r.stderr);
  // A whole-file read peaked near 1 GB here; the stream stays near 200 MiB whatever the size.
  assert.ok(maxRssMiB < 240, `peak RSS ${maxRssMiB.toFixed(0)} MiB for a ${(size / MiB).toFixed(0)} MiB inbox`);
});

test('SIGKILLed again and again mid-file, the consolidator still advances, and ends exact', async () => {
  const sb = newSandbox();
  mkdirSync(sb.home, { recursive: true, mode: 0o700 });
  const N = 60_000;
  const t0 = Date.UTC(2026, 10, 20, 10);
  const lines: string[] = [];
  for (let i = 0; i < N; i++) lines.push(JSON.stringify(record(sb, i, t0)));
  writeFileSync(join(sb.home, 'inbox.jsonl'), `${lines.join('\n')}\n`, { mode: 0o600 });
  const applied: number[] = [];
  for (let kill = 0; kill < 4; kill++) {
    const before = appliedSoFar(sb);
    const child = spawn(process.execPath, [join(DIST, 'consolidator.js'), '--once'], { env: sb.env, stdio: 'ignore' });
    const exited = new Promise((r) => child.on('exit', r));
    // Killed as soon as it has committed something new: each run lives far shorter than the file takes.
    await waitFor(() => appliedSoFar(sb) > before, 20_000, 20);
    child.kill('SIGKILL');
    await exited;
    // The dead holder's lock, as it looks once stale: the next run takes it over at once.
    const stale = new Date(Date.now() - LOCK_STALE_MS - 1000);
    utimesSync(join(sb.home, 'consolidator.lock'), stale, stale);
    applied.push(appliedSoFar(sb));
  }
  for (let i = 1; i < applied.length; i++) assert.ok(applied[i]! > applied[i - 1]!, `progress between kills: ${applied.join(' → ')}`);
  assert.ok(applied.at(-1)! < N, `killed before the end: ${applied.join(' → ')}`);
  const r = spawnSync(process.execPath, [join(DIST, 'consolidator.js'), '--once'], { env: sb.env, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(count(sb, 'SELECT COUNT(*) FROM hook_events'), N);
  assert.equal(count(sb, 'SELECT COUNT(*) FROM turns'), N / 3);
  assert.equal(count(sb, 'SELECT SUM(turns) FROM sessions'), N / 3);
});
