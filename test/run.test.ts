// `ccx run` as a real process against temp CCX_HOME, HOME and config dirs: which profile it picks
// (quota.json's use_next), --print-only, the errors, and what the started program sees (a shell
// script standing in for claude: its env, args and exit status).
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Band, ProfileQuota, QuotaSnapshot } from '../lib/contracts/quota';
import { planFromAccount } from '../lib/profiles';
import { DIST, runNode, type Sandbox, sandboxPool } from './helpers/ccx';
import { ccx } from './helpers/cli';

const box = sandboxPool();
const H = 3_600_000;

/** A sandbox with profiles `work` and `spare` registered (no hooks) and each one's config dir. */
async function twoProfiles(): Promise<Sandbox & { work: string; spare: string }> {
  const sb = box();
  const work = join(sb.root, 'claude-work');
  const spare = join(sb.root, 'claude-spare');
  for (const [name, dir] of [
    ['work', work],
    ['spare', spare],
  ] as const) {
    const r = await ccx(sb, ['profile', 'add', name, '--config-dir', dir, '--create', '--no-hooks', '--plan-tier', 'pro']);
    assert.equal(r.code, 0, r.stderr);
  }
  return { ...sb, work, spare };
}

function quota(configDir: string, band: Band, headroom: number, suggestion: string | null = null): ProfileQuota {
  const pct = 100 - headroom;
  return {
    config_dir: configDir,
    label: null,
    plan_tier: 'pro',
    band,
    worst: 'five_hour',
    windows: { five_hour: { used: pct, cap: 100, pct, resets_at: Date.UTC(2030, 0, 1, 14, 5), unit: 'turns', source: 'estimate' } },
    unavailable_until: null,
    headroom_pct: headroom,
    enforce: false,
    today: { tokens: 0, usd: 0 },
    suggestion: suggestion ? { profile: suggestion, headroom_pct: 80 } : null,
    message: null,
  };
}

function writeSnapshot(sb: Sandbox, profiles: Record<string, ProfileQuota>, useNext: string | null): void {
  const next = useNext ? { profile: useNext, headroom_pct: profiles[useNext]!.headroom_pct } : null;
  const snap: QuotaSnapshot = { v: 1, generated_at: Date.now(), profiles, use_next: next };
  writeFileSync(join(sb.home, 'quota.json'), JSON.stringify(snap));
}

/** A stand-in claude: prints its profile env and args as JSON, then exits with $FAKE_EXIT (or kills itself). */
function fakeClaude(sb: Sandbox): string {
  const bin = join(sb.root, 'bin');
  mkdirSync(bin, { recursive: true });
  const path = join(bin, 'claude');
  writeFileSync(
    path,
    `#!/usr/bin/env node
console.log(JSON.stringify({ dir: process.env.CLAUDE_CONFIG_DIR, profile: process.env.CCX_ACTIVE_PROFILE, args: process.argv.slice(2) }));
if (process.env.FAKE_SIGNAL) process.kill(process.pid, process.env.FAKE_SIGNAL);
else process.exit(Number(process.env.FAKE_EXIT ?? 0));
`,
  );
  chmodSync(path, 0o755);
  return bin;
}

test('picks quota.json use_next, says why on stderr, and --print-only prints what it would run', async () => {
  const sb = await twoProfiles();
  writeSnapshot(sb, { work: quota(sb.work, 'soft', 8, 'spare'), spare: quota(sb.spare, 'ok', 80) }, 'spare');
  const bin = fakeClaude(sb);
  const r = await ccx(sb, ['run', '--print-only', '--', '-p', 'hello world'], { PATH: `${bin}:${sb.env.PATH}` });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, 'ccx: spare has 80 % headroom (work 8 %) → spare\n');
  assert.equal(
    r.stdout,
    `binary=${join(bin, 'claude')} profile=spare CLAUDE_CONFIG_DIR=${sb.spare} CCX_ACTIVE_PROFILE=spare args='["-p","hello world"]'\n`,
  );
});

test('starts claude in the chosen profile: env set, args passed through (--help included), exit status passed back', async () => {
  const sb = await twoProfiles();
  writeSnapshot(sb, { work: quota(sb.work, 'ok', 70), spare: quota(sb.spare, 'ok', 30) }, 'work');
  const bin = fakeClaude(sb);
  const r = await ccx(sb, ['run', '--', '--help', '-p', 'x'], { PATH: `${bin}:${sb.env.PATH}`, FAKE_EXIT: '3' });
  assert.equal(r.code, 3, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { dir: sb.work, profile: 'work', args: ['--help', '-p', 'x'] });
  const killed = await ccx(sb, ['run', '--profile', 'spare'], { PATH: `${bin}:${sb.env.PATH}`, FAKE_SIGNAL: 'SIGTERM' });
  assert.equal(killed.code, 128 + 15, 'a signal comes back as 128 + its number');
  assert.equal(JSON.parse(killed.stdout).profile, 'spare');
});

test('--claude and CCX_CLAUDE name the binary; a missing one is one line with the fix', async () => {
  const sb = await twoProfiles();
  const bin = fakeClaude(sb);
  const viaEnv = await ccx(sb, ['run', '--profile', 'work', '--print-only'], { CCX_CLAUDE: join(bin, 'claude') });
  assert.match(viaEnv.stdout, new RegExp(`^binary=${join(bin, 'claude')} profile=work `));
  const viaFlag = await ccx(sb, ['run', '--profile', 'work', '--print-only', '--claude', join(bin, 'claude')], { CCX_CLAUDE: '/nope' });
  assert.match(viaFlag.stdout, new RegExp(`^binary=${join(bin, 'claude')} `));
  const missing = await ccx(sb, ['run', '--profile', 'work'], { PATH: join(sb.root, 'empty') });
  assert.equal(missing.code, 1);
  assert.match(
    missing.stderr,
    /^ccx: claude not found on PATH .*; install Claude Code, or name the binary with --claude PATH or CCX_CLAUDE=PATH\n$/,
  );
});

test('errors: nothing registered, unknown profile, every profile at hard, none with headroom, a wrong option', async () => {
  const empty = box();
  const none = await ccx(empty, ['run']);
  assert.equal(none.code, 1);
  assert.equal(none.stderr, 'ccx: no profiles registered; add one with: ccx profile add NAME --config-dir DIR\n');
  assert.equal(none.stdout, '');

  const sb = await twoProfiles();
  const unknown = await ccx(sb, ['run', '--profile', 'nope']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /^ccx: no profile "nope" \(watched: work, spare\); see ccx profile list/);

  const noFigures = await ccx(sb, ['run']);
  assert.equal(noFigures.code, 1);
  assert.match(noFigures.stderr, /no quota figures yet .* or pick one with --profile NAME\n$/);

  writeSnapshot(sb, { work: quota(sb.work, 'hard', 0), spare: quota(sb.spare, 'hard', 0) }, null);
  const hard = await ccx(sb, ['run']);
  assert.equal(hard.code, 1);
  assert.equal(
    hard.stderr,
    'ccx: every profile is at its limit (work resets 2030-01-01 14:05, spare resets 2030-01-01 14:05); wait for a reset, or start one anyway with --profile NAME\n',
  );

  const stale = quota(sb.spare, 'hard', 0);
  stale.windows.five_hour!.resets_at = Date.now() - H;
  writeSnapshot(sb, { work: quota(sb.work, 'hard', 0), spare: stale }, null);
  const outdated = await ccx(sb, ['run']);
  assert.equal(outdated.code, 1);
  assert.equal(
    outdated.stderr,
    "ccx: quota.json is out of date (spare's limit has reset since it was written): run ccx-report to refresh it, or pick one with --profile NAME\n",
  );

  writeSnapshot(sb, { work: quota(sb.work, 'soft', 10), spare: quota(sb.spare, 'warn', 15) }, null);
  const tight = await ccx(sb, ['run']);
  assert.equal(tight.code, 1);
  assert.equal(tight.stderr, 'ccx: no profile has 20 % headroom (work 10 %, spare 15 %); start one anyway with --profile NAME\n');

  const wrong = await ccx(sb, ['run', '-p', 'hi']);
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /^ccx: .*'-p'.* \(see --help\)\n$/);
});

test('plan tier: read from .claude.json when config.toml names none, shown as detected, and used for the 5 h cap', async () => {
  const sb = box();
  const max = join(sb.root, 'claude-max');
  const pinned = join(sb.root, 'claude-pinned');
  for (const dir of [max, pinned]) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, '.claude.json'),
      JSON.stringify({ oauthAccount: { organizationType: 'claude_max', organizationRateLimitTier: 'default_claude_max_20x' } }),
    );
  }
  assert.equal((await ccx(sb, ['profile', 'add', 'max', '--config-dir', max, '--no-hooks'])).code, 0);
  assert.equal((await ccx(sb, ['profile', 'add', 'pinned', '--config-dir', pinned, '--no-hooks', '--plan-tier', 'max5'])).code, 0);
  const list = await ccx(sb, ['profile', 'list', '--json']);
  const rows = JSON.parse(list.stdout) as { name: string; plan_tier: string; plan_tier_detected: boolean }[];
  assert.deepEqual(
    rows.filter((r) => r.name !== 'default').map((r) => [r.name, r.plan_tier, r.plan_tier_detected]),
    [
      ['max', 'max20', true],
      ['pinned', 'max5', false],
    ],
  );
  assert.match((await ccx(sb, ['profile', 'list'])).stdout, /max +\S+ +max20 \(detected\) /);
  const pass = await runNode(join(DIST, 'consolidator.js'), ['--once'], { env: sb.env, timeoutMs: 60_000 });
  assert.equal(pass.code, 0, pass.stderr);
  const snap = JSON.parse(readFileSync(join(sb.home, 'quota.json'), 'utf8')) as QuotaSnapshot;
  assert.equal(snap.profiles.max!.plan_tier, 'max20');
  assert.equal(snap.profiles.max!.windows.five_hour!.cap, 900, "max20's default turn cap");
  assert.equal(snap.profiles.pinned!.windows.five_hour!.cap, 225);
});

test('.claude.json fields: Max by multiplier, Pro, and nothing for team, API-key or odd accounts', async () => {
  assert.equal(planFromAccount({ organizationType: 'claude_max', userRateLimitTier: 'default_claude_max_20x' }), 'max20');
  assert.equal(planFromAccount({ organizationType: 'claude_max', organizationRateLimitTier: 'default_claude_max_5x' }), 'max5');
  assert.equal(planFromAccount({ organizationType: 'claude_max' }), 'max5');
  assert.equal(planFromAccount({ organizationType: 'claude_pro', organizationRateLimitTier: 'default_claude_ai' }), 'pro');
  assert.equal(planFromAccount({ organizationType: 'claude_team' }), null);
  assert.equal(planFromAccount(null), null);
  assert.equal(planFromAccount('weird' as never), null);
});
