// The consolidator through real processes: concurrency, crashes, re-application, ordering.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Consolidator } from '../lib/consolidator/consolidator';
import { LOCK_STALE_MS } from '../lib/contracts/lock';
import { appendInbox } from '../lib/inbox/append';
import { CLAIM_SETTLE_MS } from '../lib/inbox/claim';
import { ccxPaths } from '../lib/paths';
import { consolidateOnce, DIST, hookRecord, payload, query, runHook, type Sandbox, sandbox, waitFor } from './helpers/ccx';

const count = (sb: Sandbox, sql: string, ...params: unknown[]) => Number(Object.values(query(sb, sql, ...params)[0]!)[0]);

test('200 hooks at once: 200 events in SQLite, no torn lines, one consolidator', async () => {
  const sb = sandbox({ CCX_IDLE_MS: '3000' });
  try {
    const runs = Array.from({ length: 200 }, (_, i) =>
      runHook(
        'PreToolUse',
        payload('PreToolUse', `s${i % 20}`, sb, { tool_name: 'Bash', tool_input: { command: 'x'.repeat(i * 50) } }),
        sb,
        { profile: 'work' },
      ),
    );
    const results = await Promise.all(runs);
    assert.ok(
      results.every((r) => r.code === 0 && r.stdout === ''),
      'every hook exit 0, silent',
    );
    consolidateOnce(sb);
    assert.equal(count(sb, 'SELECT COUNT(*) FROM hook_events'), 200);
    assert.equal(count(sb, 'SELECT COUNT(*) FROM sessions'), 20);
    const log = readFileSync(join(sb.home, 'logs', 'consolidator.log'), 'utf8');
    assert.doesNotMatch(log, /skipped/, 'no torn or invalid inbox lines');
    assert.equal(log.match(/consolidator \d+ started/g)?.length, 1, 'exactly one consolidator ran');
  } finally {
    sb.cleanup();
  }
});

test('SIGKILL while applying a claimed inbox, then restart: exactly the right rows', async () => {
  const sb = sandbox();
  try {
    const N = 30_000;
    const t0 = Date.UTC(2026, 10, 20, 10);
    mkdirSync(sb.home, { recursive: true });
    for (let i = 0; i < N; i++) {
      appendInbox(join(sb.home, 'inbox.jsonl'), hookRecord(sb, i % 3 === 0 ? 'Stop' : 'PreToolUse', `s${i % 500}`, t0 + i));
    }
    const stops = Math.ceil(N / 3);
    let killedMidway = 0;
    for (const delayMs of [250, 600, 1000]) {
      const child = spawn(process.execPath, [join(DIST, 'consolidator.js'), '--once'], { env: sb.env, stdio: 'ignore' });
      const exited = new Promise((r) => child.on('exit', r));
      await waitFor(() => readdirSync(sb.home).some((n) => /^inbox\.\d+\.\d+\.jsonl$/.test(n)));
      await new Promise((r) => setTimeout(r, delayMs));
      if (child.kill('SIGKILL')) killedMidway++;
      await exited;
    }
    assert.ok(killedMidway > 0, 'at least one run was killed before it finished');
    consolidateOnce(sb);
    assert.equal(count(sb, 'SELECT COUNT(*) FROM hook_events'), N);
    assert.equal(count(sb, 'SELECT COUNT(*) FROM turns'), stops);
    assert.equal(count(sb, 'SELECT SUM(turns) FROM sessions'), stops);
  } finally {
    sb.cleanup();
  }
});

test('a claimed file left behind after its commit is re-applied without double counting', () => {
  const sb = sandbox();
  try {
    mkdirSync(sb.home, { recursive: true });
    const inbox = join(sb.home, 'inbox.jsonl');
    const t0 = Date.UTC(2026, 10, 20, 10);
    for (let i = 0; i < 10; i++) appendInbox(inbox, hookRecord(sb, 'Stop', 'sess', t0 + i));
    const leftover = join(sb.root, 'copy.jsonl');
    copyFileSync(inbox, leftover);
    consolidateOnce(sb);
    copyFileSync(leftover, join(sb.home, `inbox.999.${t0}.jsonl`)); // as if we crashed before unlink
    consolidateOnce(sb);
    assert.equal(count(sb, 'SELECT COUNT(*) FROM hook_events'), 10);
    assert.equal(count(sb, 'SELECT turns FROM sessions'), 10);
  } finally {
    sb.cleanup();
  }
});

test('a claimed file is read again as it grows and deleted only once settled and fully applied', () => {
  const sb = sandbox();
  try {
    mkdirSync(sb.home, { recursive: true });
    let clock = Date.UTC(2026, 10, 20, 10);
    const c = new Consolidator({ paths: ccxPaths(sb.home), env: sb.env, now: () => clock, tz: 'UTC', log: () => undefined });
    const inbox = join(sb.home, 'inbox.jsonl');
    appendInbox(inbox, hookRecord(sb, 'Stop', 'sess', clock));
    assert.equal(c.applyInbox([]).applied, 1);
    const [claimed] = readdirSync(sb.home).filter((n) => /^inbox\.\d+\.\d+\.jsonl$/.test(n));
    assert.ok(claimed, 'the inbox was claimed by renaming');
    // A hook that opened the inbox before the rename writes late, half a line first.
    const late = JSON.stringify(hookRecord(sb, 'Stop', 'sess', clock + 1));
    appendFileSync(join(sb.home, claimed), late.slice(0, 20));
    clock += 1000;
    assert.equal(c.applyInbox([]).applied, 0, 'an unterminated line waits');
    appendFileSync(join(sb.home, claimed), `${late.slice(20)}\n`);
    assert.equal(c.applyInbox([]).applied, 1, 'the late record is applied');
    assert.ok(existsSync(join(sb.home, claimed)), 'kept while a hook could still write to it');
    clock += CLAIM_SETTLE_MS;
    c.applyInbox([]);
    assert.ok(!existsSync(join(sb.home, claimed)), 'deleted once settled');
    c.close();
    assert.equal(count(sb, 'SELECT turns FROM sessions'), 2);
  } finally {
    sb.cleanup();
  }
});

test('config.toml is re-read when it changes; a broken one keeps the last good profiles, logged once', () => {
  const sb = sandbox();
  try {
    mkdirSync(sb.home, { recursive: true });
    const logged: string[] = [];
    const c = new Consolidator({ paths: ccxPaths(sb.home), env: sb.env, now: Date.now, tz: 'UTC', log: (m) => logged.push(m) });
    const config = join(sb.home, 'config.toml');
    assert.deepEqual(
      c.profiles().map((p) => p.name),
      ['default'],
    );
    writeFileSync(config, `[profiles.work]\nconfig_dir = ${JSON.stringify(sb.configDir)}\n`);
    assert.deepEqual(
      c.profiles().map((p) => p.name),
      ['work'],
      'a new profile is picked up without a restart',
    );
    writeFileSync(config, '[profiles.work\n');
    assert.deepEqual(
      c.profiles().map((p) => p.name),
      ['work'],
    );
    assert.deepEqual(
      c.profiles().map((p) => p.name),
      ['work'],
    );
    assert.equal(logged.filter((m) => m.startsWith('config:')).length, 1);
    c.close();
  } finally {
    sb.cleanup();
  }
});

test('malformed inbox lines are logged and skipped; a record glued to a torn line survives', () => {
  const sb = sandbox();
  try {
    mkdirSync(sb.home, { recursive: true });
    const inbox = join(sb.home, 'inbox.jsonl');
    const t0 = Date.UTC(2026, 10, 20, 10);
    const good = JSON.stringify(hookRecord(sb, 'Stop', 'sess', t0));
    const glued = JSON.stringify(hookRecord(sb, 'Stop', 'sess', t0 + 1));
    writeFileSync(inbox, `${good}\nnot json at all\n{"v":1,"id":"torn-rec${glued}\n{"v":1}\n`);
    consolidateOnce(sb);
    assert.equal(count(sb, 'SELECT COUNT(*) FROM hook_events'), 2);
    const log = readFileSync(join(sb.home, 'logs', 'consolidator.log'), 'utf8');
    assert.equal(log.match(/skipped/g)?.length, 3);
  } finally {
    sb.cleanup();
  }
});

test('session telemetry; status never goes backwards on out-of-order events', () => {
  const sb = sandbox();
  try {
    mkdirSync(sb.home, { recursive: true });
    const inbox = join(sb.home, 'inbox.jsonl');
    const t = Date.UTC(2026, 10, 20, 10);
    const add = (event: string, dt: number, extra = {}) => appendInbox(inbox, hookRecord(sb, event, 'sess', t + dt, extra));
    add('SessionStart', 0, { source: 'startup', model: 'claude-opus-4-1', permission_mode: 'plan' });
    add('UserPromptSubmit', 10, { prompt: 'hi' });
    add('Stop', 20);
    add('StopFailure', 30, { error: 'server_error', error_details: '500' });
    add('StopFailure', 31, { error: 'authentication_failed' });
    add('PostCompact', 40, { trigger: 'manual' });
    add('PostCompact', 41, { trigger: 'auto' });
    add('SessionEnd', 50, { reason: 'logout' });
    consolidateOnce(sb);
    add('Stop', 25); // arrives late, happened before the end
    consolidateOnce(sb);
    // A background Stop stamped after the SessionEnd the shell spooled at once: still ended.
    add('Stop', 55);
    consolidateOnce(sb);
    const [s] = query(sb, 'SELECT * FROM sessions');
    assert.deepEqual(
      {
        status: s!.status,
        started_at: s!.started_at,
        ended_at: s!.ended_at,
        end_reason: s!.end_reason,
        model: s!.model,
        permission_mode: s!.permission_mode,
        failure_error: s!.failure_error,
        compact_count: s!.compact_count,
        turns: s!.turns,
        failed_turns: s!.failed_turns,
        last_seen_at: s!.last_seen_at,
      },
      {
        status: 'ended',
        started_at: t,
        ended_at: t + 50,
        end_reason: 'logout',
        model: 'claude-opus-4-1',
        permission_mode: 'plan',
        failure_error: 'authentication_failed',
        compact_count: 2,
        turns: 4, // three Stops and the server_error; the auth failure is not a turn
        failed_turns: 1,
        last_seen_at: t + 55,
      },
    );
    add('SessionStart', 60, { source: 'resume' });
    consolidateOnce(sb);
    const [r] = query(sb, 'SELECT status, ended_at FROM sessions');
    assert.deepEqual(r, { status: 'running', ended_at: null }, 'a resumed session is live again');
  } finally {
    sb.cleanup();
  }
});

test('a lock left by a SIGKILLed consolidator goes stale and is taken over', async () => {
  const sb = sandbox({ CCX_IDLE_MS: '60000' });
  try {
    const child = spawn(process.execPath, [join(DIST, 'consolidator.js')], { env: sb.env, stdio: 'ignore' });
    const lock = join(sb.home, 'consolidator.lock');
    assert.ok(await waitFor(() => existsSync(join(sb.home, 'consolidator.pid'))), 'it took the lock');
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    assert.ok(existsSync(lock), 'a killed holder leaves its lock behind');
    const old = new Date(Date.now() - LOCK_STALE_MS - 1000);
    utimesSync(lock, old, old); // as if it had died LOCK_STALE_MS ago
    appendInbox(join(sb.home, 'inbox.jsonl'), hookRecord(sb, 'Stop', 'after-crash', Date.now()));
    consolidateOnce(sb);
    assert.equal(count(sb, 'SELECT COUNT(*) FROM hook_events'), 1, 'the new pass ran under the taken-over lock');
  } finally {
    sb.cleanup();
  }
});

test('a burst of events: the running consolidator still writes the quota of the last one by itself', async () => {
  const sb = sandbox({ CCX_IDLE_MS: '5000' });
  try {
    for (let i = 0; i < 3; i++) assert.equal((await runHook('Stop', payload('Stop', 'burst', sb), sb)).code, 0);
    const turnsInQuota = () => {
      try {
        return JSON.parse(readFileSync(join(sb.home, 'quota.json'), 'utf8')).profiles.default.windows.five_hour.used as number;
      } catch {
        return -1;
      }
    };
    assert.ok(await waitFor(() => turnsInQuota() === 3, 10_000), `quota.json counts all three turns (saw ${turnsInQuota()})`);
  } finally {
    sb.cleanup();
  }
});

test('an idle consolidator exits by itself and leaves no lock behind', async () => {
  const sb = sandbox({ CCX_IDLE_MS: '300' });
  try {
    const r = await runHook('Stop', payload('Stop', 'sess', sb), sb);
    assert.equal(r.code, 0);
    const pidFile = join(sb.home, 'consolidator.pid');
    assert.ok(await waitFor(() => existsSync(pidFile)), 'the hook started a consolidator');
    const { pid } = JSON.parse(readFileSync(pidFile, 'utf8')) as { pid: number };
    assert.ok(await waitFor(() => !existsSync(join(sb.home, 'consolidator.lock')), 15_000), 'it exited after its idle period');
    // At nice 19 on a busy machine its last writes (pid file, log) may lag the lock's release.
    const log = join(sb.home, 'logs', 'consolidator.log');
    assert.ok(await waitFor(() => existsSync(log) && /exiting/.test(readFileSync(log, 'utf8')), 15_000), 'it logged its exit');
    assert.equal(count(sb, 'SELECT COUNT(*) FROM hook_events'), 1);
    // It still writes its code cache on the way out: the sandbox goes only once it is gone.
    assert.ok(await waitFor(() => !existsSync(`/proc/${pid}`), 15_000), 'the process is gone');
  } finally {
    sb.cleanup();
  }
});
