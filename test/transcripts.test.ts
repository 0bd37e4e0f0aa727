// Golden totals for every scanner rule, on the hand-written fixture in
// test/fixtures/transcripts/basic and on small files written by the tests themselves.
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdirSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readConfig, watchedProfiles } from '../lib/profiles/config';
import { carrySession } from '../lib/run';
import { scanProfiles } from '../lib/transcripts/scan';
import { assistantLine, FIXTURES, freshDb, ledgerRows, profile, tempDir, totals } from './helpers/transcript-fixtures';

/** The scans' clock: after every fixture line (later ones would be skipped as out of range). */
const NOW = Date.UTC(2026, 0, 1);

function basicCopy(t: Parameters<typeof tempDir>[0]) {
  const dir = tempDir(t);
  const configDir = join(dir, 'claude');
  cpSync(join(FIXTURES, 'basic'), configDir, { recursive: true });
  return { dir, configDir, db: freshDb(t, dir) };
}

test('basic fixture: dedup, sidechains, subagents, nulls, malformed lines, golden totals', (t) => {
  const { configDir, db } = basicCopy(t);
  const stats = scanProfiles(db, [profile('work', configDir)], { now: () => NOW });
  // 16 lines in sess-1.jsonl, 2 in the subagent file, 8 in sess-2.jsonl.
  assert.equal(stats.files, 3);
  assert.equal(stats.linesRead, 26);
  // sess-2: null input_tokens, truncated JSON, unknown type, no message.id, null cache_read.
  assert.equal(stats.skippedLines, 5);
  // Rows: m1:r1, m2, m3:r3a, m3:r3b, m10:r10, m12:r12 (sess-1), m11:r11 (subagent), m20:r20, m25:r25.
  assert.deepEqual(totals(db, 'work'), {
    rows: 9,
    input: 10 + 100 + 20 + 30 + 40 + 8 + 5 + 1 + 70,
    output: 50 + 9 + 2 + 3 + 4 + 1 + 6 + 2 + 30,
    cacheRead: 1000 + 50,
    cache5m: 200 + 100,
    cache1h: 300,
  });
  const byKey = new Map(ledgerRows(db, 'work').map((r) => [r.dedup_key, r]));
  // Three copies of m1:r1 (output 5, 50, 50): the largest total is kept.
  assert.equal(byKey.get('m1:r1')?.output_tokens, 50);
  // No requestId: message.id alone is the key; copies output 7 and 9 -> 9.
  assert.equal(byKey.get('m2')?.output_tokens, 9);
  // Same message id, two request ids: two rows.
  assert.equal(byKey.get('m3:r3a')?.input_tokens, 20);
  assert.equal(byKey.get('m3:r3b')?.input_tokens, 30);
  // The 5m/1h split comes from usage.cache_creation.
  assert.equal(byKey.get('m3:r3a')?.cache_creation_5m_tokens, 100);
  assert.equal(byKey.get('m3:r3a')?.cache_creation_1h_tokens, 300);
  // Sidechain replay of m10 (output 400) dropped; parent (output 4) kept.
  assert.equal(byKey.get('m10:r10')?.output_tokens, 4);
  assert.equal(byKey.get('m10:r10')?.is_sidechain, 0);
  // Sidechain copy of m12 seen first (output 99), then the parent (output 1): the parent wins.
  assert.equal(byKey.get('m12:r12')?.output_tokens, 1);
  assert.equal(byKey.get('m12:r12')?.is_sidechain, 0);
  // Subagent file: no sessionId/cwd in its lines -> session from the path, project from the dir.
  assert.deepEqual(
    [byKey.get('m11:r11')?.session_id, byKey.get('m11:r11')?.project, byKey.get('m11:r11')?.is_sidechain],
    ['sess-1', '-home-me-app', 1],
  );
  assert.equal(byKey.get('m1:r1')?.project, '/home/me/app');
  assert.equal(byKey.get('m20:r20')?.project, '-home-me-lib');
  assert.equal(byKey.get('m1:r1')?.ts, Date.parse('2025-10-01T10:00:02.000Z'));
  // Unknown models are kept with their tokens (pricing flags them).
  assert.equal(byKey.get('m25:r25')?.model, 'claude-mystery-9');
  // The <synthetic> lines produce no usage rows.
  assert.equal(byKey.has('m-err'), false);
  assert.equal(byKey.has('m-syn'), false);

  const hits = db.prepare('SELECT profile, session_id, ts, reset_at FROM limit_hits').all();
  assert.deepEqual(hits, [{ profile: 'work', session_id: 'sess-1', ts: Date.parse('2025-10-01T11:00:00.000Z'), reset_at: 1759330800000 }]);
  const costs = db.prepare('SELECT profile, session_id, total_cost_usd FROM cost_states').all();
  assert.deepEqual(costs, [{ profile: 'work', session_id: 'sess-1', total_cost_usd: 1.25 }]);
  const skippedInCursors = db.prepare('SELECT SUM(skipped_lines) AS n FROM scan_cursors').get() as { n: number };
  assert.equal(skippedInCursors.n, 5);
});

test('warm pass: unchanged files are only stat-ed and nothing changes', (t) => {
  const { configDir, db } = basicCopy(t);
  const p = profile('work', configDir);
  scanProfiles(db, [p], {});
  const before = ledgerRows(db);
  const stats = scanProfiles(db, [p], {});
  assert.deepEqual(
    { files: stats.files, changed: stats.filesChanged, bytes: stats.bytesRead, lines: stats.linesRead },
    { files: 3, changed: 0, bytes: 0, lines: 0 },
  );
  assert.deepEqual(ledgerRows(db), before);
});

test('partial line: an unterminated tail waits, then counts once', (t) => {
  const dir = tempDir(t);
  const db = freshDb(t, dir);
  const file = join(dir, 'c', 'projects', 'p', 's.jsonl');
  mkdirSync(join(dir, 'c', 'projects', 'p'), { recursive: true });
  const a = assistantLine({ id: 'a', input: 3, output: 4 });
  const b = assistantLine({ id: 'b', input: 5, output: 6 });
  writeFileSync(file, a + b.slice(0, 40));
  const p = profile('x', join(dir, 'c'));
  scanProfiles(db, [p], {});
  assert.deepEqual(
    ledgerRows(db).map((r) => r.dedup_key),
    ['a:req-a'],
  );
  const cur = db.prepare('SELECT offset FROM scan_cursors').get() as { offset: number };
  assert.equal(cur.offset, Buffer.byteLength(a));
  appendFileSync(file, b.slice(40));
  scanProfiles(db, [p], {});
  assert.deepEqual(totals(db, 'x'), { rows: 2, input: 8, output: 10, cacheRead: 0, cache5m: 0, cache1h: 0 });
});

test('rotation (new inode) and truncation rescan from 0 without double counting', (t) => {
  const dir = tempDir(t);
  const db = freshDb(t, dir);
  const proj = join(dir, 'c', 'projects', 'p');
  mkdirSync(proj, { recursive: true });
  const file = join(proj, 's.jsonl');
  const p = profile('x', join(dir, 'c'));
  writeFileSync(file, assistantLine({ id: 'a', input: 1, output: 1 }) + assistantLine({ id: 'b', input: 2, output: 2 }));
  scanProfiles(db, [p], {});
  // Rotation: a new file (new inode) replaces it, holding the old lines and one more.
  writeFileSync(
    join(proj, 'tmp'),
    assistantLine({ id: 'a', input: 1, output: 1 }) +
      assistantLine({ id: 'b', input: 2, output: 2 }) +
      assistantLine({ id: 'c', input: 4, output: 4 }),
  );
  renameSync(join(proj, 'tmp'), file);
  const s1 = scanProfiles(db, [p], {});
  assert.equal(s1.linesRead, 3, 'rotated file is read from 0');
  assert.deepEqual(totals(db, 'x'), { rows: 3, input: 7, output: 7, cacheRead: 0, cache5m: 0, cache1h: 0 });
  // Truncation: same inode, now shorter than the cursor; then a new line is written.
  truncateSync(file, 0);
  appendFileSync(file, assistantLine({ id: 'd', input: 8, output: 8 }));
  const s2 = scanProfiles(db, [p], {});
  assert.equal(s2.linesRead, 1);
  // a, b, c stay (they were spent), d is added once.
  assert.deepEqual(totals(db, 'x'), { rows: 4, input: 15, output: 15, cacheRead: 0, cache5m: 0, cache1h: 0 });
  // Re-reading from 0 again (cursor lost) adds nothing.
  db.exec('DELETE FROM scan_cursors');
  scanProfiles(db, [p], {});
  assert.deepEqual(totals(db, 'x'), { rows: 4, input: 15, output: 15, cacheRead: 0, cache5m: 0, cache1h: 0 });
});

test('a line over 10 MiB is skipped and counted, the lines around it are kept', (t) => {
  const dir = tempDir(t);
  const db = freshDb(t, dir);
  const proj = join(dir, 'c', 'projects', 'p');
  mkdirSync(proj, { recursive: true });
  const file = join(proj, 's.jsonl');
  const huge = assistantLine({ id: 'huge', input: 1000, output: 1000 }).replace('"text":"x"', `"text":"${'y'.repeat(11 * 1024 * 1024)}"`);
  writeFileSync(file, assistantLine({ id: 'a', input: 1, output: 2 }));
  appendFileSync(file, huge);
  appendFileSync(file, assistantLine({ id: 'b', input: 3, output: 4 }));
  const logs: string[] = [];
  const stats = scanProfiles(db, [profile('x', join(dir, 'c'))], { log: (m) => logs.push(m) });
  assert.equal(stats.skippedLines, 1);
  assert.equal(logs.length, 1);
  assert.deepEqual(totals(db, 'x'), { rows: 2, input: 4, output: 6, cacheRead: 0, cache5m: 0, cache1h: 0 });
});

test('two profiles never mix, even with the same message ids', (t) => {
  const dir = tempDir(t);
  const db = freshDb(t, dir);
  for (const [name, input] of [
    ['a', 10],
    ['b', 20],
  ] as const) {
    const proj = join(dir, name, 'projects', 'p');
    mkdirSync(proj, { recursive: true });
    writeFileSync(
      join(proj, 's.jsonl'),
      assistantLine({ id: 'same', input, output: 1 }) + assistantLine({ id: `only-${name}`, input: 1, output: 1 }),
    );
  }
  scanProfiles(db, [profile('a', join(dir, 'a')), profile('b', join(dir, 'b'))], {});
  assert.deepEqual(totals(db, 'a'), { rows: 2, input: 11, output: 2, cacheRead: 0, cache5m: 0, cache1h: 0 });
  assert.deepEqual(totals(db, 'b'), { rows: 2, input: 21, output: 2, cacheRead: 0, cache5m: 0, cache1h: 0 });
  assert.deepEqual(
    ledgerRows(db, 'a').map((r) => r.dedup_key),
    ['only-a:req-only-a', 'same:req-same'],
  );
});

test('an unregistered default config dir is scanned as profile "default"', (t) => {
  const { dir, configDir, db } = basicCopy(t);
  const env = { HOME: join(dir, 'home'), CLAUDE_CONFIG_DIR: configDir, CCX_HOME: join(dir, 'ccx') };
  const profiles = watchedProfiles(readConfig(join(dir, 'ccx', 'config.toml')), env);
  scanProfiles(db, profiles, {});
  assert.deepEqual(
    profiles.map((p) => p.name),
    ['default'],
  );
  assert.equal(totals(db, 'default').rows, 9);
});

test('cost-state without a timestamp uses the injected clock', (t) => {
  const dir = tempDir(t);
  const db = freshDb(t, dir);
  const proj = join(dir, 'c', 'projects', 'p');
  mkdirSync(proj, { recursive: true });
  writeFileSync(join(proj, 's9.jsonl'), `${JSON.stringify({ type: 'cost-state', sessionId: 's9', totalCostUSD: 2.5 })}\n`);
  scanProfiles(db, [profile('x', join(dir, 'c'))], { now: () => 1234 });
  assert.deepEqual(db.prepare('SELECT session_id, ts, total_cost_usd FROM cost_states').all(), [
    { session_id: 's9', ts: 1234, total_cost_usd: 2.5 },
  ]);
});

test('a transcript ccx run carried to a sibling counts once, where it was spent; what the sibling adds counts there', (t) => {
  const dir = tempDir(t);
  const db = freshDb(t, dir);
  const [a, b] = [join(dir, 'a'), join(dir, 'b')];
  const project = join(a, 'projects', '-work-p');
  mkdirSync(join(project, 's1', 'subagents'), { recursive: true });
  writeFileSync(
    join(project, 's1.jsonl'),
    assistantLine({ id: 'm1', session: 's1', output: 10 }) + assistantLine({ id: 'm2', session: 's1', output: 20 }),
  );
  writeFileSync(join(project, 's1', 'subagents', 'agent-1.jsonl'), assistantLine({ id: 'm3', session: 's1', output: 5, sidechain: true }));
  const profiles = [profile('a', a), profile('b', b)];
  scanProfiles(db, profiles, {});
  assert.equal(carrySession(a, b, 's1', 'a'), true);
  appendFileSync(join(b, 'projects', '-work-p', 's1.jsonl'), assistantLine({ id: 'm4', session: 's1', output: 7 }));
  scanProfiles(db, profiles, {});
  assert.equal(totals(db, 'a').output, 35);
  assert.deepEqual(
    ledgerRows(db, 'b').map((r) => [r.dedup_key, r.output_tokens]),
    [['m4:req-m4', 7]],
  );
});
