// parse.ts reads Claude Code's timestamps with a short cut: it must agree with Date.parse on
// every string, the edges of each field included.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rng } from '../lib/rng';
import { parseTime } from '../lib/transcripts/parse';

test('parseTime agrees with Date.parse', () => {
  const fixed = [
    '2025-10-01T10:00:02.000Z',
    '2025-02-29T00:00:00.000Z',
    '2024-02-29T23:59:59.999Z',
    '2025-02-31T00:00:00.000Z',
    '2025-04-31T10:00:00.000Z',
    '2025-02-32T00:00:00.000Z',
    '2025-13-01T00:00:00.000Z',
    '2025-00-01T00:00:00.000Z',
    '2025-01-00T00:00:00.000Z',
    '2025-01-01T24:00:00.000Z',
    '2025-01-01T23:60:00.000Z',
    '2025-01-01T23:59:60.000Z',
    '0000-01-01T00:00:00.000Z',
    '0099-12-31T00:00:00.000Z',
    '0100-01-01T00:00:00.000Z',
    '9999-12-31T23:59:59.999Z',
    '2025-10-01T10:00:02.000+01:00',
    '2025-10-01T10:00:02Z',
    '2025-10-01 10:00:02.000Z',
    '2025-1a-01T10:00:02.000Z',
    '2025-10-01T10:00:02.00Z',
    '+2025-10-01T10:00:02.000Z',
    '',
    'yesterday',
    '2025-10-01T10:00:02.000z',
  ];
  for (const t of fixed) assert.equal(parseTime(t), Date.parse(t), t);
  const r = rng(11);
  const pick = (s: string) => s[Math.floor(r() * s.length)]!;
  for (let i = 0; i < 50000; i++) {
    // A valid timestamp with one or two characters replaced by a digit or a separator.
    const chars = [...new Date(Math.floor(r() * 4e12)).toISOString()];
    for (let k = 0; k < 1 + Math.floor(r() * 2); k++) chars[Math.floor(r() * chars.length)] = pick('0123456789-:.TZ ');
    const t = chars.join('');
    assert.equal(parseTime(t), Date.parse(t), t);
  }
});
