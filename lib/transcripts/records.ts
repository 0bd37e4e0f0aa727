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

/** One Codex model response (a token_count line of a rollout, lib/transcripts/codex-parse.ts). */
export type CodexUsage = Tokens & {
  /** `codex:` + the thread and its running total (or, without one, the line's time and figures). */
  dedupKey: string;
  sessionId: string;
  project: string;
  model: string | null;
  /** ms since epoch, UTC */
  ts: number;
  /** Reasoning tokens, already counted in output_tokens: a figure of their own, not billed again. */
  reasoning_tokens: number;
  /** From a sub-agent's or the reviewer's rollout. */
  isSidechain: boolean;
};

/** An isApiErrorMessage "usage limit reached|<epoch>" line: the profile is out until resetAt. */
export type LimitHit = { sessionId: string; ts: number; resetAt: number };

/**
 * An isApiErrorMessage line that is not a usage-limit hit ('API Error: 400 ...'): the turn ended
 * in an error, whether or not its StopFailure hook ran.
 */
export type ApiError = { sessionId: string; ts: number; error: string };

/** Why a line was skipped: the keys of scan_cursors.skipped_by_reason and of the report's figures. */
export type SkipReason =
  | 'malformed_json'
  | 'over_10_mib'
  /** nulls, negatives or strings where token counts belong */
  | 'bad_token_count'
  | 'unknown_type'
  /** no message.usage, message.id or timestamp */
  | 'missing_field'
  /** a timestamp before 2023 or over a day ahead of now (lib/time's isSaneTime) */
  | 'time_out_of_range';

/** Claude Code's own running cost for a session (type: cost-state). */
export type CostState = { sessionId: string; ts: number; totalCostUsd: number };

export type ParsedLine =
  | { kind: 'usage'; usage: UsageRecord }
  | { kind: 'limit'; hit: LimitHit }
  | { kind: 'api_error'; error: ApiError }
  | { kind: 'cost'; cost: CostState }
  /** Nothing ccx needs (a user prompt, a tool result, a summary...). */
  | { kind: 'ignored' }
  /** Should have carried data but could not be read: counted in "N lines skipped". */
  | { kind: 'skipped'; reason: SkipReason };

/**
 * Which of two copies of one API response the ledger keeps: a main-chain copy over a sidechain
 * replay, else the larger token total (earlier streamed copies carry partial output counts);
 * on a tie the one already kept stays. The SQL upsert in ledger.ts applies the same rule.
 */
export function supersedes(candidate: UsageRecord, kept: UsageRecord): boolean {
  if (candidate.isSidechain !== kept.isSidechain) return !candidate.isSidechain;
  return totalTokens(candidate) > totalTokens(kept);
}
