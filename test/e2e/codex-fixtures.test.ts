// The committed Codex fixtures agree with their truth.json: every response the stub sent is in
// the rollout of its session, once, with its usage. Guards the fixtures the ledger's golden
// tests rest on against a refresh that went wrong or a hand edit. Needs no Codex.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from './claude-cli';
import { readRollout, rolloutFiles } from './codex-harness';
import { codexTokenUsage, type SentResponse } from './codex-stub';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'codex');

const fixtures = readdirSync(FIXTURES).filter((d) => existsSync(join(FIXTURES, d, 'truth.json')));

test('there are rollout fixtures', () => {
  assert.ok(fixtures.length >= 8, fixtures.join(', '));
});

for (const name of fixtures) {
  test(`fixture ${name}: each rollout's token_usage_record lines are its session's responses in truth.json`, () => {
    const dir = join(FIXTURES, name);
    const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as { responses: SentResponse[] };
    const files = rolloutFiles(dir);
    assert.ok(files.length > 0);
    const seen: string[] = [];
    for (const f of files) {
      const lines = readRollout(f);
      const threadId = (lines.find((l) => l.type === 'session_meta')?.payload as { id?: string } | undefined)?.id;
      assert.ok(threadId && f.endsWith(`${threadId}.jsonl`), `${relative(dir, f)}: named by its session_meta id`);
      const records = lines.filter((l) => l.type === 'token_usage_record').map((l) => [l.payload.response_id, l.payload.usage]);
      const sent = truth.responses.filter((r) => r.threadId === threadId);
      assert.deepEqual(
        records,
        sent.map((r) => [r.responseId, codexTokenUsage(r.usage)]),
        relative(dir, f),
      );
      seen.push(...sent.map((r) => r.responseId));
      for (const l of lines) assert.doesNotMatch(JSON.stringify(l), /ccx-codex-[A-Za-z0-9]{6}/, 'no temp path left');
    }
    assert.deepEqual(seen.sort(), truth.responses.map((r) => r.responseId).sort(), 'every response is in some rollout');
  });
}
