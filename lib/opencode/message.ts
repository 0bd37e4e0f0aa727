// One row of OpenCode's `message` table → a usage record, an ignored row, or a skip with its reason.
// Buckets as ccusage 20 maps them (input, output, cache read, cache write), with reasoning added to
// output: OpenCode stores output without reasoning (its `tokens.total` holds both; checked against
// opencode-ai 1.18.33 driven against a stub provider), and the provider bills reasoning as output.
// Reasoning is also kept as its own figure (reasoning_tokens, already in output: as Codex's).
import type { Tokens } from '../contracts/usage';
import { isSaneTime } from '../time';

/** The reasons a row is counted as skipped: the keys lib/transcripts uses for transcript lines. */
export type OpenCodeSkip = 'malformed_json' | 'bad_token_count' | 'missing_field' | 'time_out_of_range';

export type OpenCodeUsage = Tokens & {
  messageId: string;
  sessionId: string;
  project: string | null;
  model: string;
  /** The message's `time.created` (ms), as ccusage dates it. */
  ts: number;
  /** Of output_tokens, the reasoning: a figure of its own, not billed again. */
  reasoning_tokens: number;
  /** The session is a sub-agent's (a `task` tool call's child session, `parent_id` set). */
  sidechain: boolean;
};

/** What the scan selects: the message row and, from its session, the directory and parent. */
export type MessageRow = { id: string; session_id: string; data: string; directory: string | null; parent_id: string | null };

export type ParsedMessage = { kind: 'usage'; usage: OpenCodeUsage } | { kind: 'ignored' } | { kind: 'skipped'; reason: OpenCodeSkip };

const IGNORED = { kind: 'ignored' } as const;
const skip = (reason: OpenCodeSkip): ParsedMessage => ({ kind: 'skipped', reason });

/** A token count: absent is 0; anything but a non-negative integer is a bad row. */
function count(v: unknown): number | null {
  if (v === undefined) return 0;
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : null;
}

const obj = (v: unknown): Record<string, unknown> | null =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;

export function parseMessage(row: MessageRow, now: number): ParsedMessage {
  let data: unknown;
  try {
    data = JSON.parse(row.data);
  } catch {
    return skip('malformed_json');
  }
  const m = obj(data);
  if (!m) return skip('malformed_json');
  if (m.role !== 'assistant') return IGNORED;
  const tokens = obj(m.tokens);
  if (!tokens) return skip('missing_field');
  const cache = tokens.cache === undefined ? {} : obj(tokens.cache);
  if (!cache) return skip('bad_token_count');
  const input = count(tokens.input);
  const output = count(tokens.output);
  const reasoning = count(tokens.reasoning);
  const read = count(cache.read);
  const write = count(cache.write);
  if (input === null || output === null || reasoning === null || read === null || write === null) return skip('bad_token_count');
  // A message being streamed, or one that failed before the provider answered, holds zeros.
  if (input + output + reasoning + read + write === 0) return IGNORED;
  const model = typeof m.modelID === 'string' && m.modelID !== '' ? m.modelID : null;
  const ts = obj(m.time)?.created;
  if (!model || typeof ts !== 'number') return skip('missing_field');
  if (!isSaneTime(ts, now)) return skip('time_out_of_range');
  const cwd = obj(m.path)?.cwd;
  return {
    kind: 'usage',
    usage: {
      messageId: row.id,
      sessionId: row.session_id,
      project: typeof cwd === 'string' && cwd !== '' ? cwd : row.directory,
      model,
      ts,
      sidechain: row.parent_id !== null,
      input_tokens: input,
      output_tokens: output + reasoning,
      reasoning_tokens: reasoning,
      cache_read_tokens: read,
      cache_creation_5m_tokens: write,
      cache_creation_1h_tokens: 0,
    },
  };
}
