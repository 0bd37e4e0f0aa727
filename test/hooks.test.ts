// Every hook as a real process: valid events land in the inbox whole, bad input is logged and
// dropped, and in every case the hook exits 0 by itself with nothing or one JSON object on stdout.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { HOOK_EVENT_NAMES, type HookEventName, PAYLOAD_TEXT_FIELDS } from '../lib/contracts/hook-input';
import { consolidateOnce, hookScript, type ProcResult, payload, query, ROOT, runHook, type Sandbox, sandbox, sleep } from './helpers/ccx';

const EXTRA: Partial<Record<HookEventName, Record<string, unknown>>> = {
  SessionStart: { source: 'startup', model: 'claude-sonnet-4-5-20250929' },
  UserPromptSubmit: { prompt: 'fix the bug' },
  PreToolUse: { tool_name: 'Bash', tool_input: { command: 'ls' }, tool_use_id: 'toolu_01' },
  Stop: { stop_hook_active: false, last_assistant_message: 'done' },
  StopFailure: { error: 'rate_limit', error_details: '429 Too Many Requests' },
  SubagentStop: { agent_id: 'a1', agent_type: 'Explore', stop_hook_active: false },
  SessionEnd: { reason: 'prompt_input_exit' },
  PreCompact: { trigger: 'auto', custom_instructions: '' },
  PostCompact: { trigger: 'auto', compact_summary: 'summary' },
  Notification: { message: 'Claude needs your permission', notification_type: 'permission_prompt' },
};

function inboxLines(sb: Sandbox): Record<string, any>[] {
  const p = join(sb.home, 'inbox.jsonl');
  if (!existsSync(p)) return [];
  const text = readFileSync(p, 'utf8');
  assert.ok(text === '' || text.endsWith('\n'), 'inbox ends with a newline');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

const hooksLog = (sb: Sandbox) => {
  const p = join(sb.home, 'logs', 'hooks.log');
  return existsSync(p) ? readFileSync(p, 'utf8') : '';
};

/** Keeps the consolidator out of these tests: a fresh lock looks alive, so no hook spawns one. */
function pretendConsolidatorAlive(sb: Sandbox) {
  mkdirSync(join(sb.home, 'consolidator.lock'), { recursive: true });
}

function assertCleanExit(r: ProcResult) {
  assert.equal(r.signal, null, `exited by itself (stderr: ${r.stderr})`);
  assert.equal(r.code, 0);
}

test('each hook appends its event, with profile, id, time and unknown fields kept', async () => {
  const sb = sandbox();
  pretendConsolidatorAlive(sb);
  try {
    for (const event of HOOK_EVENT_NAMES) {
      const r = await runHook(event, payload(event, 'sess-1', sb, EXTRA[event]), sb, { profile: 'work' });
      assertCleanExit(r);
      assert.equal(r.stdout, '', `${event} prints nothing at quota ok`);
    }
    const lines = inboxLines(sb);
    assert.deepEqual(
      lines.map((l) => l.event),
      HOOK_EVENT_NAMES,
    );
    assert.equal(new Set(lines.map((l) => l.id)).size, lines.length, 'event ids are unique');
    for (const l of lines) {
      assert.equal(l.profile, 'work');
      assert.equal(l.config_dir, sb.configDir);
      assert.equal(l.kind, 'hook');
      assert.equal(typeof l.received_at, 'number');
      assert.deepEqual(l.payload.future_field, { nested: [1, 2, 3] });
      assert.equal(l.payload.session_id, 'sess-1');
    }
    assert.equal(lines[2]!.payload.tool_input.command, 'ls');
    assert.equal(hooksLog(sb), '');
  } finally {
    sb.cleanup();
  }
});

test("Claude Code's real payloads (2.1.329 fixtures) pass validation and land in SQLite, users' texts left out", async () => {
  const sb = sandbox();
  try {
    const dir = join(ROOT, 'test', 'fixtures', 'hook-payloads');
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    assert.ok(files.length >= 6, 'the fixtures are there');
    const sent: Record<string, any>[] = [];
    for (const f of files) {
      const p = JSON.parse(readFileSync(join(dir, f), 'utf8'));
      sent.push(p);
      const r = await runHook(p.hook_event_name, p, sb, { profile: 'work' });
      assertCleanExit(r);
    }
    consolidateOnce(sb);
    const stored = query<{ event: string; payload: string }>(sb, 'SELECT event, payload FROM hook_events');
    assert.equal(stored.length, files.length);
    const texts = new Set<string>(PAYLOAD_TEXT_FIELDS);
    assert.ok(
      sent.some((p) => Object.keys(p).some((k) => texts.has(k))),
      'the fixtures carry texts to leave out',
    );
    for (const p of sent) {
      const row = stored.find((s) => s.event === p.hook_event_name);
      const kept = Object.fromEntries(Object.entries(p).filter(([k]) => !texts.has(k)));
      assert.deepEqual(JSON.parse(row!.payload), kept, `${p.hook_event_name} kept every other field`);
    }
  } finally {
    sb.cleanup();
  }
});

test('without --profile the config dir comes from the transcript path when CLAUDE_CONFIG_DIR is unset', async () => {
  const sb = sandbox();
  pretendConsolidatorAlive(sb);
  try {
    const env = { ...sb.env };
    delete env.CLAUDE_CONFIG_DIR;
    const p = { ...payload('Stop', 'sess-2', sb), transcript_path: '/home/u/.claude-work/projects/-x/sess-2.jsonl' };
    assertCleanExit(await runHook('Stop', p, sb, { env }));
    const [line] = inboxLines(sb);
    assert.equal(line!.profile, null);
    assert.equal(line!.config_dir, '/home/u/.claude-work');
  } finally {
    sb.cleanup();
  }
});

test('stdin left open after a complete event: the hook does not wait for EOF', async () => {
  const sb = sandbox();
  pretendConsolidatorAlive(sb);
  try {
    const r = await runHook('PreToolUse', payload('PreToolUse', 'sess-3', sb, EXTRA.PreToolUse), sb, { keepStdinOpen: true });
    assertCleanExit(r);
    assert.equal(inboxLines(sb).length, 1);
  } finally {
    sb.cleanup();
  }
});

// Claude Code hands hooks a socket; a user's shell pipeline hands a FIFO, a redirect a file.
// The hook takes what is already there without blocking, and waits on the stream only when the
// event is not whole yet.
test('stdin as a FIFO or a regular file: the event is read whole', async () => {
  const sb = sandbox();
  pretendConsolidatorAlive(sb);
  try {
    const file = join(sb.root, 'event.json');
    writeFileSync(file, JSON.stringify(payload('Stop', 'sess-file', sb)));
    const hook = hookScript('Stop');
    for (const cmd of [`cat "${file}" | "${process.execPath}" "${hook}"`, `"${process.execPath}" "${hook}" < "${file}"`]) {
      const r = spawnSync('sh', ['-c', cmd], { env: sb.env, encoding: 'utf8', timeout: 20_000 });
      assert.equal(r.status, 0, r.stderr);
    }
    assert.deepEqual(
      inboxLines(sb).map((l) => l.payload.session_id),
      ['sess-file', 'sess-file'],
    );
    assert.equal(hooksLog(sb), '');
  } finally {
    sb.cleanup();
  }
});

test("without Node's internal pipe binding (permission model) the hook reads stdin as a stream", () => {
  const sb = sandbox();
  pretendConsolidatorAlive(sb);
  try {
    const flags = ['--experimental-permission', '--allow-fs-read=*', '--allow-fs-write=*'];
    const probe = spawnSync(process.execPath, [...flags, '-e', "process.binding('pipe_wrap')"], { encoding: 'utf8' });
    assert.notEqual(probe.status, 0, 'the binding is refused there, so this exercises the fallback');
    const r = spawnSync(process.execPath, [...flags, hookScript('Stop')], {
      env: sb.env,
      input: JSON.stringify(payload('Stop', 'sess-perm', sb)),
      encoding: 'utf8',
      timeout: 20_000,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.deepEqual(
      inboxLines(sb).map((l) => l.payload.session_id),
      ['sess-perm'],
    );
  } finally {
    sb.cleanup();
  }
});

test('an event that arrives in pieces, after the hook started, is read whole', async () => {
  const sb = sandbox();
  pretendConsolidatorAlive(sb);
  try {
    const text = JSON.stringify(payload('Stop', 'sess-late', sb));
    const child = spawn(process.execPath, [hookScript('Stop')], { env: sb.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((done) => child.on('close', done));
    await sleep(400);
    child.stdin.write(text.slice(0, 20));
    await sleep(300);
    child.stdin.end(text.slice(20));
    assert.equal(await exited, 0);
    assert.deepEqual(
      inboxLines(sb).map((l) => l.payload.session_id),
      ['sess-late'],
    );
  } finally {
    sb.cleanup();
  }
});

type BadCase = { name: string; raw?: string | Buffer; payload?: unknown; keepStdinOpen?: boolean; log: RegExp; event?: HookEventName };

const BAD: BadCase[] = [
  { name: '11 MiB of stdin', raw: Buffer.alloc(11 * 1024 * 1024, 0x20), log: /over the limit/ },
  {
    name: 'stdin that never closes, mid-object',
    raw: '{"session_id":"abc",',
    keepStdinOpen: true,
    log: /stdin idle for 2000 ms without EOF/,
  },
  { name: 'empty stdin', raw: '', log: /empty stdin/ },
  { name: 'not JSON', raw: 'hello there', log: /not JSON/ },
  { name: 'a JSON array', raw: '[{"session_id":"a"}]', log: /the hook input must be a JSON object/ },
  { name: 'session_id with "/"', payload: { session_id: 'a/b' }, log: /session_id must match/ },
  { name: 'session_id ".."', payload: { session_id: '..' }, log: /session_id must match/ },
  { name: 'session_id with a newline', payload: { session_id: 'ab\ncd' }, log: /session_id must match/ },
  { name: 'session_id of 200 chars', payload: { session_id: 'a'.repeat(200) }, log: /session_id must match/ },
  {
    name: 'hook_event_name of another event',
    payload: { hook_event_name: 'PreToolUse' },
    log: /hook_event_name must be "Stop" for this hook/,
  },
  { name: 'relative transcript_path', payload: { transcript_path: 'projects/x.jsonl' }, log: /transcript_path/ },
  { name: 'transcript_path with ".."', payload: { transcript_path: '/home/u/../../etc/passwd' }, log: /transcript_path/ },
];

for (const c of BAD) {
  test(`bad input: ${c.name} → exit 0, nothing on stdout, a log line, nothing recorded, earlier data intact`, async () => {
    const sb = sandbox();
    pretendConsolidatorAlive(sb);
    try {
      assertCleanExit(await runHook('Stop', payload('Stop', 'earlier', sb), sb));
      const before = readFileSync(join(sb.home, 'inbox.jsonl'), 'utf8');
      const base = payload('Stop', 'sess-bad', sb);
      const r = await runHook('Stop', { ...base, ...(c.payload as object) }, sb, { raw: c.raw, keepStdinOpen: c.keepStdinOpen });
      assertCleanExit(r);
      assert.equal(r.stdout, '');
      assert.match(hooksLog(sb), c.log);
      assert.equal(readFileSync(join(sb.home, 'inbox.jsonl'), 'utf8'), before);
    } finally {
      sb.cleanup();
    }
  });
}

test('unwritable CCX_HOME: exit 0, nothing on stdout', async () => {
  const sb = sandbox();
  try {
    writeFileSync(join(sb.root, 'not-a-dir'), '');
    const env = { ...sb.env, CCX_HOME: join(sb.root, 'not-a-dir', 'ccx') };
    const r = await runHook('Stop', payload('Stop', 'sess-ro', sb), sb, { env });
    assertCleanExit(r);
    assert.equal(r.stdout, '');
  } finally {
    sb.cleanup();
  }
});

test('full disk (a full tmpfs as CCX_HOME): exit 0, the failure is logged', {
  skip: !canMountTmpfs() && 'needs root to mount a tmpfs',
}, async () => {
  const sb = sandbox();
  mkdirSync(sb.home);
  spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=0700', 'tmpfs', sb.home]);
  try {
    pretendConsolidatorAlive(sb);
    // The log's first page is allocated now, so its next lines fit once the disk is full.
    mkdirSync(join(sb.home, 'logs'));
    writeFileSync(join(sb.home, 'logs', 'hooks.log'), '');
    appendFileSync(join(sb.home, 'logs', 'hooks.log'), 'x\n');
    fillDisk(join(sb.home, 'filler'));
    const r = await runHook('Stop', payload('Stop', 'sess-full', sb), sb);
    assertCleanExit(r);
    assert.equal(r.stdout, '');
    assert.match(hooksLog(sb), /ENOSPC|short write/);
  } finally {
    spawnSync('umount', [sb.home]);
    sb.cleanup();
  }
});

function canMountTmpfs(): boolean {
  return process.geteuid?.() === 0 && spawnSync('mount', ['--version']).status === 0;
}

function fillDisk(file: string): void {
  const chunk = Buffer.alloc(4096, 1);
  try {
    for (;;) appendFileSync(file, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  }
}
