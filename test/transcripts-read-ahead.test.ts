// A large pass reads its Claude Code files on a worker thread (lib/transcripts/read-ahead.ts): the
// ledger, the cursors and the pass's figures must be exactly those of reading inline, however
// the chunks fall, across appends, and with files that change between passes.
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { rng } from '../lib/rng';
import type { Db } from '../lib/store';
import { openDb } from '../lib/store/open';
import { type ScanOpts, scanProfiles } from '../lib/transcripts/scan';
import { assistantLine, ledgerRows, TRANSCRIPT_NOW as NOW, profile, randomTranscript, tempDir } from './helpers/transcript-fixtures';

const LIMIT_LINE = `${JSON.stringify({
  type: 'assistant',
  isApiErrorMessage: true,
  sessionId: 's',
  timestamp: '2025-10-01T01:00:00.000Z',
  message: {
    id: 'e1',
    content: [{ type: 'text', text: 'Claude AI usage limit reached|1759284000' }],
    usage: { input_tokens: 0, output_tokens: 0 },
  },
})}\n`;

function state(db: Db) {
  return {
    usage: ledgerRows(db),
    costs: db.prepare('SELECT * FROM cost_states ORDER BY profile, session_id').all(),
    limits: db.prepare('SELECT * FROM limit_hits ORDER BY profile, ts').all(),
    cursors: db.prepare('SELECT path, offset, size, skipped_lines, skipped_by_reason, fingerprint FROM scan_cursors ORDER BY path').all(),
  };
}

test('read-ahead on a worker gives the ledger, cursors and figures of reading inline', (t) => {
  const dir = tempDir(t);
  for (let seed = 1; seed <= 6; seed++) {
    const r = rng(seed);
    const files = Array.from({ length: 2 + Math.floor(r() * 6) }, () => randomTranscript(r));
    const growth = files.map(() => randomTranscript(r));
    const runs = [false, true].map((readAhead) => {
      const base = join(dir, `${seed}-${readAhead}`);
      const p = profile('x', join(base, 'c'));
      const paths = files.map((_, i) => join(base, 'c', 'projects', `p${i % 3}`, `s${i}.jsonl`));
      paths.forEach((f, i) => {
        mkdirSync(join(f, '..'), { recursive: true });
        writeFileSync(f, files[i]! + (i === 0 ? LIMIT_LINE : ''));
      });
      const db = openDb(join(base, 'state.db'));
      try {
        // Tiny commits: many chunks per file, many more than the worker may post ahead.
        const opts: ScanOpts = { now: () => NOW, commitBytes: 64 + Math.floor(r() * 512), readAhead };
        const first = scanProfiles(db, [p], opts);
        // Between passes: appends (the last line unterminated), one file rewritten shorter, one gone.
        for (const [i, f] of paths.entries()) appendFileSync(f, growth[i]!);
        appendFileSync(paths[0]!, assistantLine({ id: 'tail', input: 1, output: 1 }).trimEnd());
        if (paths.length > 2) writeFileSync(paths[1]!, growth[1]!);
        if (paths.length > 3) rmSync(paths[3]!);
        const second = scanProfiles(db, [p], opts);
        return { first, second, ...state(db) };
      } finally {
        db.close();
      }
    });
    const [inline, ahead] = runs;
    assert.equal(inline!.first.filesReadAhead, 0);
    assert.equal(ahead!.first.filesReadAhead, ahead!.first.filesChanged, `seed ${seed}: every file read on the worker`);
    assert.ok(ahead!.second.filesReadAhead > 0, `seed ${seed}: the worker read the appends`);
    for (const run of runs) run!.first.filesReadAhead = run!.second.filesReadAhead = 0;
    // Paths differ only in the run's directory name.
    const norm = (x: unknown) => JSON.parse(JSON.stringify(x).replaceAll(`${seed}-true`, `${seed}-false`));
    assert.deepEqual(norm(ahead), inline, `seed ${seed}`);
    assert.ok(inline!.usage.length > 0 && inline!.limits.length === 1, `seed ${seed}: the fixture has usage and a limit hit`);
  }
});
