// The quota engine over a real SQLite file with an injected clock. Expected values are worked out
// by hand from the rows each test inserts.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Profile, profileConfigSchema } from '../lib/contracts/profile';
import { bandOf, quotaSnapshotSchema } from '../lib/contracts/quota';
import { loadPrices } from '../lib/pricing/prices';
import { computeSnapshot } from '../lib/quota/engine';
import {
  bestSwitch,
  type Candidate,
  FAILURE_WEIGHT,
  MIN_HEADROOM_LEAD_PCT,
  MIN_SUGGESTED_HEADROOM_PCT,
  PRIORITY_WEIGHT,
} from '../lib/quota/rank';
import type { Db } from '../lib/store/open';
import { withTempDb } from './helpers/ccx';

const H = 3_600_000;
const prices = loadPrices('/nonexistent/pricing.yaml').prices;

function profile(name: string, extra: Record<string, unknown> = {}): Profile {
  return { ...profileConfigSchema.parse({ config_dir: `/cfg/${name}`, ...extra }), name } as Profile;
}

let seq = 0;
function turn(db: Db, profileName: string, ts: number, failed = 0, error: string | null = null) {
  db.prepare('INSERT INTO turns (event_id, profile, session_id, ts, failed, error) VALUES (?, ?, ?, ?, ?, ?)').run(
    `e${seq++}`,
    profileName,
    's',
    ts,
    failed,
    error,
  );
}

const snap = (db: Db, profiles: Profile[], now: number, tz = 'UTC') => computeSnapshot({ db, profiles, now, tz, prices });

test('bands: ok < 75 ≤ warn < 90 ≤ soft < 100 ≤ hard', () => {
  assert.deepEqual([null, 0, 74.99, 75, 89.99, 90, 99.99, 100, 250].map(bandOf), [
    'ok',
    'ok',
    'ok',
    'warn',
    'warn',
    'soft',
    'soft',
    'hard',
    'hard',
  ]);
});

test('5 h window is (now − 5 h, now] and starts to empty when its oldest turn is 5 h old', () => {
  withTempDb((db) => {
    const now = Date.UTC(2026, 10, 20, 12);
    const p = profile('a', { caps_5h_turns: 4 });
    turn(db, 'a', now - 5 * H); // exactly 5 h ago: out
    turn(db, 'a', now - 5 * H + 1); // in
    turn(db, 'a', now); // in
    turn(db, 'a', now + 1); // future: out
    turn(db, 'b', now); // another profile: out
    const w = snap(db, [p], now).profiles.a!.windows.five_hour!;
    assert.deepEqual(w, { used: 2, cap: 4, pct: 50, resets_at: now + 1, unit: 'turns', source: 'estimate' });
  });
});

test('default 5 h caps by plan tier; api has none', () => {
  withTempDb((db) => {
    const now = Date.UTC(2026, 10, 20, 12);
    const caps = ['pro', 'max5', 'max20', 'api'].map(
      (t) => snap(db, [profile('a', { plan_tier: t })], now).profiles.a!.windows.five_hour!.cap,
    );
    assert.deepEqual(caps, [45, 225, 900, null]);
  });
});

test('weekly anchored on Monday in Berlin across the spring DST change', () => {
  withTempDb((db) => {
    // Sunday 2026-03-29 is the DST day. The week began Mon 2026-03-23 00:00 CET = 03-22 23:00Z and
    // ends Mon 2026-03-30 00:00 CEST = 03-29 22:00Z: a 167-hour week.
    const start = Date.UTC(2026, 2, 22, 23);
    const end = Date.UTC(2026, 2, 29, 22);
    const now = Date.UTC(2026, 2, 29, 12);
    const p = profile('a', { weekly_anchor: 'monday', caps_weekly_turns: 10 });
    turn(db, 'a', start - 1); // Sunday 23:59:59.999 CET: last week
    turn(db, 'a', start); // the anchor instant itself: this week
    turn(db, 'a', now - H);
    const w = snap(db, [p], now, 'Europe/Berlin').profiles.a!.windows.weekly!;
    assert.deepEqual(w, { used: 2, cap: 10, pct: 20, resets_at: end, unit: 'turns', source: 'estimate' });
    assert.equal((end - start) / H, 167);
  });
});

test('weekly anchored on Sunday in New York across the autumn DST change', () => {
  withTempDb((db) => {
    // Sun 2026-11-01 00:00 EDT = 04:00Z; next Sun 2026-11-08 00:00 EST = 05:00Z (169 hours).
    const now = Date.UTC(2026, 10, 3, 12);
    const p = profile('a', { weekly_anchor: 'sunday' });
    turn(db, 'a', Date.UTC(2026, 10, 1, 4));
    turn(db, 'a', Date.UTC(2026, 10, 1, 3, 59));
    const w = snap(db, [p], now, 'America/New_York').profiles.a!.windows.weekly!;
    assert.equal(w.used, 1);
    assert.equal(w.cap, null, 'weekly caps default to none');
    assert.equal(w.pct, null);
    assert.equal(w.resets_at, Date.UTC(2026, 10, 8, 5));
  });
});

test('rolling weekly: the last 7 days, resetting as the oldest turn ages out', () => {
  withTempDb((db) => {
    const now = Date.UTC(2026, 10, 20, 12);
    const oldest = now - 6 * 24 * H;
    turn(db, 'a', now - 7 * 24 * H);
    turn(db, 'a', oldest);
    turn(db, 'a', now - H);
    const w = snap(db, [profile('a', { caps_weekly_turns: 4 })], now).profiles.a!.windows.weekly!;
    assert.deepEqual([w.used, w.pct, w.resets_at], [2, 50, oldest + 7 * 24 * H]);
  });
});

test("Claude Code's own figures win while fresh; stale or reset ones fall back to the estimate", () => {
  withTempDb((db) => {
    const now = Date.UTC(2026, 10, 20, 12);
    const put = (window: string, pct: number, resets: number | null, observed: number) =>
      db
        .prepare('INSERT OR REPLACE INTO rate_limits (profile, window, used_percentage, resets_at, observed_at) VALUES (?, ?, ?, ?, ?)')
        .run('a', window, pct, resets, observed);
    turn(db, 'a', now - H);
    const p = profile('a', { caps_5h_turns: 10, caps_weekly_turns: 10 });
    put('five_hour', 82.5, now + 2 * H, now - 60_000);
    put('seven_day', 40, now + 48 * H, now - 16 * 60_000); // older than 15 min: stale
    let q = snap(db, [p], now).profiles.a!;
    assert.deepEqual(q.windows.five_hour, {
      used: null,
      cap: null,
      pct: 82.5,
      resets_at: now + 2 * H,
      unit: 'percent',
      source: 'claude-code',
      observed_at: now - 60_000,
    });
    assert.equal(q.windows.weekly!.source, 'estimate');
    assert.equal(q.band, 'warn');
    assert.equal(q.message, "ccx [a]: 5 h window 83 % (Claude Code's figure), resets 14:00");
    put('five_hour', 99, now - 1, now - 60_000); // its window already reset
    q = snap(db, [p], now).profiles.a!;
    assert.equal(q.windows.five_hour!.source, 'estimate');
    assert.equal(q.band, 'ok');
  });
});

test('a usage-limit hit makes the profile unavailable until its reset, unless a later turn succeeded', () => {
  withTempDb((db) => {
    const now = Date.UTC(2026, 10, 20, 12);
    const reset = now + 3 * H;
    db.prepare('INSERT INTO limit_hits (profile, session_id, ts, reset_at) VALUES (?, ?, ?, ?)').run('a', 's', now - H, reset);
    const ps = [profile('a'), profile('b')];
    let q = snap(db, ps, now).profiles.a!;
    assert.deepEqual([q.band, q.unavailable_until, q.headroom_pct], ['hard', reset, 0]);
    assert.equal(q.message, 'ccx [a]: usage limit reached, available again 15:00 — `ccx use b` has 100 % headroom');
    turn(db, 'a', now - 30 * 60_000);
    q = snap(db, ps, now).profiles.a!;
    assert.deepEqual([q.band, q.unavailable_until], ['ok', null]);
  });
});

test('a rate_limit StopFailure makes the profile unavailable until the 5 h window resets', () => {
  withTempDb((db) => {
    const now = Date.UTC(2026, 10, 20, 12);
    turn(db, 'a', now - 2 * H);
    turn(db, 'a', now - H, 1, 'rate_limit');
    const q = snap(db, [profile('a')], now).profiles.a!;
    assert.equal(q.unavailable_until, now - 2 * H + 5 * H, 'the oldest turn in the window ages out then');
    assert.equal(q.band, 'hard');
  });
});

test('ranking: the suggestion is the best-scored sibling with real headroom', () => {
  withTempDb((db) => {
    const now = Date.UTC(2026, 10, 20, 12);
    const ps = [
      profile('a', { caps_5h_turns: 10 }),
      profile('b', { caps_5h_turns: 10 }),
      profile('c', { caps_5h_turns: 10 }),
      profile('d', { caps_5h_turns: 20, priority: 3 }),
    ];
    for (let i = 0; i < 8; i++) turn(db, 'a', now - H + i); // 80 %
    turn(db, 'b', now - H); // 10 %: headroom 90
    turn(db, 'c', now - 10 * 60_000, 1, 'server_error'); // 10 %, a recent failure: 90 − 10
    for (let i = 0; i < 3; i++) turn(db, 'd', now - H - i); // 15 %: headroom 85, + 5 × priority 3
    const s = snap(db, ps, now);
    assert.deepEqual(s.profiles.a!.suggestion, { profile: 'd', headroom_pct: 85 });
    assert.equal(s.profiles.a!.message, 'ccx [a]: 5 h window 80 % (8/10 turns), resets 16:00 — `ccx use d` has 85 % headroom');
    assert.equal(s.profiles.d!.suggestion, null, 'b has 5 points more than d: not worth a switch');
    assert.equal(s.profiles.b!.suggestion, null, 'nobody has more headroom than b');
    assert.equal(s.profiles.b!.message, null, 'no message at ok');
    assert.deepEqual(s.use_next, { profile: 'd', headroom_pct: 85 }, 'from no profile: the best score');
  });
});

const cand = (name: string, headroom_pct: number, extra: Partial<Candidate> = {}): Candidate => ({
  name,
  headroom_pct,
  available: true,
  priority: 0,
  recentFailures: 0,
  ...extra,
});

test(`ranking thresholds: a sibling needs ${MIN_SUGGESTED_HEADROOM_PCT} % headroom and ${MIN_HEADROOM_LEAD_PCT} points more`, () => {
  const pick = (current: Candidate | null, ...others: Candidate[]) =>
    bestSwitch([...(current ? [current] : []), ...others], current)?.profile ?? null;
  assert.equal(pick(cand('cur', 0), cand('x', 20)), 'x', 'exactly 20 % headroom, 20 points more');
  assert.equal(pick(cand('cur', 0), cand('x', 19.9)), null, 'under 20 %');
  assert.equal(pick(cand('cur', 5), cand('x', 20)), 'x', 'exactly 15 points more');
  assert.equal(pick(cand('cur', 5.1), cand('x', 20)), null, 'under 15 points more');
  assert.equal(pick(cand('cur', 5), cand('x', 5)), null, 'the issue: 5 % headroom suggested while at 95 %');
  assert.equal(pick(null, cand('x', 20)), 'x', 'from no profile only the 20 % floor applies');
  assert.equal(pick(null, cand('x', 19)), null);
  assert.equal(pick(cand('cur', 10), cand('x', 90, { available: false })), null, 'an unavailable sibling never');
  assert.equal(pick(cand('cur', 10), cand('x', 90), cand('y', 80, { priority: 3 })), 'y', `80 + ${PRIORITY_WEIGHT} × 3 beats 90`);
  assert.equal(pick(cand('cur', 10), cand('x', 90), cand('y', 80, { priority: 2 })), 'x', '80 + 10 does not beat 90 (ties keep the first)');
  assert.equal(pick(cand('cur', 10), cand('x', 90, { recentFailures: 2 }), cand('y', 75)), 'y', `90 − ${FAILURE_WEIGHT} × 2 loses to 75`);
  assert.equal(
    pick(cand('cur', 10), cand('x', 30, { priority: 13 }), cand('y', 90)),
    'x',
    'priority may pick any sibling past the floor: 30 + 65 > 90',
  );
  assert.equal(pick(cand('cur', 60), cand('x', 70, { priority: 10 }), cand('y', 80)), 'y', 'but not one under the 15-point lead');
});

test('no sibling worth a switch: the message says so, with what the siblings have left', () => {
  withTempDb((db) => {
    const now = Date.UTC(2026, 10, 20, 12);
    const ps = [profile('work', { caps_5h_turns: 20 }), profile('spare', { caps_5h_turns: 20 }), profile('home', { caps_5h_turns: 20 })];
    for (let i = 0; i < 19; i++) turn(db, 'work', now - H + i); // 95 %: headroom 5
    for (let i = 0; i < 17; i++) turn(db, 'spare', now - H + i); // 85 %: headroom 15
    for (let i = 0; i < 20; i++) turn(db, 'home', now - H + i); // 100 %: headroom 0
    const s = snap(db, ps, now);
    assert.equal(s.profiles.work!.suggestion, null, 'spare has 15 % headroom: under 20 %');
    assert.equal(
      s.profiles.work!.message,
      'ccx [work]: 5 h window 95 % (19/20 turns), resets 16:00 — no profile has more headroom (spare 15 %, home 0 %)',
    );
    assert.equal(s.use_next, null);
    const alone = snap(db, [ps[0]!], now);
    assert.equal(
      alone.profiles.work!.message,
      'ccx [work]: 5 h window 95 % (19/20 turns), resets 16:00',
      'no siblings: nothing to compare',
    );
  });
});

test('budgets: daily tokens and monthly USD from the ledger, the worse window sets the band', () => {
  withTempDb((db) => {
    const now = Date.UTC(2026, 10, 20, 12);
    const ins = db.prepare(
      `INSERT INTO usage (profile, dedup_key, session_id, model, ts, input_tokens, output_tokens, cache_read_tokens,
         cache_creation_5m_tokens, cache_creation_1h_tokens) VALUES (?, ?, 's', ?, ?, ?, ?, ?, ?, ?)`,
    );
    // Sonnet 4.5: $3 input, $15 output per million, all under the 200 k long-context line.
    ins.run('a', 'm1', 'claude-sonnet-4-5', now - H, 100_000, 100_000, 0, 0, 0); // $0.30 + $1.50
    ins.run('a', 'm2', 'claude-sonnet-4-5', now - 13 * H, 0, 200_000, 0, 0, 0); // yesterday: $3.00
    ins.run('a', 'm3', 'claude-sonnet-4-5', Date.UTC(2026, 9, 31), 0, 100_000, 0, 0, 0); // last month
    const p = profile('a', { daily_token_budget: 250_000, monthly_usd_budget: 5, plan_tier: 'api' });
    const q = snap(db, [p], now).profiles.a!;
    assert.deepEqual(q.windows.daily_tokens, {
      used: 200_000,
      cap: 250_000,
      pct: 80,
      resets_at: Date.UTC(2026, 10, 21),
      unit: 'tokens',
      source: 'ledger',
    });
    assert.equal(q.windows.monthly_usd!.used, 4.8);
    assert.equal(q.windows.monthly_usd!.resets_at, Date.UTC(2026, 11, 1));
    assert.equal(q.worst, 'monthly_usd');
    assert.equal(q.band, 'soft');
    assert.deepEqual(q.today, { tokens: 200_000, usd: 1.8 });
    assert.equal(q.message, 'ccx [a]: monthly budget 96 % ($4.80/$5.00), resets 2026-12-01 00:00');
  });
});

test('the snapshot the engine writes is exactly the quota.json contract, every window kind included', () => {
  withTempDb((db) => {
    const now = Date.UTC(2026, 10, 20, 12);
    turn(db, 'a', now - H);
    db.prepare('INSERT INTO rate_limits (profile, window, used_percentage, resets_at, observed_at) VALUES (?, ?, ?, ?, ?)').run(
      'b',
      'five_hour',
      80,
      now + H,
      now,
    );
    db.prepare('INSERT INTO limit_hits (profile, session_id, ts, reset_at) VALUES (?, ?, ?, ?)').run('c', 's', now - H, now + H);
    const ps = [
      profile('a', {
        daily_token_budget: 10,
        weekly_token_budget: 10,
        monthly_usd_budget: 1,
        weekly_anchor: 'monday',
        caps_weekly_turns: 5,
      }),
      profile('b'),
      profile('c', { plan_tier: 'api' }),
    ];
    const s = snap(db, ps, now, 'Europe/Berlin');
    const r = quotaSnapshotSchema.safeParse(JSON.parse(JSON.stringify(s)));
    assert.ok(r.success, JSON.stringify(r.success ? null : r.error.issues));
    assert.deepEqual(Object.keys(s.profiles.a!.windows).sort(), ['daily_tokens', 'five_hour', 'monthly_usd', 'weekly', 'weekly_tokens']);
  });
});
