// What the complete lines of one stretch of a Claude Code transcript hold, as plain data: the
// usage records (copies of one response folded), limit hits, API errors, cost states and the
// skipped lines. The same collector runs inline and on the read worker (read-worker.ts), so the
// line rule has one home whichever thread reads; the ledger side is `applyChunk`.
import type { Ledger } from './ledger';
import { type LineContext, parseLine } from './parse';
import type { ApiError, CostState, LimitHit, SkipReason, UsageRecord } from './records';
import { supersedes } from './records';

/** The records of the lines read since the last `take()`; structured-clonable (posted by the worker). */
export type ClaudeChunk = {
  usage: UsageRecord[];
  limits: LimitHit[];
  apiErrors: ApiError[];
  costs: CostState[];
  /** One entry per skipped line, in line order. */
  skips: SkipReason[];
  /** File offsets just past each over-long line (not in `lines`: the scanner's own handler counts them). */
  overlongAt: number[];
  /** Complete lines parsed. */
  lines: number;
  /** Usage lines read, copies included (ScanStats.usageRows). */
  usageLines: number;
};

export type ClaudeCollector = {
  line(bytes: Buffer): void;
  overlong(lineEnd: number): void;
  take(): ClaudeChunk;
};

export function claudeCollector(ctx: LineContext): ClaudeCollector {
  // Copies of one response sit next to each other (one per content block): fold them in memory
  // and write one row per key per chunk.
  let pending = new Map<string, UsageRecord>();
  let chunk = empty();
  return {
    line(bytes) {
      chunk.lines++;
      const rec = parseLine(bytes, ctx);
      if (rec.kind === 'usage') {
        const kept = pending.get(rec.usage.dedupKey);
        if (!kept || supersedes(rec.usage, kept)) pending.set(rec.usage.dedupKey, rec.usage);
        chunk.usageLines++;
      } else if (rec.kind === 'limit') chunk.limits.push(rec.hit);
      else if (rec.kind === 'api_error') chunk.apiErrors.push(rec.error);
      else if (rec.kind === 'cost') chunk.costs.push(rec.cost);
      else if (rec.kind === 'skipped') chunk.skips.push(rec.reason);
    },
    overlong(lineEnd) {
      chunk.overlongAt.push(lineEnd);
    },
    take() {
      const out = chunk;
      out.usage = [...pending.values()];
      pending = new Map();
      chunk = empty();
      return out;
    },
  };
}

const empty = (): ClaudeChunk => ({ usage: [], limits: [], apiErrors: [], costs: [], skips: [], overlongAt: [], lines: 0, usageLines: 0 });

/** Writes a chunk's records into the open transaction; its skipped lines go to `skip` (the file's cursor and the pass's stats). */
export function applyChunk(led: Ledger, profile: string, c: ClaudeChunk, skip: (reason: SkipReason) => void): void {
  for (const u of c.usage) led.usage(profile, u);
  for (const h of c.limits) led.limit(profile, h);
  for (const e of c.apiErrors) led.apiError(profile, e);
  for (const s of c.costs) led.cost(profile, s);
  for (const r of c.skips) skip(r);
}
