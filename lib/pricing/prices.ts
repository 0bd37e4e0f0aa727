// The price table ccx uses: the embedded pricing.yaml with $CCX_HOME/pricing.yaml on top, and the
// cost of one usage row. A model without a price costs 0 and is flagged, never silently dropped.
import { readFileSync } from 'node:fs';
import { promptTokens, type Tokens, totalTokens } from '../contracts/usage';
import { modelFamily } from './match';
import embedded from './pricing.yaml';
import { type PriceRow, parsePriceObject, parsePriceYaml, type Rates } from './table';

/**
 * Rows per family (and alias), sorted by effective date ascending; `rowsOf` memoises a model id's
 * rows, since a report prices thousands of rows of a few models.
 */
export type PriceTable = { byFamily: Map<string, PriceRow[]>; rowsOf: Map<string, PriceRow[] | undefined> };

/** The DB shape of a usage row (lib/store migrations): rows from SQL can be passed as they are. */
export type PricedUsage = Tokens & {
  model: string | null;
  ts: number;
  speed?: string | null;
};

export const EMBEDDED_PRICING_FILE = 'lib/pricing/pricing.yaml (embedded)';

export function buildTable(rows: PriceRow[]): PriceTable {
  const byFamily = new Map<string, PriceRow[]>();
  for (const row of rows) {
    for (const name of [row.model, ...row.aliases]) {
      const key = modelFamily(name);
      const list = byFamily.get(key) ?? [];
      list.push(row);
      byFamily.set(key, list);
    }
  }
  for (const list of byFamily.values()) list.sort((a, b) => a.effective - b.effective);
  return { byFamily, rowsOf: new Map() };
}

/**
 * Embedded prices, with every model the override file lists replacing the embedded rows of that
 * model. A missing override is fine; a broken one yields warnings (file:line: what) and the rows
 * that could be read still apply.
 */
export function loadPrices(overridePath: string, embeddedDoc: unknown = embedded): { prices: PriceTable; warnings: string[] } {
  const base = parsePriceObject(embeddedDoc, EMBEDDED_PRICING_FILE);
  const warnings = [...base.errors];
  let text: string | null = null;
  try {
    text = readFileSync(overridePath, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') warnings.push(`${overridePath}: cannot read: ${(err as Error).message}`);
  }
  if (text === null) return { prices: buildTable(base.rows), warnings };
  const over = parsePriceYaml(text, overridePath);
  warnings.push(...over.errors.map((e) => `${e} (embedded prices used for it)`));
  const replaced = new Set(over.rows.map((r) => modelFamily(r.model)));
  const rows = [...base.rows.filter((r) => !replaced.has(modelFamily(r.model))), ...over.rows];
  return { prices: buildTable(rows), warnings };
}

/** The row in force for `model` at `ts`: the latest not after ts, or the earliest one. */
export function priceFor(model: string | null, ts: number, prices: PriceTable): PriceRow | null {
  if (!model) return null;
  let rows = prices.rowsOf.get(model);
  if (rows === undefined && !prices.rowsOf.has(model)) prices.rowsOf.set(model, (rows = prices.byFamily.get(modelFamily(model))));
  if (!rows || rows.length === 0) return null;
  let pick = rows[0]!;
  for (const r of rows) if (r.effective <= ts) pick = r;
  return pick;
}

/**
 * Cost of one request. For a row that sums many requests of one (model, day, speed) class, pass
 * `promptTokens` = the prompt size of any request in the class (see promptClasses), since the
 * long-context rate depends on each request's own prompt, not on the sum.
 */
export function costOfUsage(row: PricedUsage, prices: PriceTable, opts: { promptTokens?: number } = {}): { usd: number; priced: boolean } {
  const price = priceFor(row.model, row.ts, prices);
  if (!price) return { usd: 0, priced: false };
  // Anthropic prices the whole request at the long-context rate once its input side is over the line.
  const prompt = opts.promptTokens ?? promptTokens(row);
  const r: Rates = price.long_context && prompt > price.long_context.threshold ? price.long_context : price;
  const perMillion =
    row.input_tokens * r.input +
    row.output_tokens * r.output +
    row.cache_read_tokens * r.cache_read +
    row.cache_creation_5m_tokens * r.cache_write_5m +
    row.cache_creation_1h_tokens * r.cache_write_1h;
  const fast = row.speed === 'fast' && price.fast_multiplier ? price.fast_multiplier : 1;
  return { usd: (perMillion * fast) / 1e6, priced: true };
}

/** Sum of many rows' costs, with the models that had no price and how many tokens they carried. */
export function totalCost(rows: Iterable<PricedUsage>, prices: PriceTable): { usd: number; unpriced: Map<string, number> } {
  let usd = 0;
  const unpriced = new Map<string, number>();
  for (const row of rows) {
    const c = costOfUsage(row, prices);
    usd += c.usd;
    if (!c.priced) {
      const name = row.model ?? '(no model)';
      unpriced.set(name, (unpriced.get(name) ?? 0) + totalTokens(row));
    }
  }
  return { usd, unpriced };
}

/**
 * The long-context thresholds in the table, ascending. Requests whose prompts exceed the same
 * number of them are priced alike, so SQL can group by that class and cost each group once:
 * class k = prompt > thresholds[k-1] (and <= thresholds[k]); its representative prompt size is
 * thresholds[k-1] + 1, or 0 for class 0.
 */
export function promptClasses(prices: PriceTable): { thresholds: number[]; representative: (k: number) => number } {
  const set = new Set<number>();
  for (const rows of prices.byFamily.values()) for (const r of rows) if (r.long_context) set.add(r.long_context.threshold);
  const thresholds = [...set].sort((a, b) => a - b);
  return { thresholds, representative: (k) => (k === 0 ? 0 : thresholds[k - 1]! + 1) };
}
