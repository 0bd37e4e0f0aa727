// Several processes opening a new state.db at once (a hook-started consolidator and a report, say):
// each migration step re-reads the schema version under the write lock, so exactly one process
// applies it and the others find it done instead of failing on "table already exists".
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { SCHEMA_VERSION } from '../lib/store';
import { DIST, query, sandboxPool } from './helpers/ccx';

const box = sandboxPool();
const N = 8;

const once = (env: NodeJS.ProcessEnv) =>
  new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [join(DIST, 'consolidator.js'), '--once'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stderr }));
  });

test(`${N} consolidators migrating one new state.db at once all succeed`, async () => {
  for (let round = 0; round < 3; round++) {
    const sb = box();
    const runs = await Promise.all(Array.from({ length: N }, () => once(sb.env)));
    for (const r of runs) assert.equal(r.code, 0, r.stderr);
    const [row] = query<{ user_version: number }>(sb, 'PRAGMA user_version');
    assert.equal(row!.user_version, SCHEMA_VERSION);
  }
});
