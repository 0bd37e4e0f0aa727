// OpenCode's database → the usage ledger: exact rows from what the real OpenCode 1.18.33 wrote,
// incremental and idempotent rereads, skipped rows counted once, and OpenCode's writers neither
// blocking ccx's read nor blocked by it (a real second process holds the write lock).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openCodeConfigDir, openCodeDatabases, scanOpenCode } from '../lib/opencode';
import { CHANGED_MESSAGES_SQL } from '../lib/opencode/scan';
import { skippedLines } from '../lib/report/query';
import type { Db } from '../lib/store';
import { insertRows, openCodeDb, openCodeRows } from './helpers/opencode';
import { freshDb, type LedgerRow, profile, tempDir } from './helpers/transcript-fixtures';

const rows = openCodeRows();
const LAST_TS = Math.max(...rows.message.map((m) => m.time_updated as number));
/** After every fixture row and every file the test writes, so stats are settled (scan.ts SETTLE_MS). */
const now = () => Math.max(Date.now(), LAST_TS) + 60_000;

function setup(t: Parameters<typeof tempDir>[0]) {
  const dir = tempDir(t, 'ccx-oc-');
  const dataDir = join(dir, 'share', 'opencode');
  mkdirSync(dataDir, { recursive: true });
  const dbPath = join(dataDir, 'opencode.db');
  const oc = openCodeDb(dbPath);
  t.after(() => oc.close());
  return { dir, dataDir, dbPath, oc, db: freshDb(t, dir), prof: { ...profile('oc', dataDir), agent: 'opencode' as const } };
}

/** A ledger row as the transcript tests read it, without the profile (always 'oc'), with what OpenCode adds. */
type UsageRow = Omit<LedgerRow, 'profile'> & { reasoning_tokens: number; agent: string };
const usage = (db: Db): UsageRow[] =>
  db
    .prepare(
      `SELECT dedup_key, session_id, project, model, ts, input_tokens, output_tokens, cache_read_tokens, cache_creation_5m_tokens,
         cache_creation_1h_tokens, reasoning_tokens, is_sidechain, agent FROM usage WHERE profile = 'oc' ORDER BY ts, dedup_key`,
    )
    .all() as UsageRow[];

test('the rows the real OpenCode wrote: one usage row per assistant message with tokens, ccusage buckets, reasoning in output', (t) => {
  const { db, prof } = setup(t);
  const stats = scanOpenCode(db, prof, { now });
  assert.equal(stats.databases, 1);
  assert.equal(stats.messagesRead, 14);
  assert.equal(stats.skipped, 0);
  const got = usage(db);
  // The first stub answered prompt_tokens 1200 (200 cached), completion_tokens 34 (10 reasoning); the
  // others prompt_tokens 1000 + n (100 of them cached), completion_tokens 30 + n (5 of them reasoning) for its n-th request, and 2000 / 40 for the task call. OpenCode stores input
  // without the cached part and output without reasoning; ccx bills all of the completion as output.
  const want = [
    ['msg_23ba75a04001EAwGa7naWqqDNO', 1000, 34, 10, 200, 0],
    ['msg_23ba9309e001Ii82BcrNqOCvF7', 902, 32, 5, 100, 0],
    ['msg_23ba937ae001yMGrBxNkr5To7O', 903, 33, 5, 100, 0],
    ['msg_23baf4549001ckAKDgqSMQHsTC', 2000, 40, 0, 0, 0],
    ['msg_23baf4aa1001Xom7ZvAHO6k559', 903, 33, 5, 100, 1],
    ['msg_23baf4b45001Y9XhUODvbzSsYN', 904, 34, 5, 100, 0],
  ];
  assert.deepEqual(
    got.map((r) => [r.dedup_key, r.input_tokens, r.output_tokens, r.reasoning_tokens, r.cache_read_tokens, r.is_sidechain]),
    want,
  );
  for (const r of got) {
    assert.equal(r.agent, 'opencode');
    assert.equal(r.model, 'stub-model');
    assert.equal(r.project, '/tmp/oc/proj');
    assert.equal(r.cache_creation_5m_tokens + r.cache_creation_1h_tokens, 0);
    const m = rows.message.find((x) => x.id === r.dedup_key)!;
    assert.equal(r.session_id, m.session_id);
    assert.equal(r.ts, JSON.parse(m.data as string).time.created);
  }
  // The errored and the interrupted assistant messages hold zeros: nothing was billed.
  assert.equal(got.length, 6);
});

test('incremental: an unchanged database is not opened; a changed one gives only its changed rows; rereads change nothing', (t) => {
  const { db, dbPath, oc, prof } = setup(t);
  oc.pragma('wal_checkpoint(TRUNCATE)');
  scanOpenCode(db, prof, { now });
  const first = usage(db);
  const again = scanOpenCode(db, prof, { now });
  assert.equal(again.databasesRead, 0, 'same stat: not opened');

  // OpenCode streams a new step: the message first with zeros, then with its tokens; and a cache write.
  const base = JSON.parse(rows.message.at(-1)!.data as string);
  const stamp = LAST_TS + 1000;
  const msg = (tokens: object) => JSON.stringify({ ...base, tokens, time: { created: stamp } });
  insertRows(oc, 'message', [
    {
      id: 'msg_new',
      session_id: rows.message.at(-1)!.session_id,
      time_created: stamp,
      time_updated: stamp,
      data: msg({ input: 0, output: 0, reasoning: 0, cache: { read: 0, write: 0 } }),
    },
  ]);
  oc.prepare('UPDATE session SET time_updated = ? WHERE id = ?').run(stamp, rows.message.at(-1)!.session_id);
  const streaming = scanOpenCode(db, prof, { now });
  assert.equal(streaming.databasesRead, 1);
  assert.equal(streaming.usageRows, 0, 'zeros: no row yet');
  oc.prepare('UPDATE message SET data = ?, time_updated = ? WHERE id = ?').run(
    msg({ total: 777, input: 500, output: 70, reasoning: 7, cache: { read: 100, write: 100 } }),
    stamp + 5,
    'msg_new',
  );
  const done = scanOpenCode(db, prof, { now });
  assert.equal(done.usageRows, 1, 'only the changed message is written; the overlap reread changes nothing');
  const added = usage(db).find((r) => r.dedup_key === 'msg_new')!;
  assert.deepEqual([added.input_tokens, added.output_tokens, added.cache_read_tokens, added.cache_creation_5m_tokens], [500, 77, 100, 100]);

  // Cursor lost (or a fresh read of the same database): the same ledger, nothing counted twice.
  db.prepare('DELETE FROM scan_cursors').run();
  const full = scanOpenCode(db, prof, { now });
  assert.equal(full.usageRows, 0);
  assert.deepEqual(
    usage(db),
    [...first, added].sort((a, b) => a.ts - b.ts || a.dedup_key.localeCompare(b.dedup_key)),
  );

  // The database deleted and recreated (a new inode): read whole again, still one row per message.
  oc.close();
  renameSync(dbPath, `${dbPath}.old`);
  rmSync(`${dbPath}-wal`, { force: true });
  rmSync(`${dbPath}-shm`, { force: true });
  const oc2 = openCodeDb(dbPath);
  t.after(() => oc2.close());
  const recreated = scanOpenCode(db, prof, { now });
  assert.equal(recreated.databasesRead, 1);
  assert.equal(recreated.usageRows, 0);
  assert.equal(usage(db).length, 7);
});

test('bad rows are skipped and counted once, however often the overlap rereads them; the report names the database', (t) => {
  const { db, dbPath, oc, prof } = setup(t);
  const sid = rows.message[1]!.session_id;
  const at = LAST_TS + 2000;
  const base = JSON.parse(rows.message[1]!.data as string);
  const bad = (id: string, data: string) => ({ id, session_id: sid, time_created: at, time_updated: at, data });
  insertRows(oc, 'message', [
    bad('msg_badjson', '{"role":"assistant",'),
    bad('msg_negative', JSON.stringify({ ...base, tokens: { input: -1, output: 2, reasoning: 0, cache: { read: 0, write: 0 } } })),
    bad('msg_nomodel', JSON.stringify({ ...base, modelID: '' })),
    bad('msg_future', JSON.stringify({ ...base, time: { created: now() + 3 * 86_400_000 } })),
  ]);
  oc.prepare('UPDATE session SET time_updated = ? WHERE id = ?').run(at, sid);
  const first = scanOpenCode(db, prof, { now });
  assert.equal(first.skipped, 4);
  // New writes make the next pass reread the last minute, bad rows included.
  oc.prepare('UPDATE session SET title = title || ? WHERE id = ?').run('!', sid);
  const second = scanOpenCode(db, prof, { now });
  assert.equal(second.databasesRead, 1);
  assert.equal(second.skipped, 0);
  const report = skippedLines(db, ['oc']);
  assert.equal(report.total, 4);
  assert.deepEqual(report.byReason, { malformed_json: 1, bad_token_count: 1, missing_field: 1, time_out_of_range: 1 });
  assert.equal(report.files[0]!.path, dbPath);
});

/** A second process as OpenCode: opens the database its way, then runs `steps` on stdin lines. */
const WRITER = `
const Database = require(process.argv[1]);
const db = new Database(process.argv[2]);
db.pragma('journal_mode = WAL'); db.pragma('busy_timeout = ' + process.argv[3]);
const rl = require('node:readline').createInterface({ input: process.stdin });
rl.on('line', (sql) => { try { db.exec(sql); console.log('ok'); } catch (e) { console.log('error ' + e.code); } });
rl.on('close', () => db.close());
`;

function writer(dbPath: string, busyMs: number) {
  const child = spawn(process.execPath, ['-e', WRITER, require.resolve('better-sqlite3'), dbPath, String(busyMs)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  let wake: (() => void) | null = null;
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    lines.push(...d.split('\n').filter(Boolean));
    wake?.();
  });
  const run = async (sql: string): Promise<string> => {
    const before = lines.length;
    child.stdin.write(`${sql}\n`);
    while (lines.length === before) await new Promise<void>((r) => (wake = r));
    return lines[before]!;
  };
  return { run, stop: () => child.stdin.end() };
}

const fileHash = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

test('OpenCode holding its write lock does not block the scan, the scan does not block OpenCode, and ccx writes nothing there', async (t) => {
  const { db, dbPath, oc, prof } = setup(t);
  oc.close();
  const sid = rows.message[1]!.session_id;
  const data = rows.message[1]!.data as string;
  const oc1 = writer(dbPath, 0);
  t.after(() => oc1.stop());
  assert.equal(await oc1.run('BEGIN IMMEDIATE'), 'ok');
  assert.equal(
    await oc1.run(
      `INSERT INTO message (id, session_id, time_created, time_updated, data) VALUES ('msg_uncommitted', '${sid}', ${LAST_TS - 10_000}, ${LAST_TS - 10_000}, '${data}')`,
    ),
    'ok',
  );
  const bytes = [fileHash(dbPath), fileHash(`${dbPath}-wal`)];
  const stats = scanOpenCode(db, prof, { now, busyTimeoutMs: 0 });
  assert.equal(stats.databasesRead, 1);
  assert.equal(usage(db).length, 6, 'read while OpenCode held the write lock, without its uncommitted row');
  assert.deepEqual([fileHash(dbPath), fileHash(`${dbPath}-wal`)], bytes, 'the scan wrote nothing into the database or its WAL');
  assert.equal(await oc1.run(`UPDATE session SET time_updated = ${LAST_TS + 1} WHERE id = '${sid}'`), 'ok');
  assert.equal(await oc1.run('COMMIT'), 'ok', 'OpenCode commits after the scan as if ccx were not there');
  scanOpenCode(db, prof, { now });
  assert.ok(
    usage(db).some((r) => r.dedup_key === 'msg_uncommitted'),
    'the next pass reads it',
  );

  // The other way round: while ccx's read snapshot is open, OpenCode (busy timeout 0) writes and commits.
  const { openDb } = await import('../lib/store');
  const reader = openDb(dbPath, { readonly: true, busyTimeoutMs: 0 });
  t.after(() => reader.close());
  const it = reader.prepare('SELECT id FROM message').iterate();
  assert.ok(!it.next().done, 'the read transaction is open');
  assert.equal(await oc1.run('BEGIN IMMEDIATE'), 'ok');
  assert.equal(await oc1.run(`UPDATE message SET time_updated = time_updated + 1 WHERE id = 'msg_uncommitted'`), 'ok');
  assert.equal(await oc1.run('COMMIT'), 'ok');
  it.return?.();
});

test("a pass walks sessions and reaches messages through OpenCode's index, never the whole message table", (t) => {
  const { oc } = setup(t);
  const plan = (oc.prepare(`EXPLAIN QUERY PLAN ${CHANGED_MESSAGES_SQL}`).all(0, 0) as { detail: string }[]).map((r) => r.detail);
  assert.deepEqual(plan, ['SCAN s', 'SEARCH m USING INDEX message_session_time_created_id_idx (session_id=?)']);
});

test('the databases of a data dir and the config dir that goes with it', (t) => {
  const dir = tempDir(t, 'ccx-oc-');
  const data = join(dir, '.local', 'share', 'opencode');
  mkdirSync(data, { recursive: true });
  for (const f of ['opencode.db', 'opencode-beta.db', 'opencode.db-wal', 'opencode-x y.db', 'other.db']) writeFileSync(join(data, f), '');
  assert.deepEqual(openCodeDatabases(data), [join(data, 'opencode-beta.db'), join(data, 'opencode.db')]);
  assert.deepEqual(openCodeDatabases(join(dir, 'missing')), []);
  assert.equal(openCodeConfigDir(data, {}), join(dir, '.config', 'opencode'));
  assert.equal(openCodeConfigDir('/x/data/opencode', { XDG_DATA_HOME: '/x/data', XDG_CONFIG_HOME: '/x/conf' }), '/x/conf/opencode');
  assert.equal(openCodeConfigDir('/x/data/opencode', { XDG_DATA_HOME: '/x/data', HOME: '/h' }), '/h/.config/opencode');
  assert.equal(openCodeConfigDir('/x/elsewhere', { HOME: '/h' }), null);
});
