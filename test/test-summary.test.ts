// `npm test` ends with one line a person can read: scripts/test-summary.mjs, run on a tiny suite.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from './helpers/ccx';

test('the summary line counts passed, failed and skipped tests, not suites', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ccx-summary-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'tiny.test.mjs');
  writeFileSync(
    file,
    `import { describe, test } from 'node:test';
describe('a suite', () => {
  test('passes', () => {});
  test('fails', () => { throw new Error('no'); });
  test('is skipped', { skip: 'not here' }, () => {});
});
`,
  );
  const reporter = join(ROOT, 'scripts', 'test-summary.mjs');
  // Without NODE_TEST_CONTEXT the child is a run of its own, not a subtest reporting to this one.
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  const r = spawnSync(process.execPath, ['--test', `--test-reporter=${reporter}`, '--test-reporter-destination=stdout', file], {
    encoding: 'utf8',
    env,
  });
  assert.equal(r.status, 1, 'a failing suite still fails the run');
  assert.equal(r.stdout.trim(), 'FAILED: 1 passed, 1 failed, 1 skipped');
});
