// Issue 12 end to end: with the pinned Claude Code on PATH, `ccx hooks install` registers each
// event as lib/settings/README.md's table says; the async and the quiet guarded hooks still
// deliver their events, the guarded SessionStart still shows the warning once the profile is no
// longer quiet (once, nothing from the async PreToolUse), and enforce guards PreToolUse, so it denies.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ccxMessages, claudeSuite, consolidate, DIST, rows } from './ccx-helpers';
import { CLAUDE_CODE_VERSION } from './claude-cli';
import { makeSandbox, runClaude, type Sandbox } from './harness';
import { startStubApi, text, toolUse } from './stub-api';

const suite = claudeSuite();

const TABLE: Record<string, 'sync' | 'async' | 'guarded'> = {
  SessionStart: 'guarded',
  UserPromptSubmit: 'guarded',
  PreToolUse: 'async',
  Stop: 'guarded',
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
      if (entry?.async === true && entry.command.includes(' --async')) return [event, 'async'];
      return [event, entry?.command.startsWith('test -e ') ? 'guarded' : 'sync'];
    }),
  );
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
  ccxWithClaude(box, 'profile', 'add', 'work', '--config-dir', box.configDir, '--no-hooks', '--caps-5h-turns', '2');
  ccxWithClaude(box, 'hooks', 'install');
  assert.deepEqual(registration(box), TABLE);
  assert.match(ccxWithClaude(box, 'doctor'), new RegExp(`Claude Code ${CLAUDE_CODE_VERSION.replace(/\./g, '\\.')}: async hooks supported`));

  const reply = () => [toolUse('Bash', { command: 'echo hi' }, 'Running it.'), text('done')];
  const api = await startStubApi({ script: Array.from({ length: 4 }, reply).flat() });
  suite.onCleanup(() => api.close());
  const opts = { ...box, apiUrl: api.url, prompt: 'run echo', extraArgs: ['--allowedTools', 'Bash(echo hi)'], extraEnv: { TZ: 'UTC' } };

  // 0 of 2 turns, 1 of 2 after this one: quiet, so the guarded hooks hand their events to the
  // background and Claude Code waits only for the shell.
  consolidate(box);
  assert.ok(existsSync(join(box.ccxHome, 'quiet', 'work')), 'a pass at ok writes the quiet flag');
  const first = await runClaude(suite.claude(), opts);
  assert.equal(first.code, 0, first.stderr);
  assert.deepEqual(ccxMessages(first), [], 'under the cap: silent');
  for (const event of ['SessionStart', 'UserPromptSubmit', 'Stop', 'PreToolUse', 'SessionEnd']) {
    assert.equal(await consolidateUntil(box, event, 1), 1, `the ${event} hook reached the inbox from the background`);
  }

  // 1 of 2, and 2 of 2 after this turn: no longer quiet. The guarded Stop says so at the end of the turn.
  assert.equal(existsSync(join(box.ccxHome, 'quiet', 'work')), false, 'the next turn reaches hard: not quiet');
  const second = await runClaude(suite.claude(), opts);
  assert.equal(second.code, 0, second.stderr);
  assert.deepEqual(
    ccxMessages(second).map((m) => m.replace(/, resets .*/, '')),
    ['Stop says: ccx [work]: 5 h window 100 % (2/2 turns)'],
  );
  await consolidateUntil(box, 'SessionEnd', 2);

  // 2 of 2 turns: the guarded SessionStart says so, once; the async PreToolUse nothing.
  const third = await runClaude(suite.claude(), opts);
  assert.equal(third.code, 0, third.stderr);
  const msgs = ccxMessages(third);
  assert.equal(msgs.length, 1, JSON.stringify(msgs));
  assert.match(msgs[0]!, /^SessionStart: ccx \[work\]: 5 h window 100 % \(2\/2 turns\)/);
  await consolidateUntil(box, 'SessionEnd', 3);

  ccxWithClaude(box, 'profile', 'set', 'work', '--enforce', 'true');
  assert.deepEqual(registration(box), { ...TABLE, PreToolUse: 'guarded' });
  consolidate(box);
  const fourth = await runClaude(suite.claude(), opts);
  const denied = fourth.events
    .filter((e) => e.type === 'user')
    .flatMap((e) => ((e.message as { content?: unknown[] }).content ?? []) as { type: string; is_error?: boolean }[])
    .filter((c) => c.type === 'tool_result');
  assert.deepEqual(
    denied.map((d) => d.is_error),
    [true],
    'enforce: the guarded PreToolUse denies the call',
  );
});
