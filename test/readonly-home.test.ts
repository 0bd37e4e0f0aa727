// A read-only CCX_HOME (a tmpfs remounted ro): hooks still show the warning they owe, and
// ccx-report shows what state.db holds plus one stderr line saying why nothing was consolidated.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { INBOX_VERSION } from '../lib/contracts/inbox';
import type { ProfileQuota, QuotaSnapshot } from '../lib/contracts/quota';
import { appendInbox, newEventId } from '../lib/inbox/append';
import { consolidateOnce, DIST, payload, runHook, runNode, type Sandbox, sandbox } from './helpers/ccx';

const isRoot = process.getuid?.() === 0;
const MESSAGE = 'ccx [default]: 5 h window 80 % (80/100 turns)';

function warnQuota(sb: Sandbox): void {
  const w = { used: 80, cap: 100, pct: 80, resets_at: Date.now() + 3_600_000, unit: 'turns' as const, source: 'estimate' as const };
  const q: ProfileQuota = {
    config_dir: sb.configDir,
    label: null,
    plan_tier: 'pro',
    band: 'warn',
    worst: 'five_hour',
    windows: { five_hour: w },
    unavailable_until: null,
    headroom_pct: 20,
    enforce: false,
    today: { tokens: 0, usd: 0 },
    suggestion: null,
    message: MESSAGE,
  };
  const snap: QuotaSnapshot = { v: 1, generated_at: Date.now(), profiles: { default: q } };
  writeFileSync(join(sb.home, 'quota.json'), JSON.stringify(snap));
}

describe('read-only CCX_HOME', { skip: !isRoot && 'needs root to mount a tmpfs' }, () => {
  let sb: Sandbox;
  let mount: string;
  before(() => {
    const base = sandbox();
    mount = join(base.root, 'ro');
    mkdirSync(mount);
    const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'mode=0700,size=64m', 'tmpfs', mount], { encoding: 'utf8' });
    assert.equal(m.status, 0, m.stderr);
    sb = { ...base, home: join(mount, 'ccx'), env: { ...base.env, CCX_HOME: join(mount, 'ccx') } };
    mkdirSync(sb.home, { mode: 0o700 });
    // Straight into the inbox, not through a hook: a consolidator it started would hold state.db
    // open for writing and the remount would fail (EBUSY).
    const at = Date.now();
    appendInbox(join(sb.home, 'inbox.jsonl'), {
      v: INBOX_VERSION,
      id: newEventId(at),
      kind: 'hook',
      received_at: at,
      profile: null,
      config_dir: sb.configDir,
      event: 'SessionStart',
      payload: payload('SessionStart', 'earlier', sb),
    });
    consolidateOnce(sb);
    warnQuota(sb);
    const ro = spawnSync('mount', ['-o', 'remount,ro', mount], { encoding: 'utf8' });
    assert.equal(ro.status, 0, ro.stderr);
  });
  after(() => {
    spawnSync('umount', ['-l', mount]);
    sb.cleanup();
  });

  test('a hook past a band still prints its systemMessage', async () => {
    const r = await runHook('UserPromptSubmit', payload('UserPromptSubmit', 'now', sb, { prompt: 'hi' }), sb);
    assert.equal(r.code, 0);
    const out = JSON.parse(r.stdout.trim() || '{}') as { systemMessage?: string };
    assert.equal(out.systemMessage, MESSAGE);
  });

  test('ccx-report prints the report and one stderr line saying the home is read-only', async () => {
    const r = await runNode(join(DIST, 'ccx-report.js'), ['daily', '--json'], { env: sb.env, timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(Array.isArray(JSON.parse(r.stdout).daily), 'the report of what state.db holds');
    // Besides the empty-history note (this home records no usage), one line: the home is read-only.
    const lines = r.stderr
      .trimEnd()
      .split('\n')
      .filter((l) => !l.startsWith('ccx-report: no usage found'));
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, /^ccx-report: .*read-only/);
  });
});
