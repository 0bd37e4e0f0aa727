// The agent outside ccx-report: `ccx status` and `ccx profile list` (real child processes) name
// each profile's agent once a non-claude profile exists; `ccx serve`'s /api/usage rows and
// /metrics series carry it (their builders over a real state.db).

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { usageRowSchema } from '../lib/contracts/api';
import { type Profile, profileConfigSchema } from '../lib/contracts/profile';
import { loadPrices } from '../lib/pricing';
import { computeSnapshot } from '../lib/quota';
import { metricsText } from '../lib/serve/metrics';
import { usageRows } from '../lib/serve/usage-view';
import { openDb } from '../lib/store';
import { type Sandbox, sandboxPool } from './helpers/ccx';
import { ccx } from './helpers/cli';

const box = sandboxPool();
const prices = loadPrices('/nonexistent/pricing.yaml').prices;
const NOW = Date.UTC(2026, 10, 20, 12);

/** Profiles work (Claude Code, the shell's) and cx (Codex); `withCodex: false` leaves cx out. */
function home(withCodex: boolean): Sandbox {
  const sb = box();
  mkdirSync(sb.home, { recursive: true });
  const cx = withCodex ? `\n[profiles.cx]\nconfig_dir = "${join(sb.root, 'codex')}"\nagent = "codex"\n` : '';
  writeFileSync(join(sb.home, 'config.toml'), `[profiles.work]\nconfig_dir = "${sb.configDir}"\n${cx}`);
  return sb;
}

test('ccx status: each profile with its agent beside a Codex profile; a Claude-only line as before', async () => {
  const sb = home(true);
  const mixed = await ccx(sb, ['status']);
  assert.equal(mixed.code, 0, mixed.stderr);
  assert.match(mixed.stdout, new RegExp(`^profiles +work \\(claude, ${sb.configDir}\\), cx \\(codex, ${sb.root}/codex\\)$`, 'm'));
  const only = home(false);
  assert.match((await ccx(only, ['status'])).stdout, new RegExp(`^profiles +work \\(${only.configDir}\\)$`, 'm'));
  const json = JSON.parse((await ccx(sb, ['status', '--json'])).stdout);
  assert.deepEqual(
    json.profiles.map((p: { name: string; agent: string }) => [p.name, p.agent]),
    [
      ['work', 'claude'],
      ['cx', 'codex'],
    ],
  );
});

test('ccx profile list: an AGENT column beside a Codex profile only; agent in the JSON always', async () => {
  const sb = home(true);
  const r = await ccx(sb, ['profile', 'list']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.match(lines[0]!, /^ +NAME +AGENT +CONFIG DIR +PLAN +TODAY$/);
  assert.ok(
    lines.some((l) => /^\* +work +claude +\//.test(l)),
    r.stdout,
  );
  assert.ok(
    lines.some((l) => /^ +cx +codex +\//.test(l)),
    r.stdout,
  );
  const only = await ccx(home(false), ['profile', 'list']);
  assert.match(only.stdout.split('\n')[0]!, /^ +NAME +CONFIG DIR +PLAN +TODAY$/);
  assert.deepEqual(
    JSON.parse((await ccx(home(false), ['profile', 'list', '--json'])).stdout).map((p: { agent: string }) => p.agent),
    ['claude'],
  );
});

const dbWithTwoAgents = (sb: Sandbox) => {
  const db = openDb(join(sb.home, 'state.db'));
  const insert = db.prepare(
    `INSERT INTO usage (profile, agent, dedup_key, session_id, project, model, ts, input_tokens, output_tokens, cache_read_tokens,
       cache_creation_5m_tokens, cache_creation_1h_tokens) VALUES (?, ?, ?, 's', '/p', ?, ?, ?, 10, 0, 0, 0)`,
  );
  insert.run('work', 'claude', 'u1', 'claude-sonnet-4-5-20250929', NOW - 3_600_000, 100);
  insert.run('cx', 'codex', 'u2', 'gpt-5', NOW - 3_600_000, 200);
  return db;
};

test("/api/usage rows: each with its profile's agent, in the contract's shape", () => {
  const db = dbWithTwoAgents(home(true));
  try {
    const rows = usageRows(db, prices, 'UTC', { profiles: [], project: null, from: 0, to: null });
    for (const r of rows) usageRowSchema.parse(r);
    assert.deepEqual(
      rows.map((r) => [r.profile, r.agent, r.usage.input_tokens]),
      [
        ['cx', 'codex', 200],
        ['work', 'claude', 100],
      ],
    );
  } finally {
    db.close();
  }
});

test('/metrics: every series has the agent label', () => {
  const db = dbWithTwoAgents(home(true));
  try {
    const profiles = ['work', 'cx'].map((name) => ({ ...profileConfigSchema.parse({ config_dir: `/cfg/${name}` }), name }) as Profile);
    profiles[1]!.agent = 'codex';
    const snap = computeSnapshot({ db, profiles, now: NOW, tz: 'UTC', prices });
    const text = metricsText(db, prices, snap, 'UTC', profiles);
    assert.match(text, /^ccx_quota_band\{profile="cx",agent="codex",band="ok"\} 1$/m);
    assert.match(text, /^ccx_tokens_total\{profile="cx",agent="codex",model="gpt-5",kind="input"\} 200$/m);
    assert.match(text, /^ccx_tokens_total\{profile="work",agent="claude",model="claude-sonnet-4-5-20250929",kind="input"\} 100$/m);
    assert.match(text, /^ccx_cost_usd_total\{profile="cx",agent="codex",model="gpt-5"\} [\d.e-]+$/m);
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) assert.match(line, /agent="(claude|codex)"/, line);
    // A Codex profile with no usage row yet is labelled by config.toml, not taken for Claude's.
    const fresh = [...profiles, { ...profiles[1]!, name: 'cx-new' }];
    const snapNew = computeSnapshot({ db, profiles: fresh, now: NOW, tz: 'UTC', prices });
    assert.match(metricsText(db, prices, snapNew, 'UTC', fresh), /^ccx_quota_band\{profile="cx-new",agent="codex",band="ok"\} 1$/m);
  } finally {
    db.close();
  }
});
