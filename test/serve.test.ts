// `ccx serve` as a real process: token, Host check, the API's shapes, hooks landing while it holds
// the lock, and a clean SIGTERM that loses nothing.
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { daemonStatusSchema } from '../lib/contracts/daemon';
import { hookRecord, payload, query, runHook, sandboxPool, waitFor } from './helpers/ccx';
import { ccx } from './helpers/cli';
import { get, type Reply, startServe } from './helpers/serve';

const newSandbox = sandboxPool();

test('ccx serve: token, Host, /api/status and /api/quota, hooks while it runs, clean SIGTERM', async () => {
  const sb = newSandbox();
  mkdirSync(sb.configDir, { recursive: true });
  assert.equal((await ccx(sb, ['profile', 'add', 'work', '--config-dir', sb.configDir, '--plan-tier', 'pro'])).code, 0);
  const { child, url, exited } = await startServe(sb.env);
  const port = Number(url.port);
  const daemonFile = join(sb.home, 'daemon.json');
  assert.equal(statSync(daemonFile).mode & 0o777, 0o600);
  const status = daemonStatusSchema.parse(JSON.parse(readFileSync(daemonFile, 'utf8')));
  assert.equal(status.running, true);
  assert.equal(status.pid, child.pid);
  assert.equal(status.url, url.href);
  assert.deepEqual(status.profiles_watched, ['work']);
  const auth = { authorization: `Bearer ${status.start_token}` };

  assert.equal((await get(port, '/api/status', {})).status, 401, 'no token');
  assert.equal((await get(port, '/api/status', { authorization: 'Bearer nope' })).status, 401, 'wrong token');
  const rebound = await get(port, '/api/status', { ...auth, host: `evil.example:${port}` });
  assert.equal(rebound.status, 421, 'a foreign Host is refused');
  const st = await get(port, '/api/status', auth);
  assert.equal(st.status, 200);
  assert.deepEqual(st.body, status);
  assert.equal(st.headers['access-control-allow-origin'], undefined, 'no CORS');
  assert.equal((await get(port, '/api/nothing', auth)).status, 404);

  // A hook run now sees serve holding the lock and starts no consolidator of its own.
  const hook = await runHook('SessionStart', payload('SessionStart', 'serve-s1', sb, { source: 'startup' }), sb, { profile: 'work' });
  assert.equal(hook.code, 0, hook.stderr);
  assert.ok(
    await waitFor(
      () => existsSync(join(sb.home, 'state.db')) && query(sb, "SELECT 1 FROM sessions WHERE session_id = 'serve-s1'").length === 1,
    ),
    'the hook event landed',
  );
  const pidFile = JSON.parse(readFileSync(join(sb.home, 'consolidator.pid'), 'utf8')) as { pid: number };
  assert.equal(pidFile.pid, child.pid, 'serve is the consolidator');

  let quota: Reply | undefined;
  assert.ok(
    await waitFor(
      () => {
        void get(port, '/api/quota', auth).then((r) => (quota = r));
        return Array.isArray(quota?.body) && (quota.body as { profile: string }[]).some((q) => q.profile === 'work');
      },
      40_000,
      200,
    ),
    `quota shows the profile: ${JSON.stringify(quota?.body)}`,
  );
  const work = (quota!.body as Record<string, unknown>[]).find((q) => q.profile === 'work')!;
  assert.equal(work.plan_tier, 'pro');
  assert.ok('window_5h' in work && 'window_weekly' in work && 'band' in work && 'source' in work && 'suggestion' in work);

  const statusOut = await ccx(sb, ['status']);
  assert.match(statusOut.stdout, new RegExp(`serve +running at ${url.href.replace(/[.]/g, '\\.')}`));

  // Appended right before SIGTERM: the last pass must apply it.
  appendFileSync(join(sb.home, 'inbox.jsonl'), `${JSON.stringify(hookRecord(sb, 'SessionStart', 'serve-last', Date.now()))}\n`);
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
  assert.equal(existsSync(join(sb.home, 'consolidator.lock')), false, 'lock released');
  assert.equal(JSON.parse(readFileSync(daemonFile, 'utf8')).running, false);
  assert.equal(query(sb, "SELECT 1 FROM sessions WHERE session_id = 'serve-last'").length, 1, 'nothing lost');
  assert.match((await ccx(sb, ['status'])).stdout, /serve +not running/);
});

test('a daemon.json whose process is gone is reported stale by ccx status and ccx doctor', async () => {
  const sb = newSandbox();
  const { child, exited } = await startServe(sb.env);
  const file = join(sb.home, 'daemon.json');
  const live = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
  // As a SIGKILLed serve leaves it: running still true, its process gone.
  writeFileSync(file, JSON.stringify(live));
  assert.match((await ccx(sb, ['status'])).stdout, new RegExp(`serve +not running; daemon.json is stale \\(pid ${child.pid} is gone\\)`));
  const doctor = JSON.parse((await ccx(sb, ['doctor', '--json'])).stdout) as { checks: { name: string; status: string }[] };
  assert.deepEqual(
    doctor.checks.filter((c) => c.name === 'ccx serve').map((c) => c.status),
    ['warn'],
  );
});

test("ccx serve takes the lock over from a hook-started consolidator at once; a second serve is refused with the first one's URL", async () => {
  const sb = newSandbox();
  // Idling for 10 minutes: without the handover, serve would wait all that time (startServe allows 20 s).
  const env = { ...sb.env, CCX_IDLE_MS: '600000' };
  const hook = await runHook('SessionStart', payload('SessionStart', 'serve-before', sb, { source: 'startup' }), sb, { env });
  assert.equal(hook.code, 0, hook.stderr);
  const pidFile = join(sb.home, 'consolidator.pid');
  assert.ok(await waitFor(() => existsSync(pidFile)), 'the hook started a consolidator');
  const first = (JSON.parse(readFileSync(pidFile, 'utf8')) as { pid: number }).pid;
  const { child, url, auth, exited, stderr } = await startServe(sb.env);
  assert.match(stderr(), /a background consolidator holds the lock; asked it to hand over/);
  assert.notEqual(child.pid, first);
  assert.equal((JSON.parse(readFileSync(pidFile, 'utf8')) as { pid: number }).pid, child.pid, 'serve holds the lock now');
  assert.ok(await waitFor(() => !alive(first)), 'the hook-started consolidator exited');
  assert.match(
    readFileSync(join(sb.home, 'logs', 'consolidator.log'), 'utf8'),
    new RegExp(`\\[${first}\\] handing the lock over to ccx serve`),
  );
  assert.deepEqual(
    readdirSync(join(sb.home, 'requests')).filter((n) => n.startsWith('serve-')),
    [],
    'the handover request is gone',
  );
  // What the first consolidator recorded is served, and a hook after the handover lands too.
  assert.equal((await runHook('Stop', payload('Stop', 'serve-before', sb), sb)).code, 0);
  assert.ok(
    await waitFor(() => query(sb, `SELECT event FROM hook_events WHERE session_id = 'serve-before' ORDER BY ts`).length === 2),
    'both events recorded',
  );
  assert.equal((await get(Number(url.port), '/api/status', auth)).status, 200);

  const second = await ccx(sb, ['serve', '--port', '0']);
  assert.equal(second.code, 1, second.stderr);
  assert.match(second.stderr, new RegExp(`ccx serve already runs \\(pid ${child.pid}\\) at ${url.href.replace(/[.]/g, '\\.')}`));
  child.kill('SIGINT');
  assert.equal(await exited, 0);
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
