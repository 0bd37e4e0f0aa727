// Issue 4 end to end: a profile with a 4-turn 5 h cap. The warning appears at the Stop of the turn
// that crosses 75 % (and 100 %), a reminder at each later session's start, once per band per
// session; with enforce = true the first tool call after the crossing Stop is denied. Read from
// claude's own stream-json output.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ccxMessages, ccxSandbox, claudeSuite, consolidate, holdConsolidator, rows } from './ccx-helpers';
import { type RunResult, runClaude, type Sandbox } from './harness';
import { startStubApi, text, toolUse } from './stub-api';

const suite = claudeSuite();

const REPLY = () => [toolUse('Bash', { command: 'echo hi' }, 'Running it.'), text('done')];

/** A `work` profile capped at 4 turns per 5 h, and `session()`: one claude -p run of one turn with one tool call. */
async function cappedProfile(config: Record<string, string | number | boolean> = {}) {
  const box = ccxSandbox('work', { plan_tier: 'pro', caps_5h_turns: 4, ...config });
  const api = await startStubApi({ script: Array.from({ length: 6 }, REPLY).flat() });
  suite.onCleanup(() => api.close());
  suite.onCleanup(() => box.cleanup());
  // Hooks inherit claude's env: UTC makes the consolidator's reset times predictable.
  const opts = { apiUrl: api.url, prompt: 'run echo', extraArgs: ['--allowedTools', 'Bash(echo hi)'], extraEnv: { TZ: 'UTC' } };
  const session = async () => {
    const run = await runClaude(suite.claude(), { ...box, ...opts });
    assert.equal(run.code, 0, run.stderr);
    return run;
  };
  return { box, session };
}

test('cap 4: 75 % at the 3rd Stop, 100 % at the 4th, a reminder at each start after, once per band', async () => {
  const { box, session } = await cappedProfile();
  const consolidated = async () => {
    const run = await session();
    consolidate(box); // the next session starts with this turn counted
    return run;
  };
  assert.deepEqual(ccxMessages(await consolidated()), [], 'session 1: 25 %');
  const at = (pct: string, turns: string) => `ccx [work]: 5 h window ${pct} % (${turns} turns), resets ${expectedReset(box)}`;
  assert.deepEqual(ccxMessages(await consolidated()), [], 'session 2: 50 %');
  assert.deepEqual(ccxMessages(await consolidated()), [`Stop says: ${at('75', '3/4')}`], 'session 3: its own turn reaches 75 %');
  assert.deepEqual(ccxMessages(await consolidated()), [`SessionStart: ${at('75', '3/4')}`, `Stop says: ${at('100', '4/4')}`], 'session 4');
  const fifth = await consolidated();
  assert.deepEqual(
    ccxMessages(fifth),
    [`SessionStart: ${at('100', '4/4')}`],
    'session 5: the reminder, and its tool call and Stop stay quiet',
  );
  assert.ok(
    toolResults(fifth).every((r) => !r.is_error),
    'without enforce nothing is denied',
  );
});

test('enforce: the first tool call after the Stop that reaches hard is denied, before the consolidator counts it', async () => {
  const { box, session } = await cappedProfile({ enforce: true });
  for (let i = 1; i <= 3; i++) {
    await session();
    consolidate(box);
  }
  const at = (pct: string, turns: string) => `ccx [work]: 5 h window ${pct} % (${turns} turns), resets ${expectedReset(box)}`;
  // From here on quota.json stays as it is: the hooks alone must see the 4th turn.
  await holdConsolidator(box);
  const fourth = await session();
  assert.deepEqual(ccxMessages(fourth), [`SessionStart: ${at('75', '3/4')}`, `Stop says: ${at('100', '4/4')}`]);
  assert.ok(
    toolResults(fourth).every((r) => !r.is_error),
    "the 4th turn's own call runs: 3 turns were done",
  );
  await holdConsolidator(box);
  const fifth = await session();
  assert.deepEqual(ccxMessages(fifth), [`SessionStart: ${at('100', '4/4')}`], 'the deny reason is not repeated as a systemMessage');
  const results = toolResults(fifth);
  assert.equal(results.length, 1, JSON.stringify(results));
  assert.equal(results[0]!.is_error, true);
  assert.ok(String(results[0]!.content).includes(at('100', '4/4')), String(results[0]!.content));
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
