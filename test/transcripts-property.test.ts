// Property: however a transcript grows (any append steps, cuts in the middle of lines, scans in
// between), the ledger ends up identical to scanning the finished file once.
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { rng } from '../lib/rng';
import { openDb } from '../lib/store/open';
import { scanProfiles } from '../lib/transcripts/scan';
import { ledgerRows, TRANSCRIPT_NOW as NOW, profile, randomTranscript, tempDir } from './helpers/transcript-fixtures';

test('scanning in arbitrary append steps gives the same ledger as one scan', (t) => {
  const dir = tempDir(t);
  for (let seed = 1; seed <= 40; seed++) {
    const r = rng(seed);
    const text = Buffer.from(randomTranscript(r));
    const ledgers = ['once', 'steps'].map((mode) => {
      const base = join(dir, `${seed}-${mode}`);
      const proj = join(base, 'c', 'projects', 'p');
      mkdirSync(proj, { recursive: true });
      const file = join(proj, 's.jsonl');
      const db = openDb(join(base, 'state.db'));
      try {
        const p = profile('x', join(base, 'c'));
        if (mode === 'once') {
          writeFileSync(file, text);
          scanProfiles(db, [p], { now: () => NOW });
        } else {
          writeFileSync(file, '');
          let at = 0;
          while (at < text.length) {
            const step = 1 + Math.floor(r() * 300);
            appendFileSync(file, text.subarray(at, at + step));
            at += step;
            if (r() < 0.7) scanProfiles(db, [p], { now: () => NOW, commitBytes: 64 });
          }
          scanProfiles(db, [p], { now: () => NOW });
        }
        return {
          usage: ledgerRows(db),
          costs: db.prepare('SELECT * FROM cost_states').all(),
          skipped: db.prepare('SELECT skipped_lines, offset FROM scan_cursors').all(),
        };
      } finally {
        db.close();
      }
    });
    assert.deepEqual(ledgers[1], ledgers[0], `seed ${seed}`);
    assert.ok(ledgers[0]!.usage.length > 0, `seed ${seed} produced usage rows`);
  }
});
