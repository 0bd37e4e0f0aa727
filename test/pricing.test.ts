// Cost rules with figures worked out by hand from lib/pricing/pricing.yaml (USD per MTok).
import assert from 'node:assert/strict';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { modelFamily } from '../lib/pricing/match';
import { costOfUsage, loadPrices, type PricedUsage, promptClasses, totalCost } from '../lib/pricing/prices';
import { scanProfiles } from '../lib/transcripts/scan';
import { FIXTURES, freshDb, profile, tempDir } from './helpers/transcript-fixtures';

const OCT_2025 = Date.parse('2025-10-01T12:00:00Z');
const NO_OVERRIDE = '/nonexistent/ccx-pricing.yaml';

function row(model: string | null, p: Partial<PricedUsage> = {}): PricedUsage {
  return {
    model,
    ts: OCT_2025,
    input_tokens: 0,
    output_tokens: 0,
    cache_read_tokens: 0,
    cache_creation_5m_tokens: 0,
    cache_creation_1h_tokens: 0,
    ...p,
  };
}

const near = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} != ${b}`);

test('embedded table loads without warnings', () => {
  const { warnings, prices } = loadPrices(NO_OVERRIDE);
  assert.deepEqual(warnings, []);
  assert.ok(prices.byFamily.has('claude-sonnet-4-5'));
});

test('dated, Bedrock, Vertex, -latest and [1m] names fold onto the family row', () => {
  assert.equal(modelFamily('claude-sonnet-4-5-20250929'), 'claude-sonnet-4-5');
  assert.equal(modelFamily('us.anthropic.claude-sonnet-4-5-20250929-v1:0'), 'claude-sonnet-4-5');
  // OpenCode's spellings: provider/model, and a dot where Claude's ids have a dash (OpenAI's keep theirs).
  assert.equal(modelFamily('claude-sonnet-4.5'), 'claude-sonnet-4-5');
  assert.equal(modelFamily('anthropic/claude-sonnet-4.5'), 'claude-sonnet-4-5');
  assert.equal(modelFamily('openai/gpt-4.1-2025-04-14'), 'gpt-4.1');
  assert.equal(modelFamily('claude-sonnet-4-5@20250929'), 'claude-sonnet-4-5');
  assert.equal(modelFamily('claude-3-5-sonnet-latest'), 'claude-3-5-sonnet');
  assert.equal(modelFamily('claude-opus-4-6[1m]'), 'claude-opus-4-6');
  const { prices } = loadPrices(NO_OVERRIDE);
  // 1M output tokens of Sonnet 4.5 = $15, whatever the spelling.
  for (const m of ['claude-sonnet-4-5-20250929', 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5']) {
    near(costOfUsage(row(m, { output_tokens: 1_000_000 }), prices).usd, 15);
  }
  // claude-opus-4-20250514 -> claude-opus-4 ($15 input), not claude-opus-4-5.
  near(costOfUsage(row('claude-opus-4-20250514', { input_tokens: 1_000_000 }), prices).usd, 15);
});

test('each bucket at its own rate: input, output, cache read, 5m and 1h writes', () => {
  const { prices } = loadPrices(NO_OVERRIDE);
  // Haiku 4.5: 1 / 5 / 0.10 / 1.25 / 2 per MTok.
  const c = costOfUsage(
    row('claude-haiku-4-5-20251001', {
      input_tokens: 1_000_000,
      output_tokens: 1_000_000,
      cache_read_tokens: 1_000_000,
      cache_creation_5m_tokens: 1_000_000,
      cache_creation_1h_tokens: 1_000_000,
    }),
    prices,
  );
  assert.equal(c.priced, true);
  near(c.usd, 1 + 5 + 0.1 + 1.25 + 2);
  // 1h cache writes cost 2x input ($6), 5m ones 1.25x ($3.75): Sonnet 4.5, 100k of each.
  near(costOfUsage(row('claude-sonnet-4-5', { cache_creation_1h_tokens: 100_000 }), prices).usd, 0.6);
  near(costOfUsage(row('claude-sonnet-4-5', { cache_creation_5m_tokens: 100_000 }), prices).usd, 0.375);
});

test('long context: the whole request at the premium rate once the prompt side is over 200k', () => {
  const { prices } = loadPrices(NO_OVERRIDE);
  // Sonnet 4.5, 140k input + 60k cache read = exactly 200k: standard rates.
  // 140000*3 + 60000*0.3 + 1000*15 = 453000 -> $0.453
  near(costOfUsage(row('claude-sonnet-4-5', { input_tokens: 140_000, cache_read_tokens: 60_000, output_tokens: 1000 }), prices).usd, 0.453);
  // 150k + 60k = 210k > 200k: 150000*6 + 60000*0.6 + 1000*22.5 = 958500 -> $0.9585
  near(
    costOfUsage(row('claude-sonnet-4-5', { input_tokens: 150_000, cache_read_tokens: 60_000, output_tokens: 1000 }), prices).usd,
    0.9585,
  );
  // Cache writes count on the input side too: 1k input + 250k 1h write -> 1000*6 + 250000*12 = 3006000
  near(costOfUsage(row('claude-sonnet-4-5', { input_tokens: 1000, cache_creation_1h_tokens: 250_000 }), prices).usd, 3.006);
  // Haiku 4.5 has no long-context row: 300k input stays at $1/MTok.
  near(costOfUsage(row('claude-haiku-4-5', { input_tokens: 300_000 }), prices).usd, 0.3);
});

test('effective dates pick the row in force on the request day', () => {
  const { prices } = loadPrices(NO_OVERRIDE);
  // Sonnet 4.6: premium above 200k until 2026-03-13, flat afterwards. 300k input:
  near(costOfUsage(row('claude-sonnet-4-6', { ts: Date.parse('2026-03-01T00:00:00Z'), input_tokens: 300_000 }), prices).usd, 1.8);
  near(costOfUsage(row('claude-sonnet-4-6', { ts: Date.parse('2026-04-01T00:00:00Z'), input_tokens: 300_000 }), prices).usd, 0.9);
  // A request older than every row uses the earliest row.
  near(costOfUsage(row('claude-sonnet-4-6', { ts: 0, input_tokens: 100_000 }), prices).usd, 0.3);
});

test('fast mode multiplies every rate when the model has a fast price', () => {
  const { prices } = loadPrices(NO_OVERRIDE);
  const r = { ts: Date.parse('2026-04-01T00:00:00Z'), output_tokens: 1_000_000 };
  near(costOfUsage(row('claude-opus-4-6', { ...r, speed: 'fast' }), prices).usd, 150);
  near(costOfUsage(row('claude-opus-4-6', { ...r, speed: 'standard' }), prices).usd, 25);
});

test('an unknown model costs 0 and is reported as unpriced with its tokens', () => {
  const { prices } = loadPrices(NO_OVERRIDE);
  assert.deepEqual(costOfUsage(row('claude-mystery-9', { input_tokens: 70 }), prices), { usd: 0, priced: false });
  assert.deepEqual(costOfUsage(row(null, { input_tokens: 70 }), prices), { usd: 0, priced: false });
  const t = totalCost(
    [row('claude-mystery-9', { input_tokens: 70, output_tokens: 30 }), row('claude-haiku-4-5', { output_tokens: 1_000_000 })],
    prices,
  );
  near(t.usd, 5);
  assert.deepEqual([...t.unpriced], [['claude-mystery-9', 100]]);
});

test('override file replaces a model; broken entries are named by file and line', (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'pricing.yaml');
  writeFileSync(
    file,
    [
      'models:',
      '  - { model: claude-sonnet-4-5, effective: 2025-01-01, input: 100, output: 0, cache_read: 0, cache_write_5m: 0, cache_write_1h: 0 }',
      '  - { model: claude-haiku-4-5, effective: 2025-01-01, input: cheap, output: 0, cache_read: 0, cache_write_5m: 0, cache_write_1h: 0 }',
      '  - { model: claude-mystery-9, effective: 2025-01-01, input: 1, output: 1, cache_read: 0, cache_write_5m: 0, cache_write_1h: 0 }',
    ].join('\n'),
  );
  const { prices, warnings } = loadPrices(file);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, new RegExp(`^${file}:3: claude-haiku-4-5: input must be`));
  near(costOfUsage(row('claude-sonnet-4-5-20250929', { input_tokens: 1_000_000 }), prices).usd, 100);
  // The broken override row is dropped: the embedded Haiku 4.5 price still applies.
  near(costOfUsage(row('claude-haiku-4-5', { input_tokens: 1_000_000 }), prices).usd, 1);
  near(costOfUsage(row('claude-mystery-9', { input_tokens: 1_000_000 }), prices).usd, 1);
});

test('malformed override YAML: error with file and line, embedded prices used', (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'pricing.yaml');
  writeFileSync(file, 'models:\n  - model: claude-sonnet-4-5\n    input: [1, 2\n');
  const { prices, warnings } = loadPrices(file);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, new RegExp(`^${file}:\\d+: `));
  near(costOfUsage(row('claude-sonnet-4-5', { input_tokens: 100_000 }), prices).usd, 0.3);
});

test('cost of the basic fixture ledger, worked out per row', (t) => {
  const dir = tempDir(t);
  cpSync(join(FIXTURES, 'basic'), join(dir, 'c'), { recursive: true });
  const db = freshDb(t, dir);
  scanProfiles(db, [profile('w', join(dir, 'c'))], {});
  const { prices } = loadPrices(NO_OVERRIDE);
  const rows = db.prepare('SELECT * FROM usage').all() as PricedUsage[];
  const { usd, unpriced } = totalCost(rows, prices);
  // Sonnet 4.5 m1: 10*3 + 50*15 + 1000*0.3 + 200*3.75 = 1830; m2: 100*3 + 9*15 = 435; m20: 1*3 + 2*15 = 33
  // Opus 4.5 m3:r3a: 20*5 + 2*25 + 100*6.25 + 300*10 = 3775; m3:r3b: 30*5 + 3*25 = 225
  // Haiku 4.5 m10: 40 + 4*5 = 60; m12: 8 + 1*5 = 13; m11: 5 + 6*5 + 50*0.1 = 40
  near(usd, (1830 + 435 + 33 + 3775 + 225 + 60 + 13 + 40) / 1e6);
  assert.deepEqual([...unpriced], [['claude-mystery-9', 100]]);
});

test('grouped rows priced with promptClasses match per-request pricing', () => {
  const { prices } = loadPrices(NO_OVERRIDE);
  const { thresholds, representative } = promptClasses(prices);
  // The embedded table has Haiku 5.5's 100k tier, the 200k tier of the Sonnet/Opus rows and GPT-5.4/5.5's 272k one.
  assert.deepEqual(thresholds, [100_000, 200_000, 272_000]);
  // Two Sonnet 4.5 requests over 200k (class 2) summed into one row cost what they cost apart.
  const a = row('claude-sonnet-4-5', { input_tokens: 210_000, output_tokens: 10 });
  const b = row('claude-sonnet-4-5', { input_tokens: 250_000, output_tokens: 20 });
  const sum = row('claude-sonnet-4-5', { input_tokens: 460_000, output_tokens: 30 });
  near(costOfUsage(sum, prices, { promptTokens: representative(2) }).usd, costOfUsage(a, prices).usd + costOfUsage(b, prices).usd);
  // Class 1 (100k < prompt <= 200k) is standard for Sonnet 4.5: 2 x 150k input = 300k x $3.
  near(costOfUsage(row('claude-sonnet-4-5', { input_tokens: 300_000 }), prices, { promptTokens: representative(1) }).usd, 0.9);
});
