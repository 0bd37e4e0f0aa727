// parse.ts and slim.ts find '"usage"', '"cost-state"' and '"content":' through their tails: the
// search must agree with a plain search for the whole marker on every input, near misses included.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rng } from '../lib/rng';
import { marker, markerAt } from '../lib/transcripts/markers';
import { parseLine } from '../lib/transcripts/parse';

test('markerAt agrees with indexOf of the whole marker', () => {
  const r = rng(7);
  const pieces = ['"', 'u', 's', 'a', 'g', 'e', 'ge"', '"usa', 'usage', '"cost', '-state"', 'cost-', 'content":', ':', 'x', '\\'];
  for (const [head, tail] of [
    ['"usa', 'ge"'],
    ['"cost', '-state"'],
    ['"', 'content":'],
  ] as const) {
    const m = marker(head, tail);
    const whole = Buffer.from(head + tail);
    for (let i = 0; i < 20000; i++) {
      let s = '';
      const n = Math.floor(r() * 12);
      for (let k = 0; k < n; k++) s += pieces[Math.floor(r() * pieces.length)];
      const b = Buffer.from(s);
      assert.equal(markerAt(b, m), b.indexOf(whole), JSON.stringify(s));
    }
  }
});

test('markers at the very start or end of a line, and near misses', () => {
  const ctx = { sessionId: 's', projectDir: 'p', now: Date.UTC(2026, 0, 2) };
  const kind = (s: string) => parseLine(Buffer.from(s), ctx).kind;
  // A line holding a marker is parsed: not JSON -> skipped; without one -> ignored unparsed.
  assert.equal(kind('"usage"'), 'skipped');
  assert.equal(kind('x"usage"'), 'skipped');
  assert.equal(kind('"cost-state"'), 'skipped');
  assert.equal(kind('{"message":"usage" ge" "usa'), 'skipped');
  assert.equal(kind('usage" "usag e" ge"'), 'ignored');
  assert.equal(kind('cost-state" "cost -state" xcost-state'), 'ignored');
  assert.equal(kind(`"cost-state"${' '.repeat(64 * 1024)}`), 'ignored');
});
