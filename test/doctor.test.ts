// `ccx doctor` against real set-ups, each broken one way: the failing check names it and its fix.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { consolidateOnce, DIST, payload, runHook, type Sandbox, sandboxPool } from './helpers/ccx';
import { ccx } from './helpers/cli';

const box = sandboxPool();

type Check = { name: string; status: 'ok' | 'warn' | 'fail'; message: string; fix: string | null };

async function doctor(sb: Sandbox): Promise<{ code: number | null; ok: boolean; checks: Map<string, Check> }> {
  const r = await ccx(sb, ['doctor', '--json']);
  const out = JSON.parse(r.stdout) as { ok: boolean; checks: Check[] };
  return { code: r.code, ok: out.ok, checks: new Map(out.checks.map((c) => [c.name, c])) };
}

async function installed(sb: Sandbox): Promise<string> {
  const r = await ccx(sb, ['hooks', 'install']);
  assert.equal(r.code, 0, r.stderr);
  return join(sb.configDir, 'settings.json');
}

test('doctor: a working set-up passes, and the last event names what the hook recorded', async () => {
  const sb = box();
  await installed(sb);
  const fresh = await doctor(sb);
  assert.equal(fresh.code, 0);
  assert.equal(fresh.checks.get('default: hooks')?.status, 'ok');
  assert.equal(fresh.checks.get('default: last event')?.status, 'warn', 'no event yet');

  const r = await runHook('SessionStart', payload('SessionStart', 'sess-1', sb), sb, { profile: 'default' });
  assert.equal(r.code, 0);
  consolidateOnce(sb);
  const after = await doctor(sb);
  assert.equal(after.code, 0);
  assert.match(after.checks.get('default: last event')!.message, /^SessionStart \d+s ago$/);
  assert.equal(after.checks.get('database')?.status, 'ok');
  const text = await ccx(sb, ['doctor']);
  assert.match(text.stdout, /^ok\s+node\s+v\d+/m);
});

test('doctor fails on hooks pointing at files that no longer exist', async () => {
  const sb = box();
  const file = await installed(sb);
  writeFileSync(file, readFileSync(file, 'utf8').replaceAll(DIST, '/gone/ccx/dist'));
  const d = await doctor(sb);
  assert.equal(d.code, 1);
  assert.equal(d.ok, false);
  assert.equal(d.checks.get('default: hooks')?.status, 'fail', 'the entries are stale');
  const files = d.checks.get('default: hook files')!;
  assert.equal(files.status, 'fail');
  assert.match(files.message, /\/gone\/ccx\/dist\/hooks\/stop\.js/);
  assert.equal(files.fix, 'ccx hooks install --profile default');
});

test('doctor fails on a settings.json that is not JSON and on a damaged database', async () => {
  const sb = box();
  mkdirSync(sb.configDir, { recursive: true });
  writeFileSync(join(sb.configDir, 'settings.json'), '{"hooks": {,}}');
  mkdirSync(sb.home, { recursive: true, mode: 0o700 });
  writeFileSync(join(sb.home, 'state.db'), 'this is not an sqlite database, just text padding it out'.repeat(100));
  const d = await doctor(sb);
  assert.equal(d.code, 1);
  const hooks = d.checks.get('default: hooks')!;
  assert.equal(hooks.status, 'fail');
  assert.match(hooks.fix!, /fix the JSON in .*settings\.json/);
  const db = d.checks.get('database')!;
  assert.equal(db.status, 'fail');
  assert.match(db.fix!, /state\.db\.broken/);
});

test('doctor warns about a CCX_HOME others can read, a backlog with no consolidator, and fails on a broken config.toml', async () => {
  const sb = box();
  await installed(sb);
  mkdirSync(sb.home, { recursive: true });
  chmodSync(sb.home, 0o755);
  writeFileSync(join(sb.home, 'inbox.jsonl'), '{}\n{}\n{}\n', { mode: 0o600 });
  let d = await doctor(sb);
  assert.equal(d.checks.get('ccx home')?.status, 'warn');
  assert.equal(d.checks.get('ccx home')?.fix, `chmod 700 ${sb.home}`);
  const backlog = d.checks.get('inbox backlog')!;
  assert.equal(backlog.status, 'warn');
  assert.match(backlog.message, /^3 events .* no consolidator running$/);
  assert.match(backlog.fix!, /consolidator\.js --once$/);
  assert.equal(d.code, 0, 'warnings alone do not fail');

  writeFileSync(join(sb.home, 'config.toml'), '[profiles.w]\nplan_tier = "max5"\n', { mode: 0o600 });
  d = await doctor(sb);
  assert.equal(d.code, 1);
  assert.match(d.checks.get('config')!.message, /profiles\.w\.config_dir/);
});
