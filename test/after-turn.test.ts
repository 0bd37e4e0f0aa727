// The band a hook uses for a turn quota.json has not counted yet: ccx's turn estimates + 1, Claude
// Code's own figures and the ledger budgets as they are.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Profile, profileConfigSchema } from '../lib/contracts/profile';
import type { QuotaWindow } from '../lib/contracts/quota';
import { loadPrices } from '../lib/pricing/prices';
import { windowAfterTurn } from '../lib/quota/after-turn';
import { computeSnapshot } from '../lib/quota/engine';
import type { Db } from '../lib/store/open';
import { withTempDb } from './helpers/ccx';

const H = 3_600_000;
const NOW = Date.UTC(2026, 10, 20, 12);
const prices = loadPrices('/nonexistent/pricing.yaml').prices;

function work(extra: Record<string, unknown>): Profile {
  return { ...profileConfigSchema.parse({ config_dir: '/cfg/work', ...extra }), name: 'work' } as Profile;
}

function turns(db: Db, n: number): void {
  const insert = db.prepare("INSERT INTO turns (event_id, profile, session_id, ts, failed, error) VALUES (?, 'work', 's', ?, 0, NULL)");
  for (let i = 0; i < n; i++) insert.run(`e${i}`, NOW - H + i * 60_000);
}

const quotaOf = (db: Db, p: Profile) => computeSnapshot({ db, profiles: [p], now: NOW, tz: 'UTC', prices }).profiles.work!;

test('cap 4: the turn being ended takes 2 counted turns to warn at 75 % and 3 to hard at 100 %', () => {
  const cases = [
    { counted: 1, band: 'ok', message: null },
    { counted: 2, band: 'warn', message: 'ccx [work]: 5 h window 75 % (3/4 turns), resets 16:00' },
    { counted: 3, band: 'hard', message: 'ccx [work]: 5 h window 100 % (4/4 turns), resets 16:00' },
    { counted: 4, band: 'hard', message: 'ccx [work]: 5 h window 125 % (5/4 turns), resets 16:00' },
  ] as const;
  for (const c of cases) {
    withTempDb((db) => {
      turns(db, c.counted);
      const q = quotaOf(db, work({ caps_5h_turns: 4 }));
      assert.deepEqual(q.after_turn, { band: c.band, worst: 'five_hour', message: c.message }, `${c.counted} counted`);
      assert.equal(q.windows.five_hour!.used, c.counted, 'the snapshot itself is unchanged');
    });
  }
});

test('the worst window after the turn sets the band: a weekly turn cap can overtake the 5 h one', () => {
  withTempDb((db) => {
    turns(db, 2);
    const q = quotaOf(db, work({ caps_5h_turns: 10, caps_weekly_turns: 3 }));
    assert.equal(q.band, 'ok');
    assert.deepEqual([q.after_turn!.band, q.after_turn!.worst], ['hard', 'weekly']);
    assert.match(q.after_turn!.message!, /weekly window 100 % \(3\/3 turns\)/);
  });
});

test("Claude Code's figure already counts the turn; ledger budgets and uncapped windows stay as they are", () => {
  const real: QuotaWindow = { used: null, cap: null, pct: 80, resets_at: NOW + H, unit: 'percent', source: 'claude-code' };
  const ledger: QuotaWindow = { used: 900, cap: 1000, pct: 90, resets_at: null, unit: 'tokens', source: 'ledger' };
  const uncapped: QuotaWindow = { used: 7, cap: null, pct: null, resets_at: null, unit: 'turns', source: 'estimate' };
  assert.deepEqual(windowAfterTurn(real), real);
  assert.deepEqual(windowAfterTurn(ledger), ledger);
  assert.deepEqual(windowAfterTurn(uncapped), { ...uncapped, used: 8 });
});
