// The ledger's per-line statements must search, not scan: one that walks every row of the
// profile turns a cold pass quadratic in the history (it did: 12.7 s for one 65 MB transcript).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BY_MESSAGE_SQL } from '../lib/transcripts/ledger';
import { withTempDb } from './helpers/ccx';

test('the by-message statements search the (profile, message_id) index on a filled usage table', () => {
  withTempDb((db) => {
    const insert = db.prepare('INSERT INTO usage (profile, dedup_key, ts, message_id, is_sidechain) VALUES (?, ?, ?, ?, ?)');
    db.transaction(() => {
      for (let i = 0; i < 5000; i++) insert.run('p', `k${i}`, i, `msg_${i}`, i % 7 === 0 ? 1 : 0);
    })();
    db.exec('ANALYZE');
    for (const [name, sql] of Object.entries(BY_MESSAGE_SQL)) {
      const params = ['p', 'msg_1', 'k1'].slice(0, sql.split('?').length - 1);
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
      assert.ok(
        plan.some((d) => /^SEARCH usage USING (COVERING )?INDEX usage_profile_message \(profile=\? AND message_id=\?\)/.test(d)),
        `${name}: ${plan.join('; ')}`,
      );
    }
  });
});
