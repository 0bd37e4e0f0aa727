// What the real Codex CLI does with command hooks: the trust hash it expects (checked against
// hooks/list), the stdin payload of every event, and where a hook's systemMessage reaches the
// user. Uses a recorder hook of its own, not ccx's. CCX_E2E_WRITE_FIXTURES=1 also refreshes
// test/fixtures/codex/hook-payloads/ (sanitized: the temp home becomes /home/user).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from './claude-cli';
import { codexSuite } from './codex-cli';
import {
  type CodexBox,
  type CodexHookSpec,
  type CodexRun,
  codexHooksList,
  hooksToml,
  hookTrustToml,
  installTrustedHooks,
  makeCodexBox,
  runCodex,
  startAppServer,
} from './codex-harness';
import { type CodexStub, codexTokenUsage, startCodexStub } from './codex-stub';

const WRITE_FIXTURES = process.env.CCX_E2E_WRITE_FIXTURES === '1';
const PAYLOADS = join(REPO_ROOT, 'test', 'fixtures', 'codex', 'hook-payloads');

/** Every event Codex 0.169 runs command hooks for, in its config spelling. */
const EVENTS = [
  'SessionStart',
  'UserPromptSubmit',
  'PreModelRequest',
  'PostModelRequest',
  'PreToolUse',
  'PermissionRequest',
  'PostToolUse',
  'PreCompact',
  'PostCompact',
  'SubagentStart',
  'SubagentStop',
  'Stop',
  'SessionEnd',
] as const;

/** The stdin fields of each event's payload, besides cwd, hook_event_name, session_id, transcript_path. */
const PAYLOAD_FIELDS: Record<(typeof EVENTS)[number], string[]> = {
  SessionStart: ['model', 'permission_mode', 'source'],
  UserPromptSubmit: ['model', 'permission_mode', 'prompt', 'turn_id'],
  PreModelRequest: ['model', 'turn_id'],
  PostModelRequest: ['error', 'model', 'status', 'token_usage', 'turn_id'],
  PreToolUse: ['model', 'permission_mode', 'tool_input', 'tool_name', 'tool_use_id', 'turn_id'],
  PermissionRequest: ['model', 'permission_mode', 'tool_input', 'tool_name', 'turn_id'],
  PostToolUse: ['model', 'permission_mode', 'tool_input', 'tool_name', 'tool_response', 'tool_use_id', 'turn_id'],
  PreCompact: ['model', 'trigger', 'turn_id'],
  PostCompact: ['model', 'trigger', 'turn_id'],
  SubagentStart: ['agent_id', 'agent_type', 'model', 'permission_mode', 'turn_id'],
  SubagentStop: [
    'agent_id',
    'agent_transcript_path',
    'agent_type',
    'last_assistant_message',
    'model',
    'permission_mode',
    'stop_hook_active',
    'turn_id',
  ],
  Stop: ['last_assistant_message', 'model', 'permission_mode', 'stop_hook_active', 'turn_id'],
  SessionEnd: ['reason'],
};
const COMMON_FIELDS = ['cwd', 'hook_event_name', 'session_id', 'transcript_path'];

// Appends {"event", "ccxHome", "payload"} to $2 per call: proves both stdin and env reach the
// hook. With $3 set, also answers a systemMessage.
const RECORDER = `p=$(cat)
printf '%s\\n' "{\\"event\\":\\"$1\\",\\"ccxHome\\":\\"$CCX_HOME\\",\\"payload\\":$p}" >> "$2"
if [ -n "$3" ]; then printf '{"systemMessage":"ccx-test %s"}' "$1"; fi
exit 0
`;

const suite = codexSuite();

interface Recorded {
  event: string;
  ccxHome: string;
  payload: Record<string, unknown>;
}

interface HookBox {
  box: CodexBox;
  stub: CodexStub;
  log: string;
  recorded(): Recorded[];
}

/** A box whose config.toml has a trusted recorder hook for each event. */
async function hookBox(o: { systemMessage?: boolean; async?: boolean } = {}): Promise<HookBox> {
  const stub = await startCodexStub();
  const box = makeCodexBox({ baseUrl: stub.baseUrl });
  suite.cleanups.push(() => stub.close(), box.cleanup);
  const recorder = join(box.root, 'record-hook.sh');
  const log = join(box.root, 'hooks.jsonl');
  writeFileSync(recorder, RECORDER);
  const hooks: CodexHookSpec[] = EVENTS.map((event) => ({
    event,
    command: `sh ${recorder} ${event} ${log}${o.systemMessage ? ' say' : ''}`,
    ...(o.async ? { async: true } : {}),
  }));
  const listed = await installTrustedHooks(suite.bin, box, hooks);
  assert.equal(listed.length, EVENTS.length);
  const recorded = () => {
    try {
      return readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Recorded);
    } catch {
      return [];
    }
  };
  return { box, stub, log, recorded };
}

/** CCX_HOME as ccx's hooks would find it: set for codex, inherited by its hooks. */
const ccxHomeOf = (h: HookBox) => join(h.box.root, 'ccx');

async function run(h: HookBox, prompt: string, o: Parameters<typeof runCodex>[3] = {}): Promise<CodexRun> {
  const r = await runCodex(suite.bin, h.box, prompt, { ...o, extraEnv: { CCX_HOME: ccxHomeOf(h), ...o.extraEnv } });
  assert.equal(r.code, 0, `codex exited ${r.code} (timed out: ${r.timedOut})\n${r.stderr.slice(-3000)}`);
  return r;
}

/** The trust hash rule of issue 15: sha256 of the normalized identity, sorted keys, no spaces. */
function trustHash(identity: Record<string, unknown>): string {
  const sorted = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sorted)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v)
              .sort(([a], [b]) => (a < b ? -1 : 1))
              .map(([k, x]) => [k, sorted(x)]),
          )
        : v;
  return `sha256:${createHash('sha256')
    .update(JSON.stringify(sorted(identity)))
    .digest('hex')}`;
}

test('trust: hooks/list expects the hash of the normalized identity; trusted hooks are listed trusted', async (t) => {
  if (suite.unavailable) return t.skip(suite.unavailable);
  const stub = await startCodexStub();
  const box = makeCodexBox({ baseUrl: stub.baseUrl });
  suite.cleanups.push(() => stub.close(), box.cleanup);
  const cases: { spec: CodexHookSpec; identity: Record<string, unknown> }[] = [
    {
      spec: { event: 'PreToolUse', matcher: 'Bash', command: 'ccx-hook pre', timeout: 30 },
      identity: {
        event_name: 'pre_tool_use',
        matcher: 'Bash',
        hooks: [{ type: 'command', command: 'ccx-hook pre', timeout: 30, async: false }],
      },
    },
    {
      spec: { event: 'Stop', command: 'ccx-hook stop' },
      identity: { event_name: 'stop', hooks: [{ type: 'command', command: 'ccx-hook stop', timeout: 600, async: false }] },
    },
    {
      // A matcher on UserPromptSubmit is ignored, and left out of the identity.
      spec: { event: 'UserPromptSubmit', matcher: 'x', command: 'ccx-hook prompt', async: true },
      identity: { event_name: 'user_prompt_submit', hooks: [{ type: 'command', command: 'ccx-hook prompt', timeout: 600, async: true }] },
    },
    {
      spec: { event: 'SessionEnd', command: 'ccx-hook end' },
      identity: { event_name: 'session_end', hooks: [{ type: 'command', command: 'ccx-hook end', timeout: 1, async: false }] },
    },
    {
      // SessionEnd cannot be async (listed and run as sync), but the hash keeps async: true.
      spec: { event: 'SessionEnd', command: 'ccx-hook end3', async: true },
      identity: { event_name: 'session_end', hooks: [{ type: 'command', command: 'ccx-hook end3', timeout: 1, async: true }] },
    },
    {
      spec: { event: 'SessionEnd', command: 'ccx-hook end2', timeout: 10 },
      identity: { event_name: 'session_end', hooks: [{ type: 'command', command: 'ccx-hook end2', timeout: 3, async: false }] },
    },
  ];
  const config = join(box.codexHome, 'config.toml');
  writeFileSync(config, `${readFileSync(config, 'utf8')}\n${hooksToml(cases.map((c) => c.spec))}`);
  const listed = (await codexHooksList(suite.bin, box)).flatMap((e) => e.hooks);
  const byCommand = (cmd: string) => listed.find((h) => h.command === cmd);
  for (const c of cases) {
    const h = byCommand(c.spec.command);
    assert.ok(h, `${c.spec.command} listed`);
    assert.equal(h.trustStatus, 'untrusted');
    assert.equal(h.currentHash, trustHash(c.identity), `hash of ${JSON.stringify(c.identity)}`);
    assert.equal(h.timeoutSec, (c.identity.hooks as { timeout: number }[])[0]?.timeout);
  }
  // Keys are <config path>:<snake event>:<group index among that event's>:<handler index>.
  assert.equal(byCommand('ccx-hook end2')?.key, `${config}:session_end:2:0`);

  writeFileSync(
    config,
    `${readFileSync(config, 'utf8')}\n${hookTrustToml(cases.map((c) => ({ key: byCommand(c.spec.command)?.key ?? '', hash: trustHash(c.identity) })))}`,
  );
  const after = (await codexHooksList(suite.bin, box)).flatMap((e) => e.hooks);
  assert.deepEqual(
    after.map((h) => h.trustStatus),
    cases.map(() => 'trusted'),
  );
});

test('hooks.json: the same hash rule, keyed by its own path, trusted from config.toml; matcher Bash matches the shell tool', async (t) => {
  if (suite.unavailable) return t.skip(suite.unavailable);
  const stub = await startCodexStub();
  const box = makeCodexBox({ baseUrl: stub.baseUrl });
  suite.cleanups.push(() => stub.close(), box.cleanup);
  const ran = join(box.root, 'ran.txt');
  const hooksJson = join(box.codexHome, 'hooks.json');
  const pre = `echo pre >> ${ran}`;
  const stop = `echo stop >> ${ran}`;
  writeFileSync(
    hooksJson,
    JSON.stringify({
      hooks: {
        PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: pre }] }],
        Stop: [{ hooks: [{ type: 'command', command: stop, timeout: 5 }] }],
      },
    }),
  );
  const listed = (await codexHooksList(suite.bin, box)).flatMap((e) => e.hooks);
  const want = [
    {
      key: `${hooksJson}:pre_tool_use:0:0`,
      hash: trustHash({
        event_name: 'pre_tool_use',
        matcher: 'Bash',
        hooks: [{ type: 'command', command: pre, timeout: 600, async: false }],
      }),
    },
    {
      key: `${hooksJson}:stop:0:0`,
      hash: trustHash({ event_name: 'stop', hooks: [{ type: 'command', command: stop, timeout: 5, async: false }] }),
    },
  ];
  assert.deepEqual(
    listed.map((h) => ({ key: h.key, hash: h.currentHash })),
    want,
  );
  const config = join(box.codexHome, 'config.toml');
  writeFileSync(config, `${readFileSync(config, 'utf8')}\n${hookTrustToml(want)}`);
  await runCodex(suite.bin, box, 'TOOL:echo hi');
  assert.equal(readFileSync(ran, 'utf8'), 'pre\nstop\n');
});

test('payloads: every event runs trusted hooks with the documented stdin fields', async (t) => {
  if (suite.unavailable) return t.skip(suite.unavailable);
  const h = await hookBox();
  const first = await run(h, 'TOOL:echo hi');
  await run(h, 'after resume', { resume: first.threadId });
  await run(h, 'SPAWN:say hello from the sub-agent');
  await run(h, 'TOOL!:echo reviewed > approved.txt', { bypassApprovals: false, extraArgs: ['--approve-for-me'] });
  // The stub's first response reports 1000 input tokens: over this limit, Codex compacts.
  await run(h, 'TOOL:echo before compaction', { extraArgs: ['-c', 'model_auto_compact_token_limit=500'] });

  const recorded = h.recorded();
  const seen = new Set(recorded.map((r) => r.event));
  assert.deepEqual(
    EVENTS.filter((e) => !seen.has(e)),
    [],
    'every event fired',
  );
  for (const r of recorded) {
    const p = r.payload;
    assert.equal(p.hook_event_name, r.event);
    assert.equal(r.ccxHome, ccxHomeOf(h), `${r.event} hook inherits codex's environment`);
    // A sub-agent's model requests run the parent's hooks, naming the sub-agent.
    const subagent = /ModelRequest$/.test(r.event) && 'agent_id' in p ? ['agent_id', 'agent_type'] : [];
    const want = [...COMMON_FIELDS, ...PAYLOAD_FIELDS[r.event as (typeof EVENTS)[number]], ...subagent].sort();
    assert.deepEqual(Object.keys(p).sort(), want, `${r.event} payload fields`);
  }
  const post = recorded.filter((r) => r.event === 'PostModelRequest').map((r) => r.payload.token_usage);
  const firstUsage = h.stub.responses[0]?.usage;
  assert.ok(firstUsage);
  assert.deepEqual(post[0], codexTokenUsage(firstUsage), 'PostModelRequest: the usage of that response');
  const sources = recorded.filter((r) => r.event === 'SessionStart').map((r) => r.payload.source);
  for (const s of ['startup', 'resume', 'compact']) assert.ok(sources.includes(s), `SessionStart source ${s} in ${sources}`);
  const pre = recorded.find((r) => r.event === 'PreToolUse')?.payload;
  assert.deepEqual(pre?.tool_input, { command: 'echo hi' });
  assert.equal(pre?.tool_name, 'Bash', 'exec_command is Bash to hooks');
  const postTool = recorded.find((r) => r.event === 'PostToolUse')?.payload;
  assert.equal(postTool?.tool_use_id, pre?.tool_use_id);
  assert.equal(postTool?.tool_response, 'hi\n');
  const subStart = recorded.find((r) => r.event === 'SubagentStart')?.payload;
  assert.equal(typeof subStart?.agent_id, 'string');

  if (WRITE_FIXTURES) {
    rmSync(PAYLOADS, { recursive: true, force: true });
    mkdirSync(PAYLOADS, { recursive: true });
    const sanitize = (v: unknown) =>
      JSON.parse(JSON.stringify(v).split(h.box.home).join('/home/user').split(h.box.root).join('/tmp/ccx-codex-fixture'));
    const written = new Set<string>();
    for (const r of recorded) {
      const name = r.event === 'SessionStart' ? `SessionStart-${r.payload.source}` : r.event;
      if (written.has(name)) continue;
      written.add(name);
      writeFileSync(join(PAYLOADS, `${name}.json`), `${JSON.stringify(sanitize(r.payload), null, 2)}\n`);
    }
  }
});

test('systemMessage of a sync hook: listed as a warning entry by the app-server, shown nowhere by codex exec', async (t) => {
  if (suite.unavailable) return t.skip(suite.unavailable);
  const h = await hookBox({ systemMessage: true });
  const r = await run(h, 'TOOL:echo hi');
  assert.doesNotMatch(r.stdout + r.stderr, /ccx-test/, 'exec --json prints no hook systemMessage');
  const human = await run(h, 'TOOL:echo hi', { humanOutput: true });
  assert.doesNotMatch(human.stdout + human.stderr, /ccx-test/, 'nor does the human output');
  assert.match(human.stderr, /hook: Stop Completed/);

  const srv = await startAppServer(suite.bin, h.box);
  try {
    const thread = (await srv.request('thread/start', { cwd: h.box.cwd })) as { thread: { id: string } };
    await srv.request('turn/start', { threadId: thread.thread.id, input: [{ type: 'text', text: 'TOOL:echo hi' }] });
    await srv.waitFor('turn/completed');
    const warned = srv.notifications
      .filter((n) => n.method === 'hook/completed')
      .flatMap((n) => ((n.params.run as { entries: { kind: string; text: string }[] }).entries ?? []).filter((e) => e.kind === 'warning'))
      .map((e) => e.text);
    assert.deepEqual(
      warned,
      ['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'Stop'].map((e) => `ccx-test ${e}`),
    );
  } finally {
    srv.close();
  }
});

test('systemMessage of an async hook: a warning, in exec --json an item of type error', async (t) => {
  if (suite.unavailable) return t.skip(suite.unavailable);
  const h = await hookBox({ systemMessage: true, async: true });
  const listed = (await codexHooksList(suite.bin, h.box)).flatMap((e) => e.hooks);
  // SessionEnd cannot be async: listed as sync, and run so with a warning.
  assert.deepEqual(
    listed.filter((x) => x.async !== true).map((x) => x.eventName),
    ['sessionEnd'],
  );
  const r = await run(h, 'TOOL:echo hi');
  const errors = r.events
    .filter((e) => e.type === 'item.completed' && (e.item as { type?: string }).type === 'error')
    .map((e) => (e.item as { message: string }).message);
  assert.ok(errors.includes(`running async SessionEnd hook synchronously in ${join(h.box.codexHome, 'config.toml')}`), errors.join('\n'));
  // Each arrives when its hook has finished, so later than the event; Stop's, if any, after exec is done.
  for (const e of ['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PostToolUse'])
    assert.ok(errors.includes(`ccx-test ${e}`), `${e} in ${errors}`);
  assert.ok(!errors.some((m) => /ccx-test (Pre|Post)ModelRequest/.test(m)), 'model request hooks show nothing');
});

test("an async Stop hook's systemMessage reaches the user only with the next turn", async (t) => {
  if (suite.unavailable) return t.skip(suite.unavailable);
  const h = await hookBox({ systemMessage: true, async: true });
  const srv = await startAppServer(suite.bin, h.box);
  try {
    const thread = (await srv.request('thread/start', { cwd: h.box.cwd })) as { thread: { id: string } };
    const turns = () => srv.notifications.filter((n) => n.method === 'turn/completed').length;
    for (const prompt of ['first', 'second']) {
      const before = turns();
      await srv.request('turn/start', { threadId: thread.thread.id, input: [{ type: 'text', text: prompt }] });
      await srv.waitFor('turn/completed', () => turns() > before);
    }
    const methods = srv.notifications.map((n) => (n.method === 'warning' ? `warning:${String(n.params.message)}` : n.method));
    const secondStart = methods.lastIndexOf('turn/started');
    const stopWarning = methods.indexOf('warning:ccx-test Stop');
    assert.ok(stopWarning > secondStart, `the first turn's Stop warning comes in the second turn: ${methods.join(' ')}`);
  } finally {
    srv.close();
  }
});
