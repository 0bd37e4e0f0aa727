// lib/format's int and usd write what Intl.NumberFormat('en-US') writes, without starting ICU
// (~20 ms of a warm report): Intl itself is the oracle, over seeded random values of every size
// and the halves where toFixed and Intl round apart.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { int, usd } from '../lib/format';
import { rng } from '../lib/rng';

const intl2 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const intl0 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function values(): number[] {
  const next = rng(16);
  const out = [0, -0, 0.005, 1.005, 2.675, -2.5, 2.5, 0.995, 999.995, -0.001, 1e-7, -1e-7, 5e-324, 1e20, 1e21, 123456789.125];
  out.push(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.MAX_SAFE_INTEGER);
  for (let i = 0; i < 50_000; i++) {
    out.push((next() - 0.3) * 10 ** Math.floor(next() * 24 - 8)); // any magnitude, some negative
    out.push(Math.round(next() * 1e6) / 1000); // three decimals: halves at the cent
    out.push(Math.round(next() * 1e5) / 200); // exact halves and quarters
  }
  return out;
}

test('usd and int spell every value as Intl en-US does', () => {
  let checked = 0;
  for (const v of values()) {
    assert.equal(usd(v), `$${intl2.format(v)}`, `usd(${v})`);
    assert.equal(int(v), intl0.format(Math.round(v)), `int(${v})`);
    checked++;
  }
  assert.ok(checked > 150_000);
});
