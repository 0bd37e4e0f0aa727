// The real OpenCode (opencode-ai, pinned) against a stub provider on 127.0.0.1, with ccx's plugin
// installed by `ccx profile add --agent opencode`: the plugin's records become sessions and turns,
// OpenCode's database becomes usage rows that match what the stub billed, a consolidation pass
// runs while OpenCode is mid-answer, and uninstall leaves OpenCode's config as it was.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ccx, consolidate, rows } from './ccx-helpers';
import { makeSandbox, type Sandbox } from './harness';
import { ensureOpenCode } from './opencode-cli';
import { type ChatStub, startChatStub } from './opencode-stub';

let opencode = '';
let stub: ChatStub;
let box: Sandbox;
let dataDir = '';
let configDir = '';

before(
  async () => {
    opencode = await ensureOpenCode();
    stub = await startChatStub();
    box = makeSandbox();
    dataDir = join(box.home, '.local', 'share', 'opencode');
    configDir = join(box.home, '.config', 'opencode');
    mkdirSync(dataDir, { recursive: true });
    mkdirSync(configDir, { recursive: true });
    writeFileSync(
      join(configDir, 'opencode.json'),
      JSON.stringify({
        $schema: 'https://opencode.ai/config.json',
        provider: {
          stub: {
            npm: '@ai-sdk/openai-compatible',
            name: 'Stub',
            options: { baseURL: stub.url, apiKey: 'sk-stub' },
            models: { 'stub-model': { name: 'Stub Model' } },
          },
        },
        model: 'stub/stub-model',
        autoupdate: false,
        share: 'disabled',
      }),
    );
  },
  { timeout: 11 * 60_000 },
);

after(async () => {
  await stub?.close();
  await box?.cleanup();
});

type Run = { code: number | null; stdout: string; stderr: string };

function runOpenCode(prompt: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(opencode, ['run', prompt], {
      cwd: box.cwd,
      // Sealed like the Claude Code runs: only PATH of the caller's environment.
      env: { PATH: process.env.PATH, HOME: box.home, CCX_HOME: box.ccxHome, TZ: 'UTC', OPENCODE_DISABLE_MODELS_FETCH: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const configFiles = () =>
  Object.fromEntries(
    readdirSync(configDir)
      .filter((n) => n !== 'plugins')
      .map((n) => [n, n === 'opencode.json' ? readFileSync(join(configDir, n), 'utf8') : 'present']),
  );

test('ccx in a real OpenCode: plugin → sessions and turns, database → usage as billed, concurrent pass, clean uninstall', {
  timeout: 10 * 60_000,
}, async () => {
  const added = ccx(box, 'profile', 'add', 'oc', '--agent', 'opencode', '--config-dir', dataDir);
  assert.match(added, /OpenCode plugin installed/);
  const plugin = join(configDir, 'plugins', 'ccx-oc.js');
  assert.ok(existsSync(plugin));
  const opencodeJson = readFileSync(join(configDir, 'opencode.json'), 'utf8');

  for (const prompt of ['say hello', 'TOOL:echo hi > out.txt', 'TASK:count']) {
    const r = await runOpenCode(prompt);
    assert.equal(r.code, 0, `opencode run ${prompt}: ${r.stderr}`);
  }
  const failed = await runOpenCode('FAIL now');
  assert.equal(failed.code, 1, 'the 400 fails the run');

  // A pass while OpenCode is streaming (the stub holds its answer): neither waits for the other.
  stub.delayMs = 1500;
  const slow = runOpenCode('say hello slowly');
  const seen = stub.billed.length;
  while (stub.billed.length === seen) await new Promise((r) => setTimeout(r, 50));
  consolidate(box);
  assert.equal((await slow).code, 0);
  stub.delayMs = 0;
  consolidate(box);

  const events = rows<{ event: string; n: number }>(
    box,
    `SELECT event, COUNT(*) AS n FROM hook_events WHERE profile = 'oc' GROUP BY event ORDER BY event`,
  );
  assert.deepEqual(Object.fromEntries(events.map((e) => [e.event, e.n])), {
    SessionStart: 5,
    Stop: 4,
    StopFailure: 1,
    SubagentStart: 1,
    SubagentStop: 1,
    UserPromptSubmit: 5,
  });
  const sessions = rows<{ turns: number; failed_turns: number }>(box, `SELECT turns, failed_turns FROM sessions WHERE profile = 'oc'`);
  assert.equal(sessions.length, 5, 'the sub-agent is its parent session, not a session of its own');
  assert.deepEqual([sessions.reduce((n, s) => n + s.turns, 0), sessions.reduce((n, s) => n + s.failed_turns, 0)], [5, 1]);

  // OpenCode keeps no message for its title requests; every other answered request is one row.
  const billed = stub.billed.filter((b) => !b.title);
  const sum = (f: (b: (typeof billed)[number]) => number) => billed.reduce((n, b) => n + f(b), 0);
  const [u] = rows<{
    n: number;
    prompt: number;
    cached: number;
    output: number;
    reasoning: number;
    writes: number;
    agents: string;
    sidechains: number;
  }>(
    box,
    `SELECT COUNT(*) AS n, SUM(input_tokens + cache_read_tokens) AS prompt, SUM(cache_read_tokens) AS cached, SUM(output_tokens) AS output, SUM(reasoning_tokens) AS reasoning,
       SUM(cache_creation_5m_tokens + cache_creation_1h_tokens) AS writes, GROUP_CONCAT(DISTINCT agent) AS agents, SUM(is_sidechain) AS sidechains
     FROM usage WHERE profile = 'oc'`,
  );
  assert.deepEqual(u, {
    n: billed.length,
    prompt: sum((b) => b.prompt),
    cached: sum((b) => b.cached),
    output: sum((b) => b.completion),
    reasoning: sum((b) => b.reasoning),
    writes: 0,
    agents: 'opencode',
    sidechains: 1,
  });

  // Uninstall: the plugin goes, OpenCode's own config stays byte for byte, and OpenCode records nothing more.
  const before = configFiles();
  ccx(box, 'hooks', 'uninstall', '--profile', 'oc');
  assert.ok(!existsSync(plugin));
  assert.equal(readFileSync(join(configDir, 'opencode.json'), 'utf8'), opencodeJson);
  assert.deepEqual(configFiles(), before);
  const recorded = () => rows<{ n: number }>(box, `SELECT COUNT(*) AS n FROM hook_events WHERE profile = 'oc'`)[0]!.n;
  const count = recorded();
  assert.equal((await runOpenCode('say hello')).code, 0);
  consolidate(box);
  assert.equal(recorded(), count);
});
