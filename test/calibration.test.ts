// Calibration against simulated accounts. Each account's true capacity (per 5 h and per week) and
// how it weighs each request live only in the generator below; the code under test sees what ccx
// would see: usage rows, turns, and Claude Code's rate_limits figures (integer percentages) fed
// through the consolidator's status line applier, scattered over the first days and then gone
// (`claude -p` only). At checks in that gap, the calibrated pct is compared with the truth, and
// so is ccx's turn estimate against the plan's guessed cap.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeStatusLineApplier } from '../lib/consolidator/apply-statusline';
import { INBOX_VERSION, type InboxRecord } from '../lib/contracts/inbox';
import { type Profile, profileConfigSchema } from '../lib/contracts/profile';
import { quotaWindowSchema } from '../lib/contracts/quota';
import { costOfUsage, loadPrices } from '../lib/pricing/prices';
import { calibratedWindow, MIN_OBSERVED_PCT, OUTLIER_FACTOR, robustCapacity } from '../lib/quota/calibration';
import { computeSnapshot } from '../lib/quota/engine';
import { FIVE_HOURS, fiveHourEstimate, HOUR, WEEK, weeklyEstimate } from '../lib/quota/windows';
import { rng } from '../lib/rng';
import type { Db } from '../lib/store/open';
import { withTempDb } from './helpers/ccx';

const prices = loadPrices('/nonexistent/pricing.yaml').prices;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 2, 2); // a Monday
const FIGURE_DAYS = 2;
const SIM_DAYS = 6;

type Account = {
  name: string;
  plan_tier: 'pro' | 'max5' | 'max20';
  caps_weekly_turns: number;
  /** Hidden truth: the account's capacity per window, in its own weighting of requests. */
  capacity5h: number;
  capacityWeek: number;
  /** Where the hidden weekly cycle starts. */
  weekStart: number;
  seed: number;
};

type Request = { ts: number; weight: number };

const MODELS = ['claude-sonnet-4-5', 'claude-sonnet-4-5', 'claude-sonnet-4-5', 'claude-opus-4-5', 'claude-haiku-4-5'];
/** Anthropic's weighting is not the price list's: per model, then ±20 % per request. */
const MODEL_BIAS: Record<string, number> = { 'claude-sonnet-4-5': 1, 'claude-opus-4-5': 1.4, 'claude-haiku-4-5': 0.6 };

/** The account as Anthropic sees it: 5 h windows from the hour of the first request after the last one ended. */
class Truth {
  readonly requests: Request[] = [];
  blockStart: number | null = null;
  constructor(readonly a: Account) {}

  blockAt(t: number): number | null {
    return this.blockStart !== null && t < this.blockStart + FIVE_HOURS ? this.blockStart : null;
  }
  weekEnd(t: number): number {
    return this.a.weekStart + (Math.floor((t - this.a.weekStart) / WEEK) + 1) * WEEK;
  }
  add(r: Request) {
    if (this.blockAt(r.ts) === null) this.blockStart = Math.floor(r.ts / HOUR) * HOUR;
    this.requests.push(r);
  }
  sum(from: number, t: number) {
    return this.requests.reduce((s, r) => (r.ts >= from && r.ts <= t ? s + r.weight : s), 0);
  }
  fivePct(t: number): number {
    const b = this.blockAt(t);
    return b === null ? 0 : (this.sum(b, t) / this.a.capacity5h) * 100;
  }
  weekPct(t: number): number {
    return (this.sum(this.weekEnd(t) - WEEK, t) / this.a.capacityWeek) * 100;
  }
}

function profileOf(a: Account): Profile {
  const config = { config_dir: `/cfg/${a.name}`, plan_tier: a.plan_tier, caps_weekly_turns: a.caps_weekly_turns };
  return { ...profileConfigSchema.parse(config), name: a.name } as Profile;
}

type Errors = { calibrated: number[]; estimate: number[] };

/** Generates the account's days into db; returns the errors at each check in the gap. */
function simulate(db: Db, a: Account): { five: Errors; week: Errors } {
  const random = rng(a.seed);
  const truth = new Truth(a);
  const p = profileOf(a);
  const insertUsage = db.prepare(
    `INSERT INTO usage (profile, dedup_key, session_id, model, ts, input_tokens, output_tokens, cache_read_tokens, cache_creation_5m_tokens)
     VALUES (?, ?, 's', ?, ?, ?, ?, ?, ?)`,
  );
  const insertTurn = db.prepare(`INSERT INTO turns (event_id, profile, session_id, ts) VALUES (?, ?, 's', ?)`);
  let seq = 0;
  let lastFigure = 0;
  const five: Errors = { calibrated: [], estimate: [] };
  const week: Errors = { calibrated: [], estimate: [] };
  const int = (lo: number, hi: number) => Math.floor(lo + random() * (hi - lo));

  const check = (t: number) => {
    const ctx = { db, now: t, tz: 'UTC', prices };
    const q = computeSnapshot({ db, profiles: [p], now: t, tz: 'UTC', prices }).profiles[a.name]!;
    for (const [errors, w, estimate, truePct] of [
      [five, q.windows.five_hour!, fiveHourEstimate(ctx, p), truth.fivePct(t)],
      [week, q.windows.weekly!, weeklyEstimate(ctx, p), truth.weekPct(t)],
    ] as const) {
      assert.equal(w.source, 'calibrated', `${a.name} at ${new Date(t).toISOString()}`);
      assert.equal(w.observed_at, lastFigure);
      errors.calibrated.push(Math.abs(w.pct! - truePct));
      errors.estimate.push(Math.abs(estimate.pct! - truePct));
    }
  };

  for (let t = T0 + 8 * HOUR; t < T0 + SIM_DAYS * DAY; t += int(3, 12) * 60_000) {
    const hour = (t - T0) % DAY;
    if (hour < 8 * HOUR || hour > 22 * HOUR) {
      t += 10 * HOUR - int(0, 60) * 60_000; // the night
      continue;
    }
    if (t >= T0 + FIGURE_DAYS * DAY && random() < 0.15) check(t);
    // A user at the limit waits for the reset; otherwise a turn of a few requests.
    if (truth.fivePct(t) >= 100 || truth.weekPct(t) >= 100 || random() < 0.3) continue;
    const heavy = random() < 0.2;
    for (let i = int(1, heavy ? 12 : 5); i > 0; i--) {
      const ts = t + i * 7_000;
      const model = MODELS[int(0, MODELS.length)]!;
      const row = {
        model,
        ts,
        input_tokens: int(5, 3_000),
        output_tokens: int(100, heavy ? 6_000 : 1_500),
        cache_read_tokens: int(5_000, heavy ? 180_000 : 60_000),
        cache_creation_5m_tokens: int(0, 20_000),
        cache_creation_1h_tokens: 0,
        speed: null,
      };
      insertUsage.run(
        a.name,
        `m${seq++}`,
        model,
        ts,
        row.input_tokens,
        row.output_tokens,
        row.cache_read_tokens,
        row.cache_creation_5m_tokens,
      );
      truth.add({ ts, weight: costOfUsage(row, prices).usd * MODEL_BIAS[model]! * (0.8 + 0.4 * random()) });
    }
    const end = t + 90_000;
    insertTurn.run(`e${seq++}`, a.name, end);
    if (t < T0 + FIGURE_DAYS * DAY && random() < 0.25) {
      statusLine(db, a.name, end, {
        five_hour: { used_percentage: Math.round(truth.fivePct(end)), resets_at: (truth.blockAt(end)! + FIVE_HOURS) / 1000 },
        seven_day: { used_percentage: Math.round(truth.weekPct(end)), resets_at: truth.weekEnd(end) / 1000 },
      });
      lastFigure = end;
    }
  }
  return { five, week };
}

function statusLine(db: Db, profile: string, at: number, rate_limits: Record<string, unknown>) {
  const record: InboxRecord = {
    v: INBOX_VERSION,
    id: `statusline-${at}`,
    kind: 'statusline',
    received_at: at,
    profile,
    config_dir: null,
    event: 'StatusLine',
    payload: { rate_limits },
  };
  makeStatusLineApplier(db, { now: () => at, log: () => {} })([{ record, profile }]);
}

const ACCOUNTS: Account[] = [
  {
    name: 'heavy',
    plan_tier: 'max5',
    caps_weekly_turns: 1500,
    capacity5h: 8,
    capacityWeek: 150,
    weekStart: T0 - 2 * DAY + 7 * HOUR,
    seed: 1,
  },
  { name: 'light', plan_tier: 'pro', caps_weekly_turns: 300, capacity5h: 4, capacityWeek: 60, weekStart: T0 - 4 * DAY, seed: 2 },
  { name: 'big', plan_tier: 'max20', caps_weekly_turns: 4000, capacity5h: 20, capacityWeek: 300, weekStart: T0 + HOUR, seed: 3 },
];

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const fmt = (xs: number[]) => `mean ${mean(xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)} points`;

test('calibrated windows stay within 10 points of the hidden truth where the turn estimate does not', (t) => {
  const all: Record<'five' | 'week', Errors> = { five: { calibrated: [], estimate: [] }, week: { calibrated: [], estimate: [] } };
  for (const a of ACCOUNTS) {
    withTempDb((db) => {
      const errors = simulate(db, a);
      for (const w of ['five', 'week'] as const) {
        assert.ok(errors[w].calibrated.length >= 10, `${a.name}: enough checks`);
        t.diagnostic(`${a.name} ${w}: calibrated ${fmt(errors[w].calibrated)}; estimate ${fmt(errors[w].estimate)}`);
        all[w].calibrated.push(...errors[w].calibrated);
        all[w].estimate.push(...errors[w].estimate);
      }
    });
  }
  for (const w of ['five', 'week'] as const) {
    t.diagnostic(`all ${w}: calibrated ${fmt(all[w].calibrated)}; estimate ${fmt(all[w].estimate)}`);
    assert.ok(Math.max(...all[w].calibrated) <= 10, `${w}: calibrated max error ${Math.max(...all[w].calibrated)}`);
    assert.ok(Math.max(...all[w].estimate) > 10, `${w}: the turn estimate is further off`);
    assert.ok(mean(all[w].estimate) > mean(all[w].calibrated));
  }
});

test('robustCapacity: the median of the observations near the median', () => {
  assert.equal(robustCapacity([]), null);
  assert.equal(robustCapacity([10, 11, 12]), 11);
  assert.equal(robustCapacity([10, 11, 12, 13, 10 * OUTLIER_FACTOR * 2]), 11.5, 'the outlier is dropped before the median');
});

test('a window Claude Code named starts from zero once it has reset; tiny figures teach nothing', () => {
  withTempDb((db) => {
    const usage = db.prepare("INSERT INTO usage (profile, dedup_key, model, ts, output_tokens) VALUES (?, ?, 'claude-sonnet-4-5', ?, ?)");
    const start = T0 + 9 * HOUR;
    usage.run('a', 'u1', start + HOUR, 1_000_000); // $15
    statusLine(db, 'a', start + 2 * HOUR, { five_hour: { used_percentage: 50, resets_at: (start + FIVE_HOURS) / 1000 } });
    const at = (now: number, profile = 'a') => calibratedWindow({ db, now, tz: 'UTC', prices }, profile, 'five_hour')!;
    assert.deepEqual(
      { ...at(start + 3 * HOUR), pct: Math.round(at(start + 3 * HOUR).pct!) },
      { used: 15, cap: 30, pct: 50, resets_at: start + FIVE_HOURS, unit: 'usd', source: 'calibrated', observed_at: start + 2 * HOUR },
    );
    const after = start + FIVE_HOURS + HOUR;
    assert.deepEqual([at(after).used, at(after).pct, at(after).resets_at], [0, 0, null], 'nothing since the reset');
    usage.run('a', 'u2', after + 30 * 60_000, 200_000); // $3, in a window from the hour
    const later = after + 2 * HOUR;
    assert.deepEqual([at(later).used, at(later).pct, at(later).resets_at], [3, 10, after + FIVE_HOURS]);

    usage.run('b', 'u3', start + HOUR, 1_000_000);
    statusLine(db, 'b', start + 2 * HOUR, { five_hour: { used_percentage: MIN_OBSERVED_PCT - 1, resets_at: (start + FIVE_HOURS) / 1000 } });
    assert.equal(at(start + 3 * HOUR, 'b'), null);
  });
});

test('the warning names the calibrated source and the time of the figure; old windows still parse', () => {
  withTempDb((db) => {
    const start = T0 + 9 * HOUR;
    db.prepare("INSERT INTO usage (profile, dedup_key, model, ts, output_tokens) VALUES ('a', 'u1', 'claude-sonnet-4-5', ?, 1000000)").run(
      start + HOUR,
    );
    statusLine(db, 'a', start + 2 * HOUR, { five_hour: { used_percentage: 50, resets_at: (start + FIVE_HOURS) / 1000 } });
    db.prepare("INSERT INTO usage (profile, dedup_key, model, ts, output_tokens) VALUES ('a', 'u2', 'claude-sonnet-4-5', ?, 600000)").run(
      start + 3 * HOUR,
    );
    const a = { ...profileConfigSchema.parse({ config_dir: '/cfg/a' }), name: 'a' } as Profile;
    const q = computeSnapshot({ db, profiles: [a], now: start + 4 * HOUR, tz: 'UTC', prices }).profiles.a!;
    assert.equal(q.message, "ccx [a]: 5 h window 80 % (calibrated on Claude Code's figure of 11:00), resets 14:00");
  });
  const old = { used: 3, cap: 10, pct: 30, resets_at: null, unit: 'turns', source: 'estimate' };
  assert.deepEqual(quotaWindowSchema.parse(old), old);
});
