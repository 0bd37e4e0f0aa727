// Issue 2 end to end: the real Claude Code CLI runs ccx's hooks; the events land in SQLite.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { ccx, ccxSandbox, claudeSuite, consolidate, rows } from './ccx-helpers';
import { runClaude, type Sandbox } from './harness';
import { type StubApi, startStubApi, text, toolUse } from './stub-api';

const suite = claudeSuite();

function use(box: Sandbox, api: StubApi) {
  suite.onCleanup(() => api.close());
  suite.onCleanup(() => box.cleanup());
}

test('two claude -p sessions: both in the sessions table with their turns and end reasons', async () => {
  const box = ccxSandbox('work', { plan_tier: 'max5' });
  const status = JSON.parse(ccx(box, 'hooks', 'status', '--json')) as { profile: string; state: string }[];
  assert.deepEqual(
    status.map((s) => [s.profile, s.state]),
    [['work', 'installed']],
  );
  assert.deepEqual(readdirSync(box.configDir).sort(), ['.claude.json', 'settings.json'], 'no backup of the file ccx created');
  const api = await startStubApi({ script: [toolUse('Bash', { command: 'echo hi' }, 'Running it.'), text('done'), text('second')] });
  use(box, api);
  const first = await runClaude(suite.claude(), {
    ...box,
    apiUrl: api.url,
    prompt: 'run echo',
    extraArgs: ['--allowedTools', 'Bash(echo hi)'],
  });
  const second = await runClaude(suite.claude(), { ...box, apiUrl: api.url, prompt: 'say something' });
  assert.equal(first.code, 0, first.stderr);
  assert.equal(second.code, 0, second.stderr);
  const ids = [first, second].map((r) => r.events.find((e) => e.type === 'result')?.session_id as string);
  assert.equal(new Set(ids).size, 2, 'two distinct sessions');

  consolidate(box);
  type Row = {
    session_id: string;
    profile: string;
    status: string;
    turns: number;
    end_reason: string;
    cwd: string;
    ended_at: number | null;
  };
  const sessions = rows<Row>(box, 'SELECT session_id, profile, status, turns, end_reason, cwd, ended_at FROM sessions ORDER BY started_at');
  assert.deepEqual(
    sessions.map((s) => ({
      id: s.session_id,
      profile: s.profile,
      status: s.status,
      turns: s.turns,
      end: s.end_reason,
      cwd: s.cwd,
      ended: s.ended_at !== null,
    })),
    ids.map((id) => ({ id, profile: 'work', status: 'ended', turns: 1, end: 'other', cwd: box.cwd, ended: true })),
  );
  const events = rows<{ event: string; n: number }>(box, 'SELECT event, COUNT(*) n FROM hook_events GROUP BY event ORDER BY event');
  const byEvent = Object.fromEntries(events.map((e) => [e.event, e.n]));
  assert.equal(byEvent.SessionStart, 2);
  assert.equal(byEvent.UserPromptSubmit, 2);
  assert.equal(byEvent.PreToolUse, 1, 'one tool call, one PreToolUse');
  assert.equal(byEvent.Stop, 2);
  assert.equal(byEvent.SessionEnd, 2);

  // The transcripts Claude Code wrote were scanned too: one usage row per API response.
  const mainRequests = api.requests.filter((r) => !r.side && r.path.startsWith('/v1/messages')).length;
  const usage = rows<{ n: number; sessions: number }>(
    box,
    "SELECT COUNT(*) n, COUNT(DISTINCT session_id) sessions FROM usage WHERE profile = 'work'",
  );
  assert.deepEqual(usage, [{ n: mainRequests, sessions: 2 }]);
});
