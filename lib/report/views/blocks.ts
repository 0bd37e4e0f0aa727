// blocks: every profile's billing blocks in range (5 h, or --session-length), the active one with
// its burn rate; --active and --recent narrow the list, --token-limit sets what a block is
// measured against.

import { byText } from '../../order';
import { type Block, cutBlocks } from '../blocks';
import type { ReportCtx } from '../context';
import { type UsageEntry, usageEntries } from '../query';
import { sumUsage, type Usage } from '../usage';

export type BlocksView = { blocks: Block[]; totals: Usage; requests: number; tokenLimit: number | null };

/** ccusage's --recent: blocks that started in the last 3 days, and the active one. */
const RECENT_MS = 3 * 86_400_000;

export function blocksView(ctx: ReportCtx): BlocksView {
  const byProfile = new Map<string, UsageEntry[]>();
  for (const e of usageEntries(ctx.db, ctx.prices, ctx.filters)) {
    const list = byProfile.get(e.profile);
    if (list) list.push(e);
    else byProfile.set(e.profile, [e]);
  }
  const blockMs = ctx.args.sessionHours * 3_600_000;
  const all = [...byProfile].flatMap(([profile, entries]) => cutBlocks(profile, entries, ctx.now, blockMs));
  const blocks = all.filter((b) => (!ctx.args.active || b.active) && (!ctx.args.recent || b.active || b.start >= ctx.now - RECENT_MS));
  const dir = ctx.args.order === 'desc' ? -1 : 1;
  blocks.sort((a, b) => dir * (a.start - b.start) || byText(a.profile, b.profile));
  return {
    blocks,
    totals: sumUsage(blocks.flatMap((b) => b.entries)),
    requests: blocks.reduce((n, b) => n + b.requests, 0),
    tokenLimit: tokenLimit(ctx.args.tokenLimit, all),
  };
}

/** "max": the largest finished block (ccusage's meaning); null when there is none to measure by. */
function tokenLimit(arg: number | 'max' | null, blocks: Block[]): number | null {
  if (arg !== 'max') return arg;
  const past = blocks.filter((b) => !b.active).map((b) => b.usage.totalTokens);
  return past.length ? Math.max(...past) : null;
}
