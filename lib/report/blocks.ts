// 5-hour blocks as Anthropic bills them: a block starts at its first request's time floored to
// the hour and lasts 5 h; a request after the block's end, or after a 5 h gap, starts a new one.
// The length is a parameter for ccusage's --session-length.
import type { UsageEntry } from './query';
import { byModel, type ModelUsage, sumUsage, type Usage } from './usage';

export const BLOCK_MS = 5 * 3_600_000;
const HOUR_MS = 3_600_000;

export type Block = {
  profile: string;
  start: number;
  /** start + the block length (5 h) */
  end: number;
  firstTs: number;
  lastTs: number;
  requests: number;
  /** The block's requests: totals over shown blocks are summed from these (sumUsage). */
  entries: UsageEntry[];
  usage: Usage;
  models: ModelUsage[];
  active: boolean;
  /** Only for the active block. */
  burn: BurnRate | null;
};

export type BurnRate = {
  tokensPerMinute: number;
  costPerHour: number;
  projectedTokens: number;
  projectedCost: number;
  remainingMinutes: number;
};

/** Cuts one profile's entries (sorted by ts) into blocks. */
export function cutBlocks(profile: string, entries: UsageEntry[], now: number, blockMs = BLOCK_MS): Block[] {
  const groups: UsageEntry[][] = [];
  let start = 0;
  let current: UsageEntry[] | null = null;
  for (const e of entries) {
    const last = current?.[current.length - 1];
    if (!current || !last || e.ts - start >= blockMs || e.ts - last.ts >= blockMs) {
      start = Math.floor(e.ts / HOUR_MS) * HOUR_MS;
      groups.push((current = []));
    }
    current.push(e);
  }
  return groups.map((g) => toBlock(profile, g, now, blockMs));
}

function toBlock(profile: string, g: UsageEntry[], now: number, blockMs: number): Block {
  const firstTs = g[0]!.ts;
  const lastTs = g[g.length - 1]!.ts;
  const start = Math.floor(firstTs / HOUR_MS) * HOUR_MS;
  const end = start + blockMs;
  const usage = sumUsage(g);
  const active = now >= start && now < end && now - lastTs < blockMs;
  return {
    profile,
    start,
    end,
    firstTs,
    lastTs,
    requests: g.length,
    entries: g,
    usage,
    models: byModel(g),
    active,
    burn: active ? burnRate(usage, firstTs, lastTs, end, now) : null,
  };
}

/** Rates over the block's elapsed time so far (at least one minute), projected to its end. */
export function burnRate(usage: Usage, firstTs: number, lastTs: number, end: number, now: number): BurnRate {
  const minutes = Math.max(1, (Math.max(lastTs, now) - firstTs) / 60_000);
  const remainingMinutes = Math.max(0, (end - now) / 60_000);
  const tokensPerMinute = usage.totalTokens / minutes;
  const costPerMinute = usage.totalCost / minutes;
  return {
    tokensPerMinute,
    costPerHour: costPerMinute * 60,
    projectedTokens: Math.round(usage.totalTokens + tokensPerMinute * remainingMinutes),
    projectedCost: usage.totalCost + costPerMinute * remainingMinutes,
    remainingMinutes,
  };
}
