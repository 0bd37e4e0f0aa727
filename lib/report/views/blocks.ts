// blocks: every profile's 5-hour billing blocks in range, the active one with its burn rate.

import { type Block, cutBlocks } from '../blocks';
import type { ReportCtx } from '../context';
import { type UsageEntry, usageEntries } from '../query';

export type BlocksView = { blocks: Block[] };

export function blocksView(ctx: ReportCtx): BlocksView {
  const byProfile = new Map<string, UsageEntry[]>();
  for (const e of usageEntries(ctx.db, ctx.prices, ctx.filters)) {
    const list = byProfile.get(e.profile);
    if (list) list.push(e);
    else byProfile.set(e.profile, [e]);
  }
  const blocks = [...byProfile].flatMap(([profile, entries]) => cutBlocks(profile, entries, ctx.now));
  const dir = ctx.args.order === 'desc' ? -1 : 1;
  blocks.sort((a, b) => dir * (a.start - b.start) || a.profile.localeCompare(b.profile));
  return { blocks };
}
