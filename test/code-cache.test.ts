// The V8 code cache of the hook runtime (lib/code-cache), through real hook processes: written
// once, then used as is; a broken or foreign cache never breaks a hook and is replaced.

import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { STALE_CACHE_MS } from '../lib/code-cache';
import { DIST, hookScript, payload, runHook, runNode, type Sandbox, sandbox } from './helpers/ccx';

const cacheDir = (sb: Sandbox) => join(sb.home, 'cache');
const caches = (sb: Sandbox) =>
  readdirSync(cacheDir(sb))
    .filter((n) => n.startsWith('hook-runtime-'))
    .sort();

async function stopHook(sb: Sandbox, session: string) {
  const r = await runHook('Stop', payload('Stop', session, sb), sb);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
}
const inboxSessions = (sb: Sandbox) =>
  readFileSync(join(sb.home, 'inbox.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l).payload.session_id);

test('the first hook run writes the cache; later runs use it as is', async () => {
  const sb = sandbox();
  mkdirSync(join(sb.home, 'consolidator.lock'), { recursive: true });
  try {
    await stopHook(sb, 's1');
    const [name] = caches(sb);
    assert.match(name!, new RegExp(`^hook-runtime-\\w+\\.js\\.${process.version}-${process.arch}\\.v8$`));
    const file = join(cacheDir(sb), name!);
    assert.equal(statSync(cacheDir(sb)).mode & 0o777, 0o700);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const before = { bytes: readFileSync(file), mtimeMs: statSync(file).mtimeMs };
    await stopHook(sb, 's2');
    // A rejected cache would have been written again.
    assert.equal(statSync(file).mtimeMs, before.mtimeMs);
    assert.deepEqual(readFileSync(file), before.bytes);
    assert.deepEqual(inboxSessions(sb), ['s1', 's2']);
    assert.equal(existsSync(join(sb.home, 'logs', 'hooks.log')), false, 'nothing refused');
  } finally {
    sb.cleanup();
  }
});

for (const [what, corrupt] of [
  ['garbage', (good: Buffer) => Buffer.alloc(good.length, 0xab)],
  ['a truncated cache', (good: Buffer) => good.subarray(0, good.length >> 1)],
] as const) {
  test(`${what} in the cache: the hook still records its event, and the cache is rewritten`, async () => {
    const sb = sandbox();
    mkdirSync(join(sb.home, 'consolidator.lock'), { recursive: true });
    try {
      await stopHook(sb, 's1');
      const file = join(cacheDir(sb), caches(sb)[0]!);
      const bad = corrupt(readFileSync(file));
      writeFileSync(file, bad);
      await stopHook(sb, 's2');
      const rewritten = readFileSync(file);
      assert.notDeepEqual(rewritten, bad);
      await stopHook(sb, 's3');
      assert.deepEqual(readFileSync(file), rewritten, 'the rewritten cache is accepted');
      assert.deepEqual(inboxSessions(sb), ['s1', 's2', 's3']);
    } finally {
      sb.cleanup();
    }
  });
}

test("other runtimes' caches are pruned once older than a week; recent ones stay", async () => {
  const sb = sandbox();
  mkdirSync(join(sb.home, 'consolidator.lock'), { recursive: true });
  try {
    mkdirSync(cacheDir(sb), { recursive: true });
    const old = join(cacheDir(sb), 'hook-runtime-OLDBUILD.js.v20.0.0-x64.v8');
    const recent = join(cacheDir(sb), 'hook-runtime-OTHER.js.v20.0.0-x64.v8');
    writeFileSync(old, 'x');
    writeFileSync(recent, 'x');
    const longAgo = new Date(Date.now() - STALE_CACHE_MS - 60_000);
    utimesSync(old, longAgo, longAgo);
    await stopHook(sb, 's1');
    const names = caches(sb);
    assert.equal(names.length, 2);
    assert.ok(names.includes('hook-runtime-OTHER.js.v20.0.0-x64.v8'));
    assert.ok(!names.includes('hook-runtime-OLDBUILD.js.v20.0.0-x64.v8'));
  } finally {
    sb.cleanup();
  }
});

test('a hook whose runtime is missing exits 0, prints nothing and logs why', async () => {
  const sb = sandbox();
  try {
    const lonely = join(sb.root, 'hooks');
    mkdirSync(lonely);
    copyFileSync(hookScript('Stop'), join(lonely, 'stop.js'));
    const r = await runNode(join(lonely, 'stop.js'), [], { env: sb.env, input: JSON.stringify(payload('Stop', 's1', sb)) });
    assert.equal(r.code, 0);
    assert.equal(r.stdout, '');
    assert.match(readFileSync(join(sb.home, 'logs', 'hooks.log'), 'utf8'), /Stop: could not load the hook runtime: ENOENT/);
  } finally {
    sb.cleanup();
  }
});

test('the CLIs run through the cache too, and never create a missing $CCX_HOME for it', async () => {
  const sb = sandbox();
  try {
    mkdirSync(sb.home, { recursive: true });
    const r = await runNode(join(DIST, 'ccx-report.js'), ['--help'], { env: sb.env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /ccx-report/);
    assert.equal(readdirSync(cacheDir(sb)).filter((n) => n.startsWith('ccx-report-runtime-')).length, 1);

    const gone = { ...sb.env, CCX_HOME: join(sb.root, 'removed') };
    assert.equal((await runNode(join(DIST, 'ccx-report.js'), ['--help'], { env: gone })).code, 0);
    assert.equal(existsSync(gone.CCX_HOME), false);
  } finally {
    sb.cleanup();
  }
});
