// withFileLock in one process: released after the edit even when it throws, a held lock times
// out after the wait given, a stale one is taken over.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FILE_LOCK_STALE_MS, LockTimeoutError, withFileLock } from '../lib/file-lock';
import { lockPath } from '../lib/paths';

const file = () => join(mkdtempSync(join(tmpdir(), 'ccx-lock-')), 'config.toml');

test('the lock is held during the edit and released after it, also when the edit throws', () => {
  const f = file();
  assert.equal(
    withFileLock(f, () => existsSync(lockPath(f))),
    true,
  );
  assert.equal(existsSync(lockPath(f)), false);
  assert.throws(() => withFileLock(f, () => assert.fail('edit failed')), /edit failed/);
  assert.equal(existsSync(lockPath(f)), false);
  assert.equal(
    withFileLock(f, () => 'again'),
    'again',
  );
});

test('a fresh lock held by another: LockTimeoutError after the wait; a stale one is taken over', () => {
  const f = file();
  mkdirSync(lockPath(f));
  const t0 = Date.now();
  assert.throws(() => withFileLock(f, () => 'never', 300), LockTimeoutError);
  assert.ok(Date.now() - t0 >= 300);
  const old = new Date(Date.now() - FILE_LOCK_STALE_MS - 1_000);
  utimesSync(lockPath(f), old, old);
  assert.equal(
    withFileLock(f, () => 'taken over', 300),
    'taken over',
  );
  assert.equal(existsSync(lockPath(f)), false);
});
