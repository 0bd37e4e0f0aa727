// Issue 12 end to end: with the pinned Claude Code on PATH, `ccx hooks install` registers each
// event as lib/settings/README.md's table says; the async hooks still deliver their events, the
// sync SessionStart still shows the warning (once, nothing from the async PreToolUse), and
// enforce makes PreToolUse sync again, so it denies.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { claudeSuite, consolidate, DIST, rows } from './ccx-helpers';
import { CLAUDE_CODE_VERSION } from './claude-cli';
import { makeSandbox, type RunResult, runClaude, type Sandbox } from './harness';
import { startStubApi, text, toolUse } from './stub-api';

const suite = claudeSuite();

const TABLE: Record<string, 'sync' | 'async'> = {
  SessionStart: 'sync',
  UserPromptSubmit: 'sync',
  PreToolUse: 'async',
  Stop: 'sync',
  StopFailure: 'sync',
  SubagentStop: 'async',
  SessionEnd: 'async',
  PreCompact: 'async',
  PostCompact: 'async',
  Notification: 'async',
};

/** `ccx ARGS` with the pinned claude first on PATH, as a user who installed it has it. */
function ccxWithClaude(box: Sandbox, ...args: string[]): string {
  const bin = join(box.root, 'bin');
  mkdirSync(bin, { recursive: true });
  try {
    symlinkSync(suite.claude(), join(bin, 'claude'));
  } catch {
    // linked by an earlier call
  }
  const env = { PATH: `${bin}:${process.env.PATH}`, HOME: box.home, CCX_HOME: box.ccxHome, CLAUDE_CONFIG_DIR: box.configDir, TZ: 'UTC' };
  const r = spawnSync(process.execPath, [join(DIST, 'ccx.js'), ...args], { env, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`ccx ${args.join(' ')} exited ${r.status}: ${r.stdout}${r.stderr}`);
  return r.stdout;
}

function registration(box: Sandbox): Record<string, string> {
  const { hooks } = JSON.parse(readFileSync(join(box.configDir, 'settings.json'), 'utf8')) as {
    hooks: Record<string, { hooks: { command: string; async?: boolean }[] }[]>;
  };
  return Object.fromEntries(
    Object.entries(hooks).map(([event, groups]) => {
      const [entry] = groups.flatMap((g) => g.hooks);
      return [event, entry?.async === true && entry.command.endsWith(' --async') ? 'async' : 'sync'];
    }),
  );
}

/** The SessionStart/PreToolUse/... messages ccx's hooks showed in a run. */
function ccxMessages(run: RunResult): string[] {
  return run.events
    .filter((e) => e.type === 'system' && e.subtype === 'hook_response' && typeof e.stdout === 'string' && e.stdout.trim())
    .map((e) => `${e.hook_event}: ${(JSON.parse(e.stdout as string) as { systemMessage?: string }).systemMessage}`);
}

/** Async hooks may still be appending when claude exits: wait until the events have landed. */
async function consolidateUntil(box: Sandbox, event: string, count: number): Promise<number> {
  let n = 0;
  for (let i = 0; i < 50; i++) {
    consolidate(box);
    n = rows<{ n: number }>(box, `SELECT COUNT(*) n FROM hook_events WHERE event = '${event}'`)[0]!.n;
    if (n >= count) break;
    await sleep(200);
  }
  return n;
}

test('registration as the table says; async hooks deliver; warnings and enforce still work', async () => {
  const box = makeSandbox();
  suite.onCleanup(() => box.cleanup());
  ccxWithClaude(box, 'profile', 'add', 'work', '--config-dir', box.configDir, '--no-hooks', '--caps-5h-turns', '1');
  ccxWithClaude(box, 'hooks', 'install');
  assert.deepEqual(registration(box), TABLE);
  assert.match(ccxWithClaude(box, 'doctor'), new RegExp(`Claude Code ${CLAUDE_CODE_VERSION.replace(/\./g, '\\.')}: async hooks supported`));

  const reply = () => [toolUse('Bash', { command: 'echo hi' }, 'Running it.'), text('done')];
  const api = await startStubApi({ script: Array.from({ length: 3 }, reply).flat() });
  suite.onCleanup(() => api.close());
  const opts = { ...box, apiUrl: api.url, prompt: 'run echo', extraArgs: ['--allowedTools', 'Bash(echo hi)'], extraEnv: { TZ: 'UTC' } };

  const first = await runClaude(suite.claude(), opts);
  assert.equal(first.code, 0, first.stderr);
  assert.deepEqual(ccxMessages(first), [], 'under the cap: silent');
  assert.equal(await consolidateUntil(box, 'PreToolUse', 1), 1, 'the async PreToolUse reached the inbox');
  assert.equal(await consolidateUntil(box, 'SessionEnd', 1), 1, 'the async SessionEnd reached the inbox');

  // 1 of 1 turns: the hard band. The sync SessionStart says so, once; the async PreToolUse nothing.
  const second = await runClaude(suite.claude(), opts);
  assert.equal(second.code, 0, second.stderr);
  const msgs = ccxMessages(second);
  assert.equal(msgs.length, 1, JSON.stringify(msgs));
  assert.match(msgs[0]!, /^SessionStart: ccx \[work\]: 5 h window 100 % \(1\/1 turns\)/);
  await consolidateUntil(box, 'SessionEnd', 2);

  ccxWithClaude(box, 'profile', 'set', 'work', '--enforce', 'true');
  assert.deepEqual(registration(box), { ...TABLE, PreToolUse: 'sync' });
  consolidate(box);
  const third = await runClaude(suite.claude(), opts);
  const denied = third.events
    .filter((e) => e.type === 'user')
    .flatMap((e) => ((e.message as { content?: unknown[] }).content ?? []) as { type: string; is_error?: boolean }[])
    .filter((c) => c.type === 'tool_result');
  assert.deepEqual(
    denied.map((d) => d.is_error),
    [true],
    'enforce: the sync PreToolUse denies the call',
  );
});
