// One answer to "which profile next": the consolidator's quota.json, a real hook process, and
// ccx-report's terminal, JSON and HTML output all name the same profile on one sandbox. And the
// unregistered default profile, never used, is neither listed nor suggested anywhere.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { QuotaSnapshot } from '../lib/contracts/quota';
import { openDb } from '../lib/store/open';
import { cli } from './fixtures/report/harness';
import { consolidateOnce, payload, runHook, type Sandbox, sandbox, waitFor } from './helpers/ccx';
import { ccx } from './helpers/cli';

const MIN = 60_000;

describe('two registered profiles, work nearly out, no default config dir', () => {
  let sb: Sandbox;
  let workDir: string;
  let onWork: NodeJS.ProcessEnv;
  before(async () => {
    sb = sandbox();
    workDir = join(sb.root, 'claude-work');
    const homeDir = join(sb.root, 'claude-home');
    for (const [name, dir] of [
      ['work', workDir],
      ['home', homeDir],
    ] as const) {
      mkdirSync(dir);
      const r = await ccx(sb, ['profile', 'add', name, '--config-dir', dir, '--no-hooks']);
      assert.equal(r.code, 0, r.stderr);
    }
    const db = openDb(join(sb.home, 'state.db'));
    const turn = db.prepare("INSERT INTO turns (event_id, profile, session_id, ts, failed) VALUES (?, ?, 's', ?, 0)");
    for (let i = 0; i < 40; i++) turn.run(`w${i}`, 'work', Date.now() - 60 * MIN + i); // 40/45 turns: 89 %
    for (let i = 0; i < 9; i++) turn.run(`h${i}`, 'home', Date.now() - 60 * MIN + i); // 9/45: 20 %, headroom 80
    db.close();
    consolidateOnce(sb);
    onWork = { ...sb.env, CLAUDE_CONFIG_DIR: workDir };
  });
  after(() => sb.cleanup());

  const snapshot = () => JSON.parse(readFileSync(join(sb.home, 'quota.json'), 'utf8')) as QuotaSnapshot;

  test('quota.json: work is told to use home; default is not there', () => {
    const snap = snapshot();
    assert.deepEqual(Object.keys(snap.profiles).sort(), ['home', 'work']);
    assert.deepEqual(snap.profiles.work!.suggestion, { profile: 'home', headroom_pct: 80 });
    assert.deepEqual(snap.use_next, { profile: 'home', headroom_pct: 80 });
  });

  test('the hook, the report (JSON, terminal, HTML) all name home', async () => {
    const hook = await runHook('SessionStart', payload('SessionStart', 's1', sb), sb, { env: onWork });
    assert.equal(hook.code, 0, hook.stderr);
    assert.match(JSON.parse(hook.stdout).systemMessage, /`ccx use home` has 80 % headroom/);

    for (const view of [[], ['quota']]) {
      const j = JSON.parse((await cli(sb, [...view, '--json', '--no-consolidate'], onWork)).stdout);
      assert.equal(j.activeProfile, 'work', view.join(' '));
      assert.deepEqual(j.useNext, { profile: 'home', headroomPct: 80 }, view.join(' '));
    }
    const text = await cli(sb, ['--no-consolidate'], onWork);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /Use next: home \(80% headroom\): ccx use home/);
    const html = join(sb.root, 'report.html');
    assert.equal((await cli(sb, ['--no-consolidate', '--html', html], onWork)).code, 0);
    assert.match(readFileSync(html, 'utf8'), /Use next: home \(80% headroom\): ccx use home/);
  });

  test('no phantom default: not in the summary, the quota view, ccx status or ccx profile list', async () => {
    const j = JSON.parse((await cli(sb, ['--json', '--no-consolidate'])).stdout);
    assert.deepEqual(
      j.profiles.map((p: { profile: string }) => p.profile),
      ['home', 'work'],
    );
    assert.equal(j.activeProfile, null, 'the shell is on no watched profile');
    assert.deepEqual(j.useNext, { profile: 'home', headroomPct: 80 }, 'quota.json use_next, never the empty default');
    const quota = JSON.parse((await cli(sb, ['quota', '--json', '--no-consolidate'])).stdout);
    assert.deepEqual(
      quota.profiles.map((p: { profile: string }) => p.profile),
      ['home', 'work'],
    );
    const text = (await cli(sb, ['--no-consolidate'])).stdout;
    assert.doesNotMatch(text, /default/);
    const status = JSON.parse((await ccx(sb, ['status', '--json'])).stdout);
    assert.deepEqual(
      status.profiles.map((p: { name: string }) => p.name),
      ['work', 'home'],
    );
    const list = JSON.parse((await ccx(sb, ['profile', 'list', '--json'])).stdout);
    assert.deepEqual(
      list.map((p: { name: string }) => p.name),
      ['work', 'home'],
    );
  });

  test('a default config dir with a transcript is watched: listed everywhere', async () => {
    const project = join(sb.configDir, 'projects', '-tmp-proj');
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, 's9.jsonl'), '');
    // The hook above started a consolidator with CLAUDE_CONFIG_DIR = work's dir, for which the
    // default profile *is* work: let it idle out, so this pass runs with the sandbox's own env.
    assert.ok(await waitFor(() => !existsSync(join(sb.home, 'consolidator.pid')), 15_000), 'the hook-started consolidator exited');
    consolidateOnce(sb);
    assert.deepEqual(Object.keys(snapshot().profiles).sort(), ['default', 'home', 'work']);
    const quota = JSON.parse((await cli(sb, ['quota', '--json', '--no-consolidate'])).stdout);
    assert.deepEqual(
      quota.profiles.map((p: { profile: string }) => p.profile),
      ['default', 'home', 'work'],
    );
    const list = JSON.parse((await ccx(sb, ['profile', 'list', '--json'])).stdout);
    assert.deepEqual(
      list.map((p: { name: string }) => p.name),
      ['work', 'home', 'default'],
    );
  });
});
