// What the scanner keeps from a transcript line. Token buckets are disjoint: the five of them
// sum to everything the API response billed.

export type UsageRecord = {
  /** message.id + ':' + requestId, or message.id alone when requestId is absent. */
  dedupKey: string;
  sessionId: string;
  project: string;
  model: string | null;
  /** ms since epoch, UTC */
  ts: number;
  input: number;
  output: number;
  cacheRead: number;
  cacheCreate5m: number;
  cacheCreate1h: number;
  speed: string | null;
  isSidechain: boolean;
  messageId: string;
  requestId: string | null;
};

/** An isApiErrorMessage "usage limit reached|<epoch>" line: the profile is out until resetAt. */
export type LimitHit = { sessionId: string; ts: number; resetAt: number };

/** Claude Code's own running cost for a session (type: cost-state). */
export type CostState = { sessionId: string; ts: number; totalCostUsd: number };

export type ParsedLine =
  | { kind: 'usage'; usage: UsageRecord }
  | { kind: 'limit'; hit: LimitHit }
  | { kind: 'cost'; cost: CostState }
  /** Nothing ccx needs (a user prompt, a tool result, a summary...). */
  | { kind: 'ignored' }
  /** Should have carried data but could not be read: counted in "N lines skipped". */
  | { kind: 'skipped'; reason: string };

export function tokenTotal(u: Pick<UsageRecord, 'input' | 'output' | 'cacheRead' | 'cacheCreate5m' | 'cacheCreate1h'>): number {
  return u.input + u.output + u.cacheRead + u.cacheCreate5m + u.cacheCreate1h;
}

/**
 * Which of two copies of one API response the ledger keeps: a main-chain copy over a sidechain
 * replay, else the larger token total (earlier streamed copies carry partial output counts);
 * on a tie the one already kept stays. The SQL upsert in ledger.ts applies the same rule.
 */
export function supersedes(candidate: UsageRecord, kept: UsageRecord): boolean {
  if (candidate.isSidechain !== kept.isSidechain) return !candidate.isSidechain;
  return tokenTotal(candidate) > tokenTotal(kept);
}
