// Issue 4 end to end: a profile with a 4-turn 5 h cap. The warning appears in the session after
// the turn that crossed 75 %, once per band per session, and with enforce = true the hard band
// denies tool calls. Read from claude's own stream-json output.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ccx, ccxSandbox, claudeSuite, consolidate, rows } from './ccx-helpers';
import { type RunResult, runClaude, type Sandbox } from './harness';
import { startStubApi, text, toolUse } from './stub-api';

const suite = claudeSuite();

/** Every ccx message the run showed: SessionStart hook responses and other hooks' notices. */
function ccxMessages(run: RunResult): string[] {
  const out: string[] = [];
  for (const e of run.events) {
    if (e.type !== 'system') continue;
    if (e.subtype === 'hook_response' && typeof e.stdout === 'string' && e.stdout.trim()) {
      const msg = (JSON.parse(e.stdout) as { systemMessage?: string }).systemMessage;
      if (msg) out.push(`${e.hook_event}: ${msg}`);
    }
    if (e.subtype === 'informational' && typeof e.content === 'string' && e.content.includes('ccx [')) out.push(e.content);
  }
  return out;
}

test('tiny cap: warn after the 3rd turn, hard after the 4th, each once per session; enforce denies tools', async () => {
  const box = ccxSandbox('work', { plan_tier: 'pro', caps_5h_turns: 4 });
  const reply = () => [toolUse('Bash', { command: 'echo hi' }, 'Running it.'), text('done')];
  const api = await startStubApi({ script: Array.from({ length: 6 }, reply).flat() });
  suite.onCleanup(() => api.close());
  suite.onCleanup(() => box.cleanup());
  // Hooks inherit claude's env: UTC makes the consolidator's reset times predictable.
  const opts = { apiUrl: api.url, prompt: 'run echo', extraArgs: ['--allowedTools', 'Bash(echo hi)'], extraEnv: { TZ: 'UTC' } };
  const turn = async () => {
    const run = await runClaude(suite.claude(), { ...box, ...opts });
    assert.equal(run.code, 0, run.stderr);
    consolidate(box); // the next session starts with this turn counted
    return run;
  };

  for (let i = 1; i <= 3; i++) assert.deepEqual(ccxMessages(await turn()), [], `turn ${i}: under 75 %, silent`);

  const resets = expectedReset(box);
  const fourth = await turn();
  assert.deepEqual(ccxMessages(fourth), [`SessionStart: ccx [work]: 5 h window 75 % (3/4 turns), resets ${resets}`]);

  const fifth = await turn();
  const msgs = ccxMessages(fifth);
  assert.equal(msgs.length, 1, `one message, not one per hook: ${JSON.stringify(msgs)}`);
  assert.deepEqual(msgs, [`SessionStart: ccx [work]: 5 h window 100 % (4/4 turns), resets ${resets}`]);
  assert.ok(
    toolResults(fifth).every((r) => !r.is_error),
    'without enforce nothing is denied',
  );

  ccx(box, 'profile', 'set', 'work', '--enforce', 'true');
  consolidate(box);
  const sixth = await runClaude(suite.claude(), { ...box, ...opts });
  const denied = toolResults(sixth);
  assert.equal(denied.length, 1);
  assert.equal(denied[0]!.is_error, true);
  assert.match(String(denied[0]!.content), /ccx \[work\]: 5 h window 125 % \(5\/4 turns\)/, 'five turns counted by now');
});

function toolResults(run: RunResult): { is_error?: boolean; content?: unknown }[] {
  return run.events
    .filter((e) => e.type === 'user')
    .flatMap((e) => ((e.message as { content?: unknown[] }).content ?? []) as { type: string; is_error?: boolean; content?: unknown }[])
    .filter((c) => c.type === 'tool_result');
}

/** The reset the message must name: oldest counted turn + 5 h, "HH:MM" in UTC, "Sat HH:MM" if not today. */
function expectedReset(box: Sandbox): string {
  const [oldest] = rows<{ ts: number }>(box, "SELECT MIN(ts) ts FROM turns WHERE profile = 'work'");
  const at = new Date(oldest!.ts + 5 * 3_600_000).toISOString();
  const today = new Date().toISOString().slice(0, 10);
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][new Date(at).getUTCDay()];
  return at.slice(0, 10) === today ? at.slice(11, 16) : `${day} ${at.slice(11, 16)}`;
}
