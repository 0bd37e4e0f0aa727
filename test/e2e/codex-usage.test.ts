// A real Codex CLI session against the stub Responses API, in a CODEX_HOME registered with ccx as
// a codex profile: after a consolidation the ledger holds exactly what the stub sent (each
// response once, in its own thread, sub-agent and resume included) and quota.json shows the stub's
// rate-limit headers as the profile's windows, source codex.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ccx, consolidate, rows } from './ccx-helpers';
import { codexSuite } from './codex-cli';
import { makeCodexBox, runCodex } from './codex-harness';
import { startCodexStub } from './codex-stub';
import { makeSandbox } from './harness';

const suite = codexSuite();

test("a Codex home as a ccx profile: exact usage in state.db, Codex's rate limits in quota.json", async (t) => {
  if (suite.unavailable) return t.skip(suite.unavailable);
  const stub = await startCodexStub();
  const home = makeCodexBox({ baseUrl: stub.baseUrl });
  const box = makeSandbox();
  suite.cleanups.push(() => stub.close(), home.cleanup, box.cleanup);
  ccx(box, 'profile', 'add', 'cx', '--agent', 'codex', '--config-dir', home.codexHome, '--no-hooks');

  const run = async (prompt: string, o: Parameters<typeof runCodex>[3] = {}) => {
    const r = await runCodex(suite.bin, home, prompt, o);
    assert.equal(r.code, 0, `codex exited ${r.code} (timed out: ${r.timedOut})\n${r.stderr.slice(-3000)}`);
    return r;
  };
  const first = await run('TOOL:echo hi');
  await run('and once more', { resume: first.threadId });
  await run('SPAWNFORK:say hello with history');
  consolidate(box);

  type Row = { key: string; session: string; input: number; cached: number; output: number; reasoning: number; agent: string };
  const ledger = () =>
    rows<Row>(
      box,
      `SELECT dedup_key AS key, session_id AS session, input_tokens AS input, cache_read_tokens AS cached,
         output_tokens AS output, reasoning_tokens AS reasoning, agent FROM usage WHERE profile = 'cx' ORDER BY dedup_key`,
    );
  const sent = stub.responses.map((r) => ({
    key: `codex:${r.threadId}/${r.responseId}`,
    session: r.threadId as string,
    input: r.usage.input_tokens - r.usage.cached_tokens,
    cached: r.usage.cached_tokens,
    output: r.usage.output_tokens,
    reasoning: r.usage.reasoning_tokens,
    agent: 'codex',
  }));
  sent.sort((a, b) => (a.key < b.key ? -1 : 1));
  // shell + text, resume's text, then the forked sub-agent session: spawn, wait, the child's text, text.
  assert.equal(sent.length, 7);
  assert.ok(
    stub.responses.some((r) => r.subagent),
    'a sub-agent answered',
  );
  assert.deepEqual(ledger(), sent);

  const quota = JSON.parse(readFileSync(join(box.ccxHome, 'quota.json'), 'utf8'));
  const newest = stub.responses.at(-1)?.rateLimits;
  const { five_hour, weekly } = quota.profiles.cx.windows;
  assert.deepEqual(
    [five_hour.source, five_hour.pct, five_hour.resets_at, weekly.source, weekly.pct, weekly.resets_at],
    [
      'codex',
      newest?.primary?.usedPercent,
      (newest?.primary?.resetAt ?? 0) * 1000,
      'codex',
      newest?.secondary?.usedPercent,
      (newest?.secondary?.resetAt ?? 0) * 1000,
    ],
  );

  // Another pass reads nothing new and changes nothing.
  consolidate(box);
  assert.deepEqual(ledger(), sent);
});
