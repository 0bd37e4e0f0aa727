// Proves the harness: the real Claude Code CLI runs against the stub API in a sandbox, writes a
// transcript and fires settings.json hooks. Uses a recorder hook of its own, not ccx's hooks.
// CCX_E2E_WRITE_FIXTURES=1 also refreshes test/fixtures/{hook-payloads,transcripts-real} (do it
// after bumping the pinned Claude Code version).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { HOOK_EVENT_NAMES, HOOK_EVENTS, type HookEventName } from '../../lib/contracts/hook-input';
import { ensureClaude, REPO_ROOT } from './claude-cli';
import { makeSandbox, type RunResult, runClaude, type Sandbox } from './harness';
import { type Reply, rateLimited, type StubApi, startStubApi, text, toolUse, unauthorized } from './stub-api';

const WRITE_FIXTURES = process.env.CCX_E2E_WRITE_FIXTURES === '1';

// Appends {event, ccxHome, payload} per hook call: proves both stdin and env reach the hook.
// Plain sh, not node: in -p mode Claude Code kills a StopFailure hook that is still starting up
// when the run ends, and node's ~40 ms start-up loses that race most of the time.
const RECORDER = `p=$(cat)
printf '%s\\n' "{\\"event\\":\\"$2\\",\\"ccxHome\\":\\"$CCX_HOME\\",\\"payload\\":$p}" >> "$1"
`;

interface Recorded {
  event: HookEventName;
  ccxHome: string;
  payload: Record<string, unknown>;
}

interface Session {
  box: Sandbox;
  api: StubApi;
  run: RunResult;
  hooks: Recorded[];
  transcripts: string[];
}

let claude = '';
const sessions: Session[] = [];

before(
  async () => {
    claude = await ensureClaude();
  },
  { timeout: 11 * 60_000 },
);

after(async () => {
  for (const s of sessions) {
    await s.api.close();
    await s.box.cleanup();
  }
});

async function session(prompt: string, script: Reply[], extraArgs: string[] = []): Promise<Session> {
  const box = makeSandbox();
  const api = await startStubApi({ script });
  const recorder = join(box.root, 'record-hook.sh');
  const log = join(box.root, 'hooks.jsonl');
  writeFileSync(recorder, RECORDER);
  writeRecorderSettings(box.configDir, recorder, log);
  const run = await runClaude(claude, { ...box, apiUrl: api.url, prompt, extraArgs });
  const hooks = existsSync(log)
    ? readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Recorded)
    : [];
  const s = { box, api, run, hooks, transcripts: findJsonl(join(box.configDir, 'projects')) };
  sessions.push(s);
  return s;
}

/** settings.json with the recorder as the one command hook of every event in HOOK_EVENTS. */
function writeRecorderSettings(configDir: string, recorder: string, log: string): void {
  const hooks: Record<string, unknown[]> = {};
  for (const event of HOOK_EVENT_NAMES) {
    const command = ['/bin/sh', recorder, log, event].map(shellArg).join(' ');
    const entry = { hooks: [{ type: 'command', command, timeout: 10 }] };
    hooks[event] = [event === 'PreToolUse' ? { matcher: '*', ...entry } : entry];
  }
  writeFileSync(join(configDir, 'settings.json'), `${JSON.stringify({ hooks }, null, 2)}\n`);
}

/** Quote for /bin/sh only when needed, so plain paths stay readable in the saved fixtures. */
function shellArg(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function findJsonl(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.jsonl'))
    .map((f) => join(dir, f));
}

function payloadOf(s: Session, event: HookEventName): Record<string, unknown> {
  const hit = s.hooks.find((h) => h.event === event);
  assert.ok(hit, `${event} hook did not fire; fired: ${s.hooks.map((h) => h.event).join(', ')}`);
  return hit.payload;
}

/** The sandbox's temp paths as they would look on a user's machine. */
function tidy(textIn: string, box: Sandbox): string {
  const encode = (p: string) => p.replace(/[^A-Za-z0-9]/g, '-');
  return (
    textIn
      .split(box.home)
      .join('/home/user')
      .split(encode(box.home))
      .join('-home-user')
      // what is left is the sandbox's own files, e.g. the recorder hook's command line
      .split(box.root)
      .join('/home/user/.cache/ccx-e2e')
  );
}

function saveFixture(rel: string, content: string): void {
  const path = join(REPO_ROOT, 'test', 'fixtures', rel);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
}

function describeRun(s: Session): string {
  return `code=${s.run.code} signal=${s.run.signal} timedOut=${s.run.timedOut}\nstderr: ${s.run.stderr.slice(0, 2000)}`;
}

describe('claude -p against the stub API', () => {
  test('say hi: exits 0, calls the API, writes a transcript, fires hooks with CCX_HOME', { timeout: 150_000 }, async (t) => {
    const s = await session('say hi', []);
    t.diagnostic(`claude -p took ${s.run.ms} ms`);
    assert.equal(s.run.code, 0, describeRun(s));
    const main = s.api.requests.filter((r) => r.path === '/v1/messages' && !r.side);
    assert.equal(main.length, 1, 'one main-thread /v1/messages request');
    assert.deepEqual(s.api.unknownPaths, []);
    const result = s.run.events.find((e) => e.type === 'result');
    assert.equal(result?.result, 'ok');

    assert.equal(s.transcripts.length, 1, 'one transcript under projects/');
    const sessionId = payloadOf(s, 'SessionStart').session_id;
    assert.ok(s.transcripts[0]?.endsWith(`${String(sessionId)}.jsonl`));

    assert.deepEqual(
      s.hooks.map((h) => h.event),
      ['SessionStart', 'UserPromptSubmit', 'Stop', 'SessionEnd'],
    );
    for (const h of s.hooks) {
      assert.equal(h.payload.hook_event_name, h.event);
      assert.equal(h.payload.session_id, sessionId);
      assert.equal(h.payload.transcript_path, s.transcripts[0]);
      assert.equal(h.ccxHome, s.box.ccxHome, 'hooks inherit CCX_HOME from claude');
    }
    assert.equal(payloadOf(s, 'UserPromptSubmit').prompt, 'say hi');
    assert.equal(payloadOf(s, 'Stop').last_assistant_message, 'ok');
  });

  test('a Bash tool call fires PreToolUse and lands in the transcript', { timeout: 150_000 }, async (t) => {
    const s = await session(
      'run echo hi',
      [toolUse('Bash', { command: 'echo hi', description: 'Print hi' }, 'Running it.'), text('done')],
      ['--allowedTools', 'Bash(echo hi)'],
    );
    t.diagnostic(`claude -p took ${s.run.ms} ms`);
    assert.equal(s.run.code, 0, describeRun(s));
    assert.equal(s.api.pending(), 0, 'both scripted replies were used');
    const pre = payloadOf(s, 'PreToolUse');
    assert.equal(pre.tool_name, 'Bash');
    assert.deepEqual(pre.tool_input, { command: 'echo hi', description: 'Print hi' });

    const transcript = readFileSync(s.transcripts[0] ?? '', 'utf8');
    const lines = transcript
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const assistant = lines.filter((l) => l.type === 'assistant');
    // One line per content block: the text+tool_use response is written twice under one id.
    assert.equal(assistant.length, 3, 'three content blocks recorded');
    assert.equal(new Set(assistant.map((a) => (a.message as { id: string }).id)).size, 2, 'two API responses');
    for (const a of assistant) {
      const msg = a.message as { id: string; usage?: Record<string, unknown> };
      assert.match(msg.id, /^msg_stub_/);
      assert.match(String(a.requestId), /^req_stub_/);
      assert.ok(msg.usage && 'cache_creation' in msg.usage, 'usage carries the cache split');
    }
    assert.match(transcript, /"tool_result"/);

    if (WRITE_FIXTURES) {
      for (const event of ['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'Stop', 'SessionEnd'] as const) {
        saveFixture(`hook-payloads/${HOOK_EVENTS[event]}.json`, `${tidy(JSON.stringify(payloadOf(s, event), null, 2), s.box)}\n`);
      }
      saveFixture('transcripts-real/sample.jsonl', tidy(transcript, s.box));
    }
  });

  // In -p mode Claude Code kills a StopFailure hook still starting when the run ends, so under
  // load even sh can lose that race: the failure is then only in the transcript.
  test('a 429 ends the turn with StopFailure error=rate_limit (or its transcript record) and no Stop', { timeout: 150_000 }, async (t) => {
    const s = await session('say hi', [rateLimited(5)]);
    assert.notEqual(s.run.code, 0, describeRun(s));
    assert.ok(!s.hooks.some((h) => h.event === 'Stop'));
    const failure = s.hooks.find((h) => h.event === 'StopFailure')?.payload;
    if (failure) {
      assert.equal(failure.error, 'rate_limit');
      if (WRITE_FIXTURES) saveFixture('hook-payloads/stop-failure.json', `${tidy(JSON.stringify(failure, null, 2), s.box)}\n`);
      return;
    }
    t.diagnostic('StopFailure hook was cut off at exit; checking the transcript instead');
    const lines = s.transcripts.flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    );
    assert.ok(
      lines.some((l) => l.isApiErrorMessage === true && l.error === 'rate_limit'),
      'the transcript records the rate_limit error',
    );
  });

  test('a 401 ends the turn with StopFailure error=authentication_failed', { timeout: 150_000 }, async () => {
    // In -p, Claude Code may exit before its StopFailure hook has run (seen on a loaded machine):
    // up to three sessions, for one where the hook got to record.
    let s = await session('say hi', [unauthorized(5)]);
    for (let retry = 0; retry < 2 && !s.hooks.some((h) => h.event === 'StopFailure'); retry++)
      s = await session('say hi', [unauthorized(5)]);
    assert.notEqual(s.run.code, 0, describeRun(s));
    assert.equal(payloadOf(s, 'StopFailure').error, 'authentication_failed');
    assert.ok(!s.hooks.some((h) => h.event === 'Stop'));
  });
});
