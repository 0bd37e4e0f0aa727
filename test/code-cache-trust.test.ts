// Code caches ccx cannot vouch for never run (lib/code-cache, threat model in its README). V8
// checks a cache only against the source's length, so each test plants a cache compiled from
// other code of the same length — code that writes a marker file if it ever runs — where a real
// process looks for its cache, and checks that the marker never appears and the process still
// does its job. Root-only cases (chown, setpriv) are skipped for other users.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { test } from 'node:test';
import { Script } from 'node:vm';
import { DIST, hookScript, payload, runNode, type Sandbox, sandbox } from './helpers/ccx';

const ROOT_ONLY = process.getuid?.() === 0 ? false : 'needs root (chown, setpriv)';
const VICTIM_UID = 1234;
const ATTACKER_UID = 1235;

/** V8's own data in a cache file starts with its magic number and version hash, bytes no UTF-8 text holds. */
const V8_DATA_START = new Script('0').createCachedData().subarray(0, 8);
function v8DataAt(cache: Buffer): number {
  const at = cache.indexOf(V8_DATA_START);
  assert.ok(at >= 0, 'a V8 code cache');
  return at;
}

type Target = { loader: string; runtime: string; args: string[]; input?: string };
const runtimeIn = (dir: string, prefix: string) => join(dir, readdirSync(dir).find((n) => n.startsWith(prefix) && n.endsWith('.js'))!);
const stopHook = (sb: Sandbox, session: string): Target => ({
  loader: hookScript('Stop'),
  runtime: runtimeIn(join(DIST, 'hooks'), 'hook-runtime-'),
  args: [],
  input: JSON.stringify(payload('Stop', session, sb)),
});
const report = (): Target => ({ loader: join(DIST, 'ccx-report.js'), runtime: runtimeIn(DIST, 'ccx-report-runtime-'), args: ['--help'] });

const cacheFile = (sb: Sandbox, t: Target) => {
  const dir = join(sb.home, 'cache');
  const name = readdirSync(dir).find((n) => n.startsWith(`${basename(t.runtime)}.`) && n.endsWith('.v8'));
  assert.ok(name, `a cache for ${basename(t.runtime)}`);
  return join(dir, name);
};
const marker = (sb: Sandbox) => join(sb.root, 'planted-code-ran');

/**
 * Runs `t` under the same name but with other code of the same length (it writes the marker), so
 * that ccx itself writes a cache for it, in a scratch CCX_HOME. Returns that cache file's bytes.
 */
async function cacheOfOtherCode(sb: Sandbox, t: Target): Promise<Buffer> {
  const dir = join(sb.root, 'other-build', basename(dirname(t.runtime)));
  mkdirSync(dir, { recursive: true });
  const length = readFileSync(t.runtime, 'utf8').length;
  const code = `require('node:fs').writeFileSync(${JSON.stringify(marker(sb))}, 'ran');`;
  writeFileSync(join(dir, basename(t.runtime)), code.padEnd(length, ' '));
  copyFileSync(t.loader, join(dir, basename(t.loader)));
  const scratch = { ...sb.env, CCX_HOME: join(sb.root, 'scratch') };
  mkdirSync(scratch.CCX_HOME, { recursive: true });
  await runNode(join(dir, basename(t.loader)), t.args, { env: scratch, input: t.input });
  assert.ok(existsSync(marker(sb)), 'the other code writes the marker when run');
  unlinkSync(marker(sb));
  const cacheDir = join(scratch.CCX_HOME, 'cache');
  return readFileSync(join(cacheDir, readdirSync(cacheDir).find((n) => n.startsWith(basename(t.runtime)))!));
}

/**
 * A cache that ccx would take as its own but for who wrote it: ccx's cache for the real runtime
 * (whatever ccx writes before V8's data) with the V8 data of the other code.
 */
async function plantedCache(sb: Sandbox, t: Target): Promise<{ file: string; bytes: Buffer }> {
  mkdirSync(join(sb.home, 'consolidator.lock'), { recursive: true });
  const first = await runNode(t.loader, t.args, { env: sb.env, input: t.input });
  assert.equal(first.code, 0, first.stderr);
  const file = cacheFile(sb, t);
  const own = readFileSync(file);
  const other = await cacheOfOtherCode(sb, t);
  return { file, bytes: Buffer.concat([own.subarray(0, v8DataAt(own)), other.subarray(v8DataAt(other))]) };
}

const inbox = (sb: Sandbox) => readFileSync(join(sb.home, 'inbox.jsonl'), 'utf8');
const refusals = (sb: Sandbox, log = 'hooks.log') =>
  readFileSync(join(sb.home, 'logs', log), 'utf8')
    .split('\n')
    .filter((l) => l.includes('code cache'));

async function runStop(sb: Sandbox, session: string, env = sb.env) {
  const t = stopHook(sb, session);
  const r = await runNode(t.loader, [], { env, input: t.input });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
}

function assertNotRun(sb: Sandbox) {
  assert.equal(existsSync(marker(sb)), false, 'the planted cache ran');
}

test('a cache file owned by another uid is not used, and is replaced by our own', { skip: ROOT_ONLY }, async () => {
  const sb = sandbox();
  try {
    const { file, bytes } = await plantedCache(sb, stopHook(sb, 's1'));
    writeFileSync(file, bytes);
    chownSync(file, ATTACKER_UID, ATTACKER_UID);
    await runStop(sb, 's2');
    assertNotRun(sb);
    assert.match(inbox(sb), /"s2"/);
    assert.equal(refusals(sb).length, 1);
    assert.match(refusals(sb)[0]!, /owned by uid 1235/);
    assert.equal(statSync(file).uid, 0, 'rewritten by the process that refused it');
  } finally {
    sb.cleanup();
  }
});

test("root running ccx-report on a user's CCX_HOME uses none of the user's caches", { skip: ROOT_ONLY }, async () => {
  const sb = sandbox();
  try {
    const t = report();
    const { file, bytes } = await plantedCache(sb, t);
    writeFileSync(file, bytes);
    for (const p of [sb.home, dirname(file), file]) chownSync(p, VICTIM_UID, VICTIM_UID);
    const r = await runNode(t.loader, t.args, { env: sb.env });
    assertNotRun(sb);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /ccx-report/);
    assert.deepEqual(readFileSync(file), bytes, 'nothing written into a directory root does not own');
    // The home itself is refused (lib/home-trust.ts): the loader does not even look for a cache.
    assert.equal(existsSync(join(sb.home, 'logs', 'consolidator.log')), false);
  } finally {
    sb.cleanup();
  }
});

test('a CCX_HOME another user created: its caches are not used by the victim', { skip: ROOT_ONLY }, async () => {
  const sb = sandbox();
  try {
    const { file, bytes } = await plantedCache(sb, stopHook(sb, 's1'));
    writeFileSync(file, bytes);
    // The victim's own home holds a CCX_HOME the attacker made, open to all so hooks still work.
    spawnSync('chown', ['-R', `${VICTIM_UID}:${VICTIM_UID}`, sb.root]);
    spawnSync('chown', ['-R', `${ATTACKER_UID}:${ATTACKER_UID}`, sb.home]);
    chmodSync(sb.home, 0o777);
    chmodSync(dirname(file), 0o755);
    chmodSync(file, 0o644);
    unlinkSync(join(sb.home, 'inbox.jsonl')); // the first run's, which the victim could not append to
    const t = stopHook(sb, 's2');
    const r = spawnSync('setpriv', [`--reuid=${VICTIM_UID}`, `--regid=${VICTIM_UID}`, '--clear-groups', process.execPath, t.loader], {
      env: sb.env,
      input: t.input,
      encoding: 'utf8',
      timeout: 20_000,
    });
    assert.equal(r.status, 0, r.stderr);
    assertNotRun(sb);
    // The attacker's home is refused whole (lib/home-trust.ts): nothing recorded, nothing logged.
    assert.equal(existsSync(join(sb.home, 'inbox.jsonl')), false);
  } finally {
    sb.cleanup();
  }
});

for (const mode of [0o770, 0o757]) {
  test(`a cache directory writable by ${mode & 0o020 ? 'group' : 'others'} is not used nor written; the home is refused`, async () => {
    const sb = sandbox();
    try {
      const { file, bytes } = await plantedCache(sb, stopHook(sb, 's1'));
      writeFileSync(file, bytes);
      chmodSync(dirname(file), mode);
      await runStop(sb, 's2');
      await runStop(sb, 's3');
      assertNotRun(sb);
      assert.deepEqual(readFileSync(file), bytes);
      // A subdirectory others can write to makes the whole home unsafe (lib/home-trust.ts):
      // the hooks record nothing until it is fixed, and doctor says how.
      assert.doesNotMatch(inbox(sb), /"s3"/);
      const doctor = await runNode(join(DIST, 'ccx.js'), ['doctor'], { env: sb.env });
      assert.match(doctor.stdout, /cache: it is writable by (its group|others).*fix: chmod 700/s);
    } finally {
      sb.cleanup();
    }
  });
}

test('a cache file that is a symlink is not followed', async () => {
  const sb = sandbox();
  try {
    const { file, bytes } = await plantedCache(sb, stopHook(sb, 's1'));
    const elsewhere = join(sb.root, 'elsewhere.v8');
    writeFileSync(elsewhere, bytes, { mode: 0o600 });
    unlinkSync(file);
    symlinkSync(elsewhere, file);
    await runStop(sb, 's2');
    assertNotRun(sb);
    assert.match(inbox(sb), /"s2"/);
    assert.match(refusals(sb).join('\n'), /symlink/);
  } finally {
    sb.cleanup();
  }
});

test('our own cache of other code of the same length, under the same name, is not used', async () => {
  const sb = sandbox();
  try {
    const t = stopHook(sb, 's1');
    const { file } = await plantedCache(sb, t);
    writeFileSync(file, await cacheOfOtherCode(sb, t));
    await runStop(sb, 's2');
    assertNotRun(sb);
    assert.match(inbox(sb), /"s2"/);
    assert.match(refusals(sb).join('\n'), /not made from this source/);
  } finally {
    sb.cleanup();
  }
});
