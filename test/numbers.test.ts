// Numbers that are true: sidechain replays counted once (ccusage's rule), turns that ended in an
// API error counted as failures once, and skipped transcript lines explained by reason.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeHookApplier } from '../lib/consolidator/apply-events';
import { loadPrices } from '../lib/pricing/prices';
import { computeSnapshot } from '../lib/quota/engine';
import { scanProfiles } from '../lib/transcripts/scan';
import { consolidateOnce, DIST, payload, runHook, runNode, sandboxPool } from './helpers/ccx';
import { assistantLine, freshDb, profile, tempDir, totals } from './helpers/transcript-fixtures';

const NOW = Date.UTC(2026, 0, 1);
const newSandbox = sandboxPool();

/** An isApiErrorMessage line as Claude Code writes it when a turn's API call fails. */
function apiErrorLine(
  session: string,
  ts: number,
  text = 'API Error: 400 {"type":"error","error":{"type":"invalid_request_error"}}',
): string {
  const line = {
    type: 'assistant',
    sessionId: session,
    cwd: '/tmp/proj',
    timestamp: new Date(ts).toISOString(),
    isApiErrorMessage: true,
    message: { id: `err-${ts}`, model: '<synthetic>', content: [{ type: 'text', text }], usage: { input_tokens: 0, output_tokens: 0 } },
  };
  return `${JSON.stringify(line)}\n`;
}

test('a sidechain replay with a new requestId is counted once, in either order and on rereads', (t) => {
  const main = assistantLine({ id: 'm1', req: 'r1', session: 's', input: 11, output: 44, cacheRead: 33, cache5m: 22 });
  const replay = assistantLine({ id: 'm1', req: 'r9', session: 's', input: 11, output: 44, cacheRead: 33, cache5m: 22, sidechain: true });
  const replay2 = assistantLine({ id: 'm1', req: 'r8', session: 's', input: 11, output: 44, cacheRead: 33, cache5m: 22, sidechain: true });
  // Two main-chain copies with different requestIds are two API calls (ccusage keeps both too).
  const other = assistantLine({ id: 'm2', req: 'a', session: 's', input: 1, output: 2 });
  const retry = assistantLine({ id: 'm2', req: 'b', session: 's', input: 1, output: 2 });
  for (const [name, mainFile, subFile] of [
    ['main first', main + other + retry, replay + replay2],
    ['replay first', other + retry, replay + main + replay2],
  ] as const) {
    const dir = tempDir(t);
    const configDir = join(dir, 'claude');
    const project = join(configDir, 'projects', '-tmp-proj');
    mkdirSync(join(project, 's', 'subagents'), { recursive: true });
    writeFileSync(join(project, 's.jsonl'), mainFile);
    writeFileSync(join(project, 's', 'subagents', 'agent-1.jsonl'), subFile);
    const db = freshDb(t, dir);
    const expected = { rows: 3, input: 11 + 1 + 1, output: 44 + 2 + 2, cacheRead: 33, cache5m: 22, cache1h: 0 };
    scanProfiles(db, [profile('work', configDir)], { now: () => NOW });
    assert.deepEqual(totals(db, 'work'), expected, name);
    assert.equal(
      db.prepare(`SELECT is_sidechain FROM usage WHERE message_id = 'm1'`).pluck().get(),
      0,
      `${name}: the main-chain copy is kept`,
    );
    // A reread from 0 (rows kept, cursors gone) adds nothing.
    db.exec('DELETE FROM scan_cursors');
    scanProfiles(db, [profile('work', configDir)], { now: () => NOW });
    assert.deepEqual(totals(db, 'work'), expected, `${name}, reread`);
  }
});

test('an API-error turn without StopFailure is a failure in sessions and Recent failures; with one, counted once', async () => {
  const sb = newSandbox();
  const project = join(sb.configDir, 'projects', '-tmp-proj');
  mkdirSync(project, { recursive: true });
  const now = Date.now();
  // s-killed: Claude Code killed the StopFailure hook; s-hooked: it ran.
  writeFileSync(join(project, 's-killed.jsonl'), apiErrorLine('s-killed', now - 60_000));
  writeFileSync(join(project, 's-hooked.jsonl'), apiErrorLine('s-hooked', now - 2_000));
  for (const s of ['s-killed', 's-hooked']) {
    assert.equal((await runHook('SessionStart', payload('SessionStart', s, sb, { source: 'startup' }), sb)).code, 0);
  }
  assert.equal((await runHook('StopFailure', payload('StopFailure', 's-hooked', sb, { error: 'invalid_request' }), sb)).code, 0);
  for (const s of ['s-killed', 's-hooked']) {
    assert.equal((await runHook('SessionEnd', payload('SessionEnd', s, sb, { reason: 'other' }), sb)).code, 0);
  }
  consolidateOnce(sb);
  const report = async (args: string[]) => {
    const r = await runNode(join(DIST, 'ccx-report.js'), [...args, '--json', '--no-consolidate'], { env: sb.env });
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout);
  };
  const sessions = (await report(['sessions'])).sessions as { sessionId: string; failedTurns: number; failureError: string | null }[];
  const bySession = new Map(sessions.map((s) => [s.sessionId, s]));
  assert.equal(bySession.get('s-killed')?.failedTurns, 1);
  assert.match(bySession.get('s-killed')?.failureError ?? '', /^API Error: 400/);
  assert.equal(bySession.get('s-hooked')?.failedTurns, 1);
  assert.equal(bySession.get('s-hooked')?.failureError, 'invalid_request');
  const failures = (await report([])).failures as { sessionId: string; kind: string; error: string }[];
  assert.deepEqual(
    failures.map((f) => [f.sessionId, f.kind]),
    [
      ['s-hooked', 'stop_failure'],
      ['s-killed', 'api_error'],
    ],
  );
});

test("an API-error turn counts in the ranking's failures, once even with its StopFailure", (t) => {
  const dir = tempDir(t);
  const db = freshDb(t, dir);
  const dirs = ['a', 'b', 'c'].map((n) => join(dir, n));
  const profiles = ['a', 'b', 'c'].map((n, i) => profile(n, dirs[i]!));
  // a is busy (30/45 turns); b and c are idle, b listed first, so b wins a tie.
  const turn = db.prepare('INSERT INTO turns (event_id, profile, session_id, ts) VALUES (?, ?, ?, ?)');
  for (let i = 0; i < 30; i++) turn.run(`t${i}`, 'a', 'sa', NOW - 60_000 - i);
  const project = join(dirs[1]!, 'projects', '-tmp-proj');
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, 'sb.jsonl'), apiErrorLine('sb', NOW - 10 * 60_000));
  scanProfiles(db, profiles, { now: () => NOW });
  const suggested = () =>
    computeSnapshot({ db, profiles, now: NOW, tz: 'UTC', prices: loadPrices('/nonexistent/pricing.yaml').prices }).profiles.a?.suggestion
      ?.profile;
  assert.equal(suggested(), 'c', 'b failed a turn in the last hour');
  // Its StopFailure arrives too: still one failure (c stays ahead, and one failure, not two, is counted).
  const apply = makeHookApplier(db, { now: () => NOW, log: () => undefined, keepPayloads: () => false });
  const record = (id: string, event: string, at: number, p: Record<string, unknown>) => ({
    profile: 'b',
    record: { v: 1, id, event, received_at: at, payload: { session_id: 'sb', ...p } },
  });
  db.transaction(() => apply([record('e1', 'StopFailure', NOW - 10 * 60_000 + 500, { error: 'invalid_request' })] as never))();
  assert.equal(db.prepare(`SELECT COUNT(*) FROM turn_failures WHERE profile = 'b'`).pluck().get(), 1);
  assert.equal(suggested(), 'c');
});

test('skipped lines are counted by reason per file, in the footnote and in --json', async () => {
  const sb = newSandbox();
  const project = join(sb.configDir, 'projects', '-tmp-proj');
  mkdirSync(project, { recursive: true });
  const ok = assistantLine({ id: 'm1', ts: new Date(Date.now() - 60_000).toISOString() });
  const nulls = ok.replace('"input_tokens":1', '"input_tokens":null');
  const future = assistantLine({ id: 'm2', ts: '2999-01-01T00:00:00.000Z' });
  const unknown = ok.replace('"type":"assistant"', '"type":"brand-new"');
  const huge = `{"type":"assistant","usage":"${'x'.repeat(10 * 1024 * 1024 + 10)}"}\n`;
  writeFileSync(join(project, 'a.jsonl'), `${ok}{"usage": trunc\n${nulls}${nulls}${unknown}`);
  writeFileSync(join(project, 'b.jsonl'), `${huge}${future}`);
  consolidateOnce(sb);
  const run = (args: string[]) =>
    runNode(join(DIST, 'ccx-report.js'), [...args, '--no-consolidate'], { env: { ...sb.env, COLUMNS: '200' } });
  const json = JSON.parse((await run(['--json'])).stdout);
  assert.equal(json.skippedLines, 6);
  assert.deepEqual(json.skippedByReason, { malformed_json: 1, bad_token_count: 2, unknown_type: 1, over_10_mib: 1, time_out_of_range: 1 });
  assert.deepEqual(
    json.skippedFiles.map((f: { path: string; lines: number; byReason: object }) => [f.path, f.lines, f.byReason]),
    [
      ['projects/-tmp-proj/a.jsonl', 4, { malformed_json: 1, bad_token_count: 2, unknown_type: 1 }],
      ['projects/-tmp-proj/b.jsonl', 2, { over_10_mib: 1, time_out_of_range: 1 }],
    ],
  );
  const text = (await run([])).stdout;
  assert.match(
    text,
    /6 transcript lines skipped in 2 files: 2 null or negative token counts, 1 malformed JSON, 1 over 10 MiB, 1 time out of range, 1 unknown type/,
  );
});
