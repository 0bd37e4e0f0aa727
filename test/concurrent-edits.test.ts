// Many ccx processes editing config.toml or one settings.json at once: each edit holds the file's
// lock and re-reads the file inside it, so every process succeeds and no edit is lost.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, rmdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readConfig } from '../lib/profiles/config';
import { hooksStatus } from '../lib/settings/file';
import { DIST, sandboxPool } from './helpers/ccx';
import { ccx } from './helpers/cli';

const box = sandboxPool();
const CCX = join(DIST, 'ccx.js');
const N = 20;

/** ccx's hooks in that settings.json as this checkout registers them for the profile. */
const statusOf = (settings: string, profile: string) =>
  hooksStatus(settings, { node: process.execPath, distDir: DIST, profile, enforce: false, asyncHooks: true });

test(`${N} concurrent \`ccx profile add\`: all exit 0, all registered, each with its hooks`, async () => {
  const sb = box();
  const names = Array.from({ length: N }, (_, i) => `p${i}`);
  const dirs = names.map((_, i) => join(sb.root, `c${i}`));
  const runs = await Promise.all(
    names.map((name, i) => ccx(sb, ['profile', 'add', '--create', name, '--config-dir', dirs[i]!, '--plan-tier', 'max5'], {}, CCX)),
  );
  for (const r of runs) assert.equal(r.code, 0, r.stderr);
  const config = readConfig(join(sb.home, 'config.toml'));
  assert.deepEqual(config.profiles.map((p) => p.name).sort(), [...names].sort());
  for (const [i, name] of names.entries()) {
    const status = statusOf(join(dirs[i]!, 'settings.json'), name);
    assert.equal(status.state, 'installed', name);
  }
  assert.deepEqual(
    readdirSync(sb.home).filter((f) => f.includes('config.toml')),
    ['config.toml'],
    'no lock or temp file left',
  );
});

const USER = '{\n  "model": "opus",\n  "hooks": {\n    "Stop": [{ "hooks": [{ "type": "command", "command": "say hi" }] }]\n  }\n}\n';

test(`${N} concurrent \`ccx hooks install\` and \`uninstall\` on one settings.json: all exit 0, the user's part intact`, async () => {
  const sb = box();
  mkdirSync(sb.configDir);
  const settings = join(sb.configDir, 'settings.json');
  writeFileSync(settings, USER);
  const runs = await Promise.all(
    Array.from({ length: N }, (_, i) => ccx(sb, ['hooks', i % 2 ? 'uninstall' : 'install', '--profile', 'default'], {}, CCX)),
  );
  for (const r of runs) assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(readFileSync(settings, 'utf8')) as { model: string; hooks?: { Stop: unknown[] } };
  assert.equal(doc.model, 'opus');
  assert.ok(doc.hooks?.Stop.some((g) => JSON.stringify(g).includes('say hi')));
  const state = statusOf(settings, 'default');
  assert.ok(state.state !== 'invalid' && state.hooks !== 'partial', `all of ccx's hooks or none: ${JSON.stringify(state)}`);
  const files = readdirSync(sb.configDir);
  assert.deepEqual(files.filter((f) => !f.includes('ccx-backup')).sort(), ['settings.json'], 'no lock or temp file left');
  assert.equal(files.filter((f) => f.includes('ccx-backup')).length, 1, 'one backup');
  // Nothing of the user's was lost on the way: uninstalling gives back the file as it was.
  assert.equal((await ccx(sb, ['hooks', 'uninstall', '--profile', 'default'], {}, CCX)).code, 0);
  assert.equal(readFileSync(settings, 'utf8'), USER);
});

test('an edit of settings.json waits for the holder of its lock, then re-reads the file', async () => {
  const sb = box();
  mkdirSync(sb.configDir);
  const settings = join(sb.configDir, 'settings.json');
  writeFileSync(settings, '{}\n');
  const lock = join(sb.configDir, 'settings.json.lock');
  mkdirSync(lock);
  const install = ccx(sb, ['hooks', 'install', '--profile', 'default', '--no-statusline'], {}, CCX);
  // The holder's own edit, made while the install waits: it must survive the install.
  await new Promise((r) => setTimeout(r, 1_000));
  writeFileSync(settings, USER);
  rmdirSync(lock);
  const r = await install;
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.ms >= 1_000, `installed after ${r.ms} ms, without waiting for the lock`);
  const doc = JSON.parse(readFileSync(settings, 'utf8')) as { model?: string };
  assert.equal(doc.model, 'opus');
  assert.equal(statusOf(settings, 'default').state, 'installed');
});

test("a killed writer's lock is taken over once stale", async () => {
  const sb = box();
  mkdirSync(join(sb.home, 'config.toml.lock'), { recursive: true });
  const old = new Date(Date.now() - 60_000);
  utimesSync(join(sb.home, 'config.toml.lock'), old, old);
  const r = await ccx(sb, ['profile', 'add', '--create', 'work', '--config-dir', join(sb.root, 'work'), '--no-hooks'], {}, CCX);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.ms < 3_000, `took ${r.ms} ms`);
  assert.deepEqual(
    readConfig(join(sb.home, 'config.toml')).profiles.map((p) => p.name),
    ['work'],
  );
});

test('a lock held all along: exit 1 after the bounded wait, with a message that says so', { timeout: 30_000 }, async () => {
  const sb = box();
  const lock = join(sb.home, 'config.toml.lock');
  mkdirSync(lock, { recursive: true });
  // A live holder keeps its lock fresh.
  const fresh = setInterval(() => utimesSync(lock, new Date(), new Date()), 500);
  try {
    const r = await ccx(sb, ['profile', 'add', '--create', 'work', '--config-dir', join(sb.root, 'work')], {}, CCX);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr,
      /^ccx: .*config\.toml: another ccx process has been editing it for over 10 s \(lock .*config\.toml\.lock\); try again\n$/,
    );
    assert.ok(r.ms >= 10_000 && r.ms < 20_000, `waited ${r.ms} ms`);
  } finally {
    clearInterval(fresh);
  }
});
