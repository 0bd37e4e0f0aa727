// What the scanner keeps from a transcript line. The token counts are lib/contracts/usage's.

import { type Tokens, totalTokens } from '../contracts/usage';

export type UsageRecord = Tokens & {
  /** message.id + ':' + requestId, or message.id alone when requestId is absent. */
  dedupKey: string;
  sessionId: string;
  project: string;
  model: string | null;
  /** ms since epoch, UTC */
  ts: number;
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

/**
 * Which of two copies of one API response the ledger keeps: a main-chain copy over a sidechain
 * replay, else the larger token total (earlier streamed copies carry partial output counts);
 * on a tie the one already kept stays. The SQL upsert in ledger.ts applies the same rule.
 */
export function supersedes(candidate: UsageRecord, kept: UsageRecord): boolean {
  if (candidate.isSidechain !== kept.isSidechain) return !candidate.isSidechain;
  return totalTokens(candidate) > totalTokens(kept);
}
