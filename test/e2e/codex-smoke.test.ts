// Proves the Codex harness: the real Codex CLI runs against the stub Responses API in a sandbox
// and writes rollouts whose token_count lines carry exactly the stub's usage and rate limits.
// CCX_E2E_WRITE_FIXTURES=1 also refreshes test/fixtures/codex/ (do it after bumping the pinned
// Codex version), sanitized: the sandbox's temp home becomes /home/user.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from './claude-cli';
import { CODEX_VERSION, codexSuite } from './codex-cli';
import { type CodexBox, type CodexRun, makeCodexBox, readRollout, rolloutFiles, runCodex, tokenCounts } from './codex-harness';
import {
  type CodexStub,
  type CodexStubOptions,
  codexTokenUsage,
  type SentResponse,
  type StubRateLimits,
  startCodexStub,
} from './codex-stub';

const WRITE_FIXTURES = process.env.CCX_E2E_WRITE_FIXTURES === '1';
const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'codex');
/** Where the sandbox's temp home is moved to in the fixtures. */
const FIXTURE_HOME = '/home/user';
/**
 * Instructions and tool descriptions make a rollout ~90 KB; strings longer than this are cut in
 * the fixtures (nothing usage-related is that long), so the lines keep their shape at a tenth.
 */
const FIXTURE_MAX_STRING = 1000;

const suite = codexSuite();

interface Scenario {
  box: CodexBox;
  stub: CodexStub;
  runs: CodexRun[];
}

/** A box and a stub of its own, cleaned up after the file. */
async function scenario(opts: CodexStubOptions = {}, model?: string): Promise<Scenario> {
  const stub = await startCodexStub(opts);
  const box = makeCodexBox({ baseUrl: stub.baseUrl, ...(model ? { model } : {}) });
  suite.cleanups.push(() => stub.close(), box.cleanup);
  return { box, stub, runs: [] };
}

async function run(s: Scenario, prompt: string, o: Parameters<typeof runCodex>[3] = {}): Promise<CodexRun> {
  const r = await runCodex(suite.bin, s.box, prompt, o);
  assert.equal(r.code, 0, `codex exited ${r.code} (timed out: ${r.timedOut})\n${r.stderr.slice(-3000)}`);
  assert.deepEqual(s.stub.unknownPaths, [], 'Codex called an endpoint the stub does not serve');
  s.runs.push(r);
  return r;
}

function rolloutWindow(w: NonNullable<StubRateLimits>['primary']) {
  return w ? { used_percent: w.usedPercent, window_minutes: w.windowMinutes, resets_at: w.resetAt } : null;
}

function threadIdOf(file: string): string {
  const m = /rollout-.*-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/.exec(file);
  assert.ok(m?.[1], `not a rollout file name: ${file}`);
  return m[1];
}

/**
 * The rollout of a session holds one token_usage_record and one token_count per response the
 * stub sent to that session, in order, with exactly the stub's usage and the headers' rate
 * limits; total_token_usage runs on from the sum of `totalBefore`.
 */
function assertTokenCounts(file: string, sent: SentResponse[], totalBefore: SentResponse[] = []): void {
  const lines = readRollout(file);
  const records = lines.filter((l) => l.type === 'token_usage_record').map((l) => [l.payload.response_id, l.payload.usage]);
  assert.deepEqual(
    records,
    sent.map((r) => [r.responseId, codexTokenUsage(r.usage)]),
    `${basename(file)}: one token_usage_record per response, with its id`,
  );
  const counts = tokenCounts(lines);
  const info = counts.map((c) => (c.info as { last_token_usage: unknown } | null)?.last_token_usage);
  assert.deepEqual(
    info,
    sent.map((r) => codexTokenUsage(r.usage)),
    `${basename(file)}: last_token_usage per response`,
  );
  const total = {
    input_tokens: 0,
    cached_input_tokens: 0,
    cache_write_input_tokens: 0,
    output_tokens: 0,
    reasoning_output_tokens: 0,
    total_tokens: 0,
  };
  const add = (r: SentResponse) => {
    const last = codexTokenUsage(r.usage);
    for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += last[k];
  };
  totalBefore.forEach(add);
  counts.forEach((c, i) => {
    add(sent[i] as SentResponse);
    assert.deepEqual(
      (c.info as { total_token_usage: unknown }).total_token_usage,
      total,
      `${basename(file)}: running total after response ${i}`,
    );
    // Without headers Codex 0.169 still writes rate_limits, with null windows.
    const limits = c.rate_limits as { primary: unknown; secondary: unknown } | null;
    const want = (sent[i] as SentResponse).rateLimits;
    assert.deepEqual(limits?.primary, rolloutWindow(want?.primary), `${basename(file)}: primary window of response ${i}`);
    assert.deepEqual(limits?.secondary, rolloutWindow(want?.secondary), `${basename(file)}: secondary window of response ${i}`);
  });
}

const forThread = (s: Scenario, threadId: string) => s.stub.responses.filter((r) => r.threadId === threadId);

/** test/fixtures/codex/<name>/: the rollouts as a CODEX_HOME's sessions/ tree, and truth.json. */
function writeFixture(name: string, s: Scenario, notes: Record<string, unknown> = {}): void {
  if (!WRITE_FIXTURES) return;
  const dir = join(FIXTURES, name);
  rmSync(dir, { recursive: true, force: true });
  const sanitize = (text: string) =>
    text
      .split('\n')
      .map((line) => (line ? JSON.stringify(JSON.parse(line.split(s.box.home).join(FIXTURE_HOME), trimLong)) : line))
      .join('\n');
  for (const f of rolloutFiles(s.box.codexHome)) {
    const out = join(dir, relative(s.box.codexHome, f));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, sanitize(readFileSync(f, 'utf8')));
  }
  const truth = {
    codexVersion: CODEX_VERSION,
    ...notes,
    responses: s.stub.responses.map(({ index, responseId, kind, threadId, subagent, usage, rateLimits }) => ({
      index,
      responseId,
      kind,
      threadId,
      ...(subagent ? { subagent } : {}),
      usage,
      rateLimits,
    })),
  };
  writeFileSync(join(dir, 'truth.json'), `${JSON.stringify(truth, null, 2)}\n`);
}

function trimLong(_key: string, v: unknown): unknown {
  return typeof v === 'string' && v.length > FIXTURE_MAX_STRING ? `${v.slice(0, 200)}…[fixture: ${v.length - 200} chars cut]` : v;
}

test('one turn with a shell call: the follow-up carries the output, the rollout the exact usage and rate limits', async (t) => {
  if (suite.unavailable) return t.skip(suite.unavailable);
  const s = await scenario();
  const r = await run(s, 'TOOL:echo hi');

  assert.deepEqual(
    s.stub.responses.map((x) => x.kind),
    ['shell', 'text'],
  );
  const callId = s.stub.responses[0]?.callId;
  const followUp =
    (s.stub.requests[1]?.body as { input?: { type: string; call_id?: string; output?: unknown }[] } | undefined)?.input ?? [];
  const output = followUp.find((i) => i.type === 'function_call_output' && i.call_id === callId)?.output;
  assert.match(String(output), /Process exited with code 0[\s\S]*\nhi\n/, 'the follow-up request carries the command output');
  const cmd = r.events.find((e) => (e.item as { type?: string } | undefined)?.type === 'command_execution' && e.type === 'item.completed');
  assert.equal((cmd?.item as { aggregated_output?: string } | undefined)?.aggregated_output, 'hi\n');

  const files = rolloutFiles(s.box.codexHome);
  assert.equal(files.length, 1);
  const file = files[0] as string;
  assert.equal(threadIdOf(file), r.threadId);
  const [, y, m, d] = /rollout-(\d{4})-(\d{2})-(\d{2})T/.exec(basename(file)) ?? [];
  assert.equal(relative(s.box.codexHome, dirname(file)), join('sessions', y ?? '?', m ?? '?', d ?? '?'));
  assertTokenCounts(file, s.stub.responses);
  writeFixture('tool-call', s, { prompts: ['TOOL:echo hi'] });
});

test('exec resume appends to the same rollout; the running total carries on', async (t) => {
  if (suite.unavailable) return t.skip(suite.unavailable);
  const s = await scenario();
  const first = await run(s, 'first turn');
  await run(s, 'TOOL:printf resumed', { resume: first.threadId });

  const files = rolloutFiles(s.box.codexHome);
  assert.equal(files.length, 1, 'resume writes no new rollout');
  assert.deepEqual(
    s.stub.responses.map((x) => x.kind),
    ['text', 'shell', 'text'],
  );
  assert.ok(s.stub.responses.every((x) => x.threadId === first.threadId));
  assertTokenCounts(files[0] as string, s.stub.responses);
  writeFixture('resumed', s, { prompts: ['first turn', 'TOOL:printf resumed (exec resume <id>)'] });
});

test('no rate-limit headers: token_count.rate_limits has null windows; zero cached and reasoning tokens', async (t) => {
  if (suite.unavailable) return t.skip(suite.unavailable);
  const s = await scenario({
    rateLimits: () => null,
    usage: () => ({ input_tokens: 2000, cached_tokens: 0, output_tokens: 10, reasoning_tokens: 0 }),
  });
  await run(s, 'hello without limits');
  const files = rolloutFiles(s.box.codexHome);
  assert.equal(files.length, 1);
  assertTokenCounts(files[0] as string, s.stub.responses);
  writeFixture('null-rate-limits', s, { prompts: ['hello without limits'] });
});

// The default model (gpt-6.1-sol) spawns through the `collaboration` namespace (multi-agent v2);
// a model without metadata (gpt-5.1-codex here) gets the classic tool list and multi_agent_v1.
for (const [fixture, model] of [
  ['subagent', undefined],
  ['subagent-v1', 'gpt-5.1-codex'],
] as const) {
  test(`a sub-agent writes its own rollout (source.subagent) with its own responses (model ${model ?? 'default'})`, async (t) => {
    if (suite.unavailable) return t.skip(suite.unavailable);
    const s = await scenario({}, model);
    const r = await run(s, 'SPAWN:say hello from the sub-agent');

    assert.deepEqual(
      s.stub.responses.map((x) => x.kind),
      ['spawn', 'wait', 'text', 'text'],
    );
    const files = rolloutFiles(s.box.codexHome);
    assert.equal(files.length, 2, 'parent and sub-agent rollouts');
    const child = files.find((f) => threadIdOf(f) !== r.threadId) as string;
    const meta = readRollout(child).find((l) => l.type === 'session_meta')?.payload as { session_id?: string; source?: unknown };
    assert.equal(meta.session_id, r.threadId, "the sub-agent's session_id is the parent's");
    assert.ok(meta.source && typeof meta.source === 'object' && 'subagent' in meta.source, JSON.stringify(meta.source));
    for (const f of files) assertTokenCounts(f, forThread(s, threadIdOf(f)));
    assert.ok(forThread(s, threadIdOf(child)).every((x) => x.subagent === 'collab_spawn'));
    writeFixture(fixture, s, { prompts: ['SPAWN:say hello from the sub-agent'], ...(model ? { model } : {}) });
  });
}

test('exec fork: a new rollout naming forked_from_id; its total starts from the parent total', async (t) => {
  if (suite.unavailable) return t.skip(suite.unavailable);
  const s = await scenario();
  const parent = await run(s, 'TOOL:echo before fork');
  const fork = await run(s, 'after the fork', { fork: parent.threadId });
  assert.ok(fork.threadId && fork.threadId !== parent.threadId);

  const files = rolloutFiles(s.box.codexHome);
  assert.equal(files.length, 2);
  const forkFile = files.find((f) => threadIdOf(f) === fork.threadId) as string;
  const meta = readRollout(forkFile).find((l) => l.type === 'session_meta')?.payload;
  assert.equal(meta?.forked_from_id, parent.threadId);
  const parentSent = forThread(s, parent.threadId as string);
  assertTokenCounts(files.find((f) => f !== forkFile) as string, parentSent);
  // Codex 0.169 copies no token_count lines into the fork, but its running total goes on from
  // the parent's: only last_token_usage is the fork's own.
  assertTokenCounts(forkFile, forThread(s, fork.threadId as string), parentSent);
  writeFixture('fork', s, { prompts: ['TOOL:echo before fork', 'after the fork (exec fork <parent id>)'] });
});

test('a sub-agent spawned with the parent history replays its items, not its token counts', async (t) => {
  if (suite.unavailable) return t.skip(suite.unavailable);
  const s = await scenario();
  const r = await run(s, 'SPAWNFORK:say hello with history');

  const files = rolloutFiles(s.box.codexHome);
  assert.equal(files.length, 2);
  const child = files.find((f) => threadIdOf(f) !== r.threadId) as string;
  const lines = readRollout(child);
  const metas = lines.filter((l) => l.type === 'session_meta').map((l) => l.payload.id);
  assert.deepEqual(metas, [threadIdOf(child), r.threadId], "the child's own session_meta, then the parent's, replayed");
  const replayedCall = lines.find(
    (l) => l.type === 'response_item' && l.payload.type === 'function_call' && l.payload.name === 'spawn_agent',
  );
  assert.ok(replayedCall, "the parent's spawn_agent call is replayed into the child");
  for (const f of files) assertTokenCounts(f, forThread(s, threadIdOf(f)));
  writeFixture('subagent-forked', s, { prompts: ['SPAWNFORK:say hello with history'] });
});

test('an escalated command under --approve-for-me: the approval reviewer writes its own rollout', async (t) => {
  if (suite.unavailable) return t.skip(suite.unavailable);
  const s = await scenario();
  const r = await run(s, 'TOOL!:echo reviewed > approved.txt', { bypassApprovals: false, extraArgs: ['--approve-for-me'] });

  assert.deepEqual(
    s.stub.responses.map((x) => [x.kind, x.subagent]),
    [
      ['shell', undefined],
      ['review', 'guardian'],
      ['text', undefined],
    ],
  );
  assert.equal(readFileSync(join(s.box.cwd, 'approved.txt'), 'utf8'), 'reviewed\n', 'the reviewer allowed it and it ran');
  const files = rolloutFiles(s.box.codexHome);
  assert.equal(files.length, 2, 'the session and the reviewer');
  const reviewer = files.find((f) => threadIdOf(f) !== r.threadId) as string;
  const meta = readRollout(reviewer).find((l) => l.type === 'session_meta')?.payload;
  assert.deepEqual(meta?.source, { subagent: { other: 'guardian' } });
  assert.equal(meta?.session_id, r.threadId);
  for (const f of files) assertTokenCounts(f, forThread(s, threadIdOf(f)));
  writeFixture('approval-reviewer', s, { prompts: ['TOOL!:echo reviewed > approved.txt (exec --approve-for-me, no bypass)'] });
});

test('auto compaction: the summary is a response of its own; token_count repeats totals, token_usage_record does not', async (t) => {
  if (suite.unavailable) return t.skip(suite.unavailable);
  const s = await scenario();
  // The first response reports 1000 input tokens: over this limit, Codex compacts before going on.
  await run(s, 'TOOL:echo before compaction', { extraArgs: ['-c', 'model_auto_compact_token_limit=500'] });
  assert.deepEqual(
    s.stub.responses.map((x) => x.kind),
    ['shell', 'text', 'text'],
    'the call, the summary, the answer',
  );
  const summaryRequest = (
    s.stub.requests[1]?.body as { input?: { type?: string; role?: string; content?: { text?: string }[] }[] } | undefined
  )?.input?.at(-1);
  assert.match(summaryRequest?.content?.[0]?.text ?? '', /CONTEXT CHECKPOINT COMPACTION/);

  const files = rolloutFiles(s.box.codexHome);
  assert.equal(files.length, 1);
  const lines = readRollout(files[0] as string);
  assert.ok(lines.some((l) => l.type === 'compacted'));
  // One token_usage_record per response, named by its id: the line to count.
  const records = lines.filter((l) => l.type === 'token_usage_record').map((l) => [l.payload.response_id, l.payload.usage]);
  assert.deepEqual(
    records,
    s.stub.responses.map((x) => [x.responseId, codexTokenUsage(x.usage)]),
  );
  // token_count lines also come without a new response (a rate-limit update repeating the last
  // usage; after compaction, zero usage and a context estimate): only those whose running
  // total grew are responses.
  const counts = tokenCounts(lines).map((c) => c.info as { total_token_usage: { total_tokens: number }; last_token_usage: unknown });
  const grew = counts.filter((c, i) => i === 0 || c.total_token_usage.total_tokens !== counts[i - 1]?.total_token_usage.total_tokens);
  assert.ok(counts.length > grew.length, `repeated token_count lines: ${counts.length} for ${grew.length} responses`);
  assert.deepEqual(
    grew.map((c) => c.last_token_usage),
    s.stub.responses.map((x) => codexTokenUsage(x.usage)),
  );
  writeFixture('compaction', s, { prompts: ['TOOL:echo before compaction (-c model_auto_compact_token_limit=500)'] });
});
