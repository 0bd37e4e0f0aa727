// A live consolidator answers ccx-report's request without a pass when its watches saw nothing
// since its last clean pass (lib/consolidator/watch.ts). Real processes: a running daemon, files
// appended, new sessions and project dirs created just before each report, hook lines in the
// inbox. Every report must count what was on disk when it started, and the last one must equal
// the report of a pass of its own.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { appendInbox } from '../lib/inbox';
import { DIST, hookRecord, query, runNode, type Sandbox, sandbox, waitFor } from './helpers/ccx';
import { assistantLine } from './helpers/transcript-fixtures';

type Daily = { generatedAt?: string; totals: { outputTokens: number } };

async function report(sb: Sandbox): Promise<Daily> {
  const r = await runNode(join(DIST, 'ccx-report.js'), ['daily', '--json', '--timezone', 'UTC'], { env: sb.env, timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '', 'no note: the daemon answered');
  return JSON.parse(r.stdout) as Daily;
}

const vouched = (sb: Sandbox): number => {
  const log = join(sb.home, 'logs', 'consolidator.log');
  return existsSync(log) ? (readFileSync(log, 'utf8').match(/without a pass/g) ?? []).length : 0;
};

function startDaemon(sb: Sandbox): ChildProcess {
  return spawn(process.execPath, [join(DIST, 'consolidator.js')], { env: sb.env, stdio: 'ignore' });
}

/** config.toml registering the sandbox's config dir as profile `work`, with `extra` lines in its table. */
function registerWork(sb: Sandbox, extra = ''): void {
  mkdirSync(sb.home, { recursive: true, mode: 0o700 });
  writeFileSync(join(sb.home, 'config.toml'), `[profiles.work]\nconfig_dir = ${JSON.stringify(sb.configDir)}\n${extra}`);
}

/** `body` with a live consolidator in `sb` (started once the lock is its), then both gone. */
async function withLiveDaemon(sb: Sandbox, body: () => Promise<void>): Promise<void> {
  const daemon = startDaemon(sb);
  try {
    assert.ok(await waitFor(() => existsSync(join(sb.home, 'consolidator.pid'))), 'the daemon took the lock');
    await body();
  } finally {
    daemon.kill('SIGKILL');
    sb.cleanup();
  }
}

test('reports answered by a live consolidator see every write made before they started', async () => {
  const sb = sandbox({ CCX_IDLE_MS: '120000' });
  let daemon: ChildProcess | null = null;
  try {
    registerWork(sb);
    const projects = join(sb.configDir, 'projects');
    mkdirSync(join(projects, '-tmp-a'), { recursive: true });
    let expected = 0;
    let n = 0;
    const line = (session: string) => {
      n++;
      expected += n;
      return assistantLine({ id: `msg-${n}`, session, output: n, ts: `2026-11-0${1 + (n % 9)}T10:00:00.000Z` });
    };
    writeFileSync(join(projects, '-tmp-a', 's1.jsonl'), line('s1'));

    daemon = startDaemon(sb);
    assert.ok(await waitFor(() => existsSync(join(sb.home, 'consolidator.pid'))), 'the daemon took the lock');
    assert.equal((await report(sb)).totals.outputTokens, expected);
    const before = vouched(sb);
    assert.equal((await report(sb)).totals.outputTokens, expected, 'nothing changed');
    assert.ok(vouched(sb) > before, 'a report with nothing new is answered without a pass');

    // Each write lands just before a report starts: an append, a new session, a subagent file in a
    // new session dir, a new project dir (created after the daemon's walk), and a hook line.
    const writes: Array<() => void> = [
      () => appendFileSync(join(projects, '-tmp-a', 's1.jsonl'), line('s1')),
      () => writeFileSync(join(projects, '-tmp-a', `s-new-${n}.jsonl`), line(`s-new-${n}`)),
      () => {
        const dir = join(projects, '-tmp-a', `s-sub-${n}`, 'subagents');
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'agent-1.jsonl'), line(`s-sub-${n}`));
      },
      () => {
        const dir = join(projects, `-tmp-p${n}`);
        mkdirSync(dir);
        writeFileSync(join(dir, 's.jsonl'), line(`p${n}`));
      },
    ];
    for (let round = 0; round < 12; round++) {
      writes[round % writes.length]!();
      const hook = hookRecord(sb, 'Stop', `hook-${round}`, Date.now());
      if (round % 3 === 0) appendInbox(join(sb.home, 'inbox.jsonl'), hook);
      assert.equal((await report(sb)).totals.outputTokens, expected, `round ${round}: the write just made is counted`);
      if (round % 3 === 0)
        assert.equal(query(sb, 'SELECT event_id FROM hook_events WHERE event_id = ?', hook.id).length, 1, `round ${round}: hook applied`);
      // Nothing written since: answered from the pass just made, still exact.
      assert.equal((await report(sb)).totals.outputTokens, expected, `round ${round}: again, nothing new`);
    }
    assert.ok(vouched(sb) >= before + 6, `most unchanged reports skip the pass (${vouched(sb) - before} did)`);

    const warm = await report(sb);
    daemon.kill('SIGTERM');
    await new Promise((r) => daemon?.once('exit', r));
    daemon = null;
    const own = await report(sb); // no consolidator: a pass of its own
    delete warm.generatedAt;
    delete own.generatedAt;
    assert.deepEqual(warm, own, 'the answered report equals a forced pass');
  } finally {
    daemon?.kill('SIGKILL');
    sb.cleanup();
  }
});

test('a profile edited while the live consolidator vouches is in the next quota.json it answers with', async () => {
  const sb = sandbox({ CCX_IDLE_MS: '120000' });
  const enforced = (): unknown =>
    (JSON.parse(readFileSync(join(sb.home, 'quota.json'), 'utf8')) as { profiles: Record<string, { enforce?: unknown }> }).profiles.work
      ?.enforce;
  registerWork(sb);
  mkdirSync(join(sb.configDir, 'projects', '-tmp-a'), { recursive: true });
  writeFileSync(join(sb.configDir, 'projects', '-tmp-a', 's1.jsonl'), assistantLine({ id: 'msg-1', session: 's1', output: 5 }));
  await withLiveDaemon(sb, async () => {
    await report(sb);
    const before = vouched(sb);
    await report(sb);
    assert.ok(vouched(sb) > before, 'the daemon vouches while nothing changes');
    assert.equal(enforced(), false);

    registerWork(sb, 'enforce = true\n');
    const once = await runNode(join(DIST, 'consolidator.js'), ['--once'], { env: sb.env, timeoutMs: 60_000 });
    assert.equal(once.code, 0, once.stderr);
    assert.equal(enforced(), true, 'the answer waited for a quota.json with the edited profile');
  });
});

test("a report in another zone has the live consolidator build that zone's day pieces before it answers", async () => {
  const sb = sandbox({ CCX_IDLE_MS: '120000' });
  registerWork(sb);
  const dir = join(sb.configDir, 'projects', '-tmp-a');
  mkdirSync(dir, { recursive: true });
  // 20:00 and 17:00 UTC: one UTC day, two days in Kolkata (+05:30).
  const lines = [
    assistantLine({ id: 'm1', session: 's1', output: 3, ts: '2026-11-02T20:00:00.000Z' }),
    assistantLine({ id: 'm2', session: 's1', output: 4, ts: '2026-11-02T17:00:00.000Z' }),
  ];
  writeFileSync(join(dir, 's1.jsonl'), lines.join(''));
  const zones = () => query<{ zone: string }>(sb, 'SELECT DISTINCT zone FROM usage_days ORDER BY zone').map((r) => r.zone);
  await withLiveDaemon(sb, async () => {
    await report(sb);
    assert.deepEqual(zones(), ['UTC']);
    const r = await runNode(join(DIST, 'ccx-report.js'), ['daily', '--json', '--timezone', 'Asia/Kolkata'], {
      env: sb.env,
      timeoutMs: 60_000,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(zones(), ['Asia/Kolkata', 'UTC'], 'built before the answer');
    const kolkata = JSON.parse(r.stdout) as { daily: { date: string; outputTokens: number }[] };
    assert.deepEqual(
      kolkata.daily.map((d) => [d.date, d.outputTokens]),
      [
        ['2026-11-02', 4],
        ['2026-11-03', 3],
      ],
    );
  });
});
