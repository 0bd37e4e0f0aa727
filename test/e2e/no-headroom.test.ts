// Two profiles, both near their caps: the warning must not send the user to a sibling that is no
// better off. With the real Claude Code CLI: `spare` runs 3 of its 4 turns, then `work` reaches
// 75 % at its 3rd Stop and says there is no better profile, with spare's figure, and no `ccx use`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ccx, ccxSandbox, claudeSuite, consolidate } from './ccx-helpers';
import { makeProfile, type RunResult, runClaude } from './harness';
import { startStubApi, text, toolUse } from './stub-api';

const suite = claudeSuite();

function stopMessages(run: RunResult): string[] {
  return run.events
    .filter((e) => e.type === 'system' && e.subtype === 'informational' && typeof e.content === 'string')
    .map((e) => e.content as string)
    .filter((c) => c.startsWith('Stop says: ccx ['));
}

test('two profiles near their caps: no profile has more headroom, and no `ccx use`', async () => {
  const box = ccxSandbox('work', { plan_tier: 'pro', caps_5h_turns: 4 });
  suite.onCleanup(() => box.cleanup());
  const spareDir = makeProfile(box.home, '.claude-spare');
  ccx(box, 'profile', 'add', 'spare', '--config-dir', spareDir, '--plan-tier', 'pro', '--caps-5h-turns', '4');
  const api = await startStubApi({
    script: Array.from({ length: 6 }, () => [toolUse('Bash', { command: 'echo hi' }, 'Running it.'), text('done')]).flat(),
  });
  suite.onCleanup(() => api.close());
  const opts = { apiUrl: api.url, prompt: 'run echo', extraArgs: ['--allowedTools', 'Bash(echo hi)'], extraEnv: { TZ: 'UTC' } };
  const session = async (configDir: string) => {
    const run = await runClaude(suite.claude(), { ...box, ...opts, configDir });
    assert.equal(run.code, 0, run.stderr);
    consolidate(box);
    return run;
  };

  for (let i = 0; i < 3; i++) await session(spareDir);
  assert.deepEqual(stopMessages(await session(box.configDir)), [], 'work at 25 %');
  assert.deepEqual(stopMessages(await session(box.configDir)), [], 'work at 50 %');
  const [warning, ...more] = stopMessages(await session(box.configDir));
  assert.equal(more.length, 0);
  assert.match(
    warning ?? '',
    /^Stop says: ccx \[work\]: 5 h window 75 % \(3\/4 turns\), resets .* — no profile has more headroom \(spare 25 %\)$/,
  );
  assert.doesNotMatch(warning!, /ccx use/);
});
