// Consolidator liveness rests on the holder's pid and start time, not on the lock's mtime alone:
// a lock dated in the future (clock stepped back) or left by a SIGKILLed holder stops no one.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DIST, payload, query, runHook, runNode, type Sandbox, sandboxPool, waitFor } from './helpers/ccx';
import { ccx } from './helpers/cli';

const box = sandboxPool();
const REPORT = join(DIST, 'ccx-report.js');

/** A lock directory as a holder would leave it, its mtime a day ahead of the clock. */
function futureLock(sb: Sandbox): void {
  const lock = join(sb.home, 'consolidator.lock');
  mkdirSync(lock, { recursive: true, mode: 0o700 });
  const later = new Date(Date.now() + 24 * 3600_000);
  utimesSync(lock, later, later);
}

test('a lock dated a day ahead with no holder: a hook still starts a consolidator', async () => {
  const sb = box();
  futureLock(sb);
  const r = await runHook('Stop', payload('Stop', 'future-lock', sb), sb);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(await waitFor(() => existsSync(join(sb.home, 'quota.json')), 15_000), 'a consolidator ran and wrote quota.json');
  assert.ok(await waitFor(() => query(sb, 'SELECT 1 FROM hook_events').length === 1), 'and applied the event');
});

test('a lock dated a day ahead with no holder: ccx-report runs the pass itself and finishes', async () => {
  const sb = box();
  mkdirSync(sb.home, { recursive: true, mode: 0o700 });
  futureLock(sb);
  const r = await runNode(REPORT, ['daily', '--json'], { env: sb.env, timeoutMs: 60_000 });
  assert.equal(r.signal, null, 'it finished rather than waiting for the lock');
  assert.equal(r.code, 0, r.stderr);
  // Nothing but the empty-history note: no complaint about the lock or a busy consolidator.
  assert.match(r.stderr, /^(ccx-report: no usage found[:,] [^\n]*\n)?$/);
  assert.ok(existsSync(join(sb.home, 'quota.json')), 'its own pass wrote quota.json');
});

test('a lock dated a day ahead with no holder: status and doctor do not call it running', async () => {
  const sb = box();
  mkdirSync(sb.home, { recursive: true, mode: 0o700 });
  futureLock(sb);
  const status = JSON.parse((await ccx(sb, ['status', '--json'])).stdout) as { consolidator: { alive: boolean } };
  assert.equal(status.consolidator.alive, false);
  const doctor = JSON.parse((await ccx(sb, ['doctor', '--json'])).stdout) as { checks: { name: string; message: string }[] };
  const check = doctor.checks.find((c) => c.name === 'consolidator');
  assert.match(check?.message ?? '', /^not running; a consolidator stopped without cleaning up/);
});

test("a SIGKILLed consolidator's lock: ccx-report takes it over at once instead of waiting for it to go stale", async () => {
  const sb = box();
  const child = spawn(process.execPath, [join(DIST, 'consolidator.js')], { env: { ...sb.env, CCX_IDLE_MS: '600000' }, stdio: 'ignore' });
  assert.ok(await waitFor(() => existsSync(join(sb.home, 'consolidator.pid'))), 'it took the lock');
  child.kill('SIGKILL');
  await new Promise((r) => child.on('exit', r));
  assert.ok(existsSync(join(sb.home, 'consolidator.lock')), 'a killed holder leaves its lock, fresh, behind');
  // Before: ccx-report waited ~28 s for the lock to go stale, past runNode's 20 s kill.
  const r = await runNode(REPORT, ['daily', '--json'], { env: sb.env });
  assert.equal(r.signal, null, 'it finished');
  assert.equal(r.code, 0, r.stderr);
  const log = readFileSync(join(sb.home, 'logs', 'consolidator.log'), 'utf8');
  assert.match(log, new RegExp(`removing the lock of a consolidator that is gone \\(pid ${child.pid}\\)`));
});
