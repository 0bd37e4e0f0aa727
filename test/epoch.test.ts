// epochMs is the one seconds-or-milliseconds guess (status line, its inbox records, usage-limit
// lines in transcripts): seconds below 1e11, milliseconds from there, whole milliseconds out.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toEpochMs } from '../lib/consolidator/apply-statusline';
import { epochMs } from '../lib/time/epoch';
import { parseLine } from '../lib/transcripts/parse';

test('seconds below 1e11 are scaled, milliseconds from 1e11 kept', () => {
  const cases: [number, number][] = [
    [0, 0],
    [1, 1000],
    [1_767_225_600, 1_767_225_600_000], // 2026-01-01 in seconds
    [1_767_225_600_000, 1_767_225_600_000], // the same instant in ms
    [99_999_999_999, 99_999_999_999_000], // the last seconds value: year 5138
    [1e11, 1e11], // the first ms value: 1973-03-03
    [5e11, 5e11], // 1985 in ms (the old 1e12 copies read this as seconds)
  ];
  for (const [input, want] of cases) assert.equal(epochMs(input), want, String(input));
  assert.equal(new Date(epochMs(99_999_999_999)).getUTCFullYear(), 5138);
  assert.equal(new Date(epochMs(1e11)).toISOString().slice(0, 10), '1973-03-03');
});

test('fractions round to whole milliseconds on both sides', () => {
  assert.equal(epochMs(1_767_225_600.4567), 1_767_225_600_457);
  assert.equal(epochMs(1_767_225_600_000.6), 1_767_225_600_001);
  assert.equal(epochMs(99_999_999_999.9994), 99_999_999_999_999);
});

test('every reader uses it: status line records and usage-limit lines', () => {
  assert.equal(toEpochMs(5e11), 5e11);
  assert.equal(toEpochMs(1_767_225_600), 1_767_225_600_000);
  const ctx = { sessionId: 's', projectDir: 'p', now: Date.UTC(2026, 0, 2) };
  const limit = (epoch: number) => {
    const line = {
      type: 'assistant',
      timestamp: '2026-01-01T00:00:00.000Z',
      isApiErrorMessage: true,
      message: {
        id: 'm-err',
        model: '<synthetic>',
        content: [{ type: 'text', text: `Claude AI usage limit reached|${epoch}` }],
        usage: { input_tokens: 0, output_tokens: 0 },
      },
    };
    const p = parseLine(Buffer.from(JSON.stringify(line)), ctx);
    assert.equal(p.kind, 'limit', JSON.stringify(p));
    return p.kind === 'limit' ? p.hit.resetAt : null;
  };
  assert.equal(limit(1_767_225_600), 1_767_225_600_000);
  assert.equal(limit(1_767_225_600_000), 1_767_225_600_000);
  assert.equal(limit(500_000_000_000), 5e11);
});
