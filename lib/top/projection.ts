// "At this rate the 5 h window is full at 15:40": the window's used share carried forward at the
// active block's burn rate (lib/report burnRate). The window's usage is taken to grow as the
// block's does: by burn.tokensPerMinute over the block's tokens so far, per minute.
import type { Block } from '../report';

export type Projection =
  /** At or over 100 % already. */
  | { kind: 'full' }
  /** Reaches 100 % at `at`, before the window resets. */
  | { kind: 'fills'; at: number }
  /** Does not fill: `pct` when it resets (or the block ends) at `at`. */
  | { kind: 'reaches'; pct: number; at: number };

export function windowProjection(pct: number | null, resetsAt: number | null, block: Block | null, now: number): Projection | null {
  if (pct === null) return null;
  if (pct >= 100) return { kind: 'full' };
  if (!block?.burn || block.usage.totalTokens <= 0 || pct <= 0) return null;
  const growthPerMs = block.burn.tokensPerMinute / block.usage.totalTokens / 60_000;
  const horizon = resetsAt !== null && resetsAt > now ? resetsAt : block.end;
  const at = now + (100 / pct - 1) / growthPerMs;
  if (at < horizon) return { kind: 'fills', at };
  return { kind: 'reaches', pct: pct * (1 + growthPerMs * (horizon - now)), at: horizon };
}
