// Turns a price document into rows, validating every field: the embedded table arrives already
// parsed (scripts/build.mjs turns pricing.yaml into JSON at build time), a user override is YAML
// text. Problems come back as messages naming the file and line (or entry), so a bad override
// can be shown to the user while the rest of the table keeps working.
import type { Node } from 'yaml';

/** USD per million tokens. */
export type Rates = { input: number; output: number; cache_read: number; cache_write_5m: number; cache_write_1h: number };
export type PriceRow = Rates & {
  model: string;
  aliases: string[];
  /** ms since epoch of the first UTC day the row applies. */
  effective: number;
  long_context: (Rates & { threshold: number }) | null;
  fast_multiplier: number | null;
};

const RATE_KEYS = ['input', 'output', 'cache_read', 'cache_write_5m', 'cache_write_1h'] as const;
const ROW_KEYS = new Set<string>(['model', 'aliases', 'effective', 'long_context', 'fast_multiplier', ...RATE_KEYS]);
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

type Parsed = { rows: PriceRow[]; errors: string[] };

/** The embedded table: `{ models: [...] }` as the build parsed it. */
export function parsePriceObject(doc: unknown, file: string): Parsed {
  const models = doc && typeof doc === 'object' ? (doc as { models?: unknown }).models : undefined;
  if (!Array.isArray(models)) return { rows: [], errors: [`${file}: expected a top-level "models:" list`] };
  return collect(models.map((value, i) => ({ value, where: `${file}: models[${i}]` })));
}

/** A YAML price file. The yaml library loads only here: most runs never see an override. */
export function parsePriceYaml(text: string, file: string): Parsed {
  const { isMap, isSeq, LineCounter, parseDocument } = require('yaml') as typeof import('yaml');
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  const at = (node: Node | null | undefined) => `${file}:${node?.range ? lc.linePos(node.range[0]).line : 1}`;
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    return { rows: [], errors: [`${file}:${e.linePos?.[0]?.line ?? 1}: ${e.message.split('\n')[0]}`] };
  }
  const models = isMap(doc.contents) ? doc.contents.get('models', true) : undefined;
  if (!isSeq(models)) return { rows: [], errors: [`${at(doc.contents)}: expected a top-level "models:" list`] };
  return collect(models.items.map((item) => ({ value: isMap(item) ? (item as Node).toJSON() : null, where: at(item as Node) })));
}

function collect(entries: { value: unknown; where: string }[]): Parsed {
  const rows: PriceRow[] = [];
  const errors: string[] = [];
  for (const { value, where } of entries) {
    const isMapping = value !== null && typeof value === 'object' && !Array.isArray(value);
    const row = isMapping ? toRow(value as Record<string, unknown>) : 'each entry of models must be a mapping';
    if (typeof row === 'string') errors.push(`${where}: ${row}`);
    else rows.push(row);
  }
  return { rows, errors };
}

function rates(v: Record<string, unknown>, where: string): Rates | string {
  const out: Partial<Rates> = {};
  for (const k of RATE_KEYS) {
    const x = v[k];
    if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) return `${where}${k} must be a non-negative number (USD per million tokens)`;
    out[k] = x;
  }
  return out as Rates;
}

function toRow(v: Record<string, unknown>): PriceRow | string {
  const model = v.model;
  if (typeof model !== 'string' || model.length === 0) return 'model must be a non-empty string';
  const unknown = Object.keys(v).find((k) => !ROW_KEYS.has(k));
  if (unknown) return `${model}: unknown key "${unknown}"`;
  const eff = v.effective;
  if (typeof eff !== 'string' || !DATE_RE.test(eff) || !Number.isFinite(Date.parse(`${eff}T00:00:00Z`))) {
    return `${model}: effective must be a date YYYY-MM-DD`;
  }
  const base = rates(v, `${model}: `);
  if (typeof base === 'string') return base;
  let long_context: PriceRow['long_context'] = null;
  if (v.long_context !== undefined) {
    const lcv = v.long_context as Record<string, unknown>;
    if (typeof lcv !== 'object' || lcv === null) return `${model}: long_context must be a mapping`;
    const lr = rates(lcv, `${model}: long_context.`);
    if (typeof lr === 'string') return lr;
    if (typeof lcv.threshold !== 'number' || !(lcv.threshold > 0))
      return `${model}: long_context.threshold must be a positive number of tokens`;
    long_context = { ...lr, threshold: lcv.threshold };
  }
  const fm = v.fast_multiplier;
  if (fm !== undefined && (typeof fm !== 'number' || !(fm > 0))) return `${model}: fast_multiplier must be a positive number`;
  const aliases = v.aliases ?? [];
  if (!Array.isArray(aliases) || aliases.some((a) => typeof a !== 'string')) return `${model}: aliases must be a list of names`;
  return {
    model,
    aliases: aliases as string[],
    effective: Date.parse(`${eff}T00:00:00Z`),
    ...base,
    long_context,
    fast_multiplier: (fm as number | undefined) ?? null,
  };
}
