// The token/cost totals every view adds up, with ccusage's field names so JSON output can be
// read by tools written for ccusage. Costs stay unrounded here; renderers round.
import { cacheWriteTokens, type Tokens, totalTokens } from '../contracts/usage';
import { byText } from '../order';

export type Usage = {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  totalTokens: number;
  totalCost: number;
  /** Models in these rows that have no price: their tokens count, their cost is 0. */
  unpricedModels: string[];
};

/** What one grouped usage fact carries (see query.ts). */
export type TokenCounts = Tokens & {
  cost: number;
  priced: boolean;
  model: string;
};

export function emptyUsage(): Usage {
  return { inputTokens: 0, outputTokens: 0, cacheCreationTokens: 0, cacheReadTokens: 0, totalTokens: 0, totalCost: 0, unpricedModels: [] };
}

export function addTo(u: Usage, f: TokenCounts): Usage {
  u.inputTokens += f.input_tokens;
  u.outputTokens += f.output_tokens;
  u.cacheCreationTokens += cacheWriteTokens(f);
  u.cacheReadTokens += f.cache_read_tokens;
  u.totalTokens += totalTokens(f);
  u.totalCost += f.cost;
  if (!f.priced && !u.unpricedModels.includes(f.model)) {
    u.unpricedModels.push(f.model);
    u.unpricedModels.sort();
  }
  return u;
}

export function sumUsage(items: Iterable<TokenCounts>): Usage {
  const u = emptyUsage();
  for (const f of items) addTo(u, f);
  return u;
}

export type ModelUsage = Usage & { modelName: string };

/** Per-model totals, the most tokens first. */
export function byModel(items: Iterable<TokenCounts>): ModelUsage[] {
  const m = new Map<string, Usage>();
  for (const f of items) {
    let u = m.get(f.model);
    if (!u) m.set(f.model, (u = emptyUsage()));
    addTo(u, f);
  }
  return [...m]
    .map(([modelName, u]) => ({ modelName, ...u }))
    .sort((a, b) => b.totalTokens - a.totalTokens || byText(a.modelName, b.modelName));
}

/** Unpriced models with their token counts, over many facts. */
export function unpricedTokens(items: Iterable<TokenCounts>): { model: string; tokens: number }[] {
  const m = new Map<string, number>();
  for (const f of items) if (!f.priced) m.set(f.model, (m.get(f.model) ?? 0) + totalTokens(f));
  return [...m].map(([model, tokens]) => ({ model, tokens })).sort((a, b) => byText(a.model, b.model));
}
