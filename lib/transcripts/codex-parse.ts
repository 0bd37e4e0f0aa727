// Turns one Codex rollout line into usage and rate-limit figures. A rollout line is
// `{"timestamp":…,"ordinal":…,"type":…,"payload":…}` (codex-rs/protocol's RolloutLine); these
// matter: session_meta (the thread: id, cwd, source), turn_context (the model of the turns that
// follow), token_usage_record (Codex 0.169+: the response's id and thread) and event_msg /
// token_count (one per model response: info.last_token_usage, the thread's running
// info.total_token_usage, and the account's rate_limits). What earlier lines said is carried in
// CodexState, stored with the file's cursor so a pass can start mid-file.
//
// One row per response, whatever the copies:
// - Codex writes a token_count again for the same response when only the rate limits changed:
//   same running total as the last one, so it adds no usage (its rate limits still count).
// - A forked or sub-agent rollout starts with its own session_meta, then the parent's history
//   (the parent's session_meta first), re-stamped with the second the child was made, then its own
//   lines. A response is keyed by the thread it belongs to (token_usage_record.thread_id, else the
//   session_meta it follows) and its response id (else that thread's running total), so a replayed
//   copy lands on the parent's key. Without a record, the replay is told apart as ccusage 20 tells
//   it: lines in the same second as the foreign session_meta.

import type { RateLimitFigure, RealWindow } from '../quota';
import { epochMs, isSaneTime } from '../time';
import { parseTime } from './parse';
import type { CodexUsage, SkipReason } from './records';

/** A thread as its session_meta names it. */
type Thread = { id: string; project: string };

export type CodexState = {
  /** The file's own thread: its first session_meta (null until read). */
  own: Thread | null;
  /** Inside replayed history: the thread the copied lines belong to and the second they were written in. */
  replay: (Thread & { second: string }) | null;
  /** A sub-agent or reviewer rollout (session_meta.source.subagent): its rows are sidechain rows. */
  sidechain: boolean;
  /** The model of the latest turn_context. */
  model: string | null;
  /** The own thread's last running total (total_tokens), to notice a total that starts over. */
  lastTotal: number | null;
  /** The running total (figures) of the last token_count that counted: a repeat of it is the same response. */
  lastFigures: string | null;
  /** The token_usage_record just read, for the token_count of the same response that follows it. */
  record: { thread: string; responseId: string; figures: string } | null;
  /** Bumped when the running total starts over (a resumed thread that did not restore it). */
  generation: number;
};

export const newCodexState = (): CodexState => ({
  own: null,
  replay: null,
  sidechain: false,
  model: null,
  lastTotal: null,
  generation: 0,
  lastFigures: null,
  record: null,
});

export type CodexSink = {
  usage(u: CodexUsage): void;
  limit(f: RateLimitFigure): void;
};

export type CodexContext = {
  /** The thread id from the file name (rollout-<ts>-<id>.jsonl), for a file whose session_meta is missing. */
  fileThread: string;
  /** The pass's clock: the bound of sane timestamps. */
  now: number;
};

/** Codex writes compact JSON with `type` after the timestamp (and ordinal): the head is enough to sort lines. */
const HEAD_BYTES = 200;
const TIMESTAMP = Buffer.from('"timestamp":"');
const TYPE_META = Buffer.from('"type":"session_meta"');
const TYPE_CONTEXT = Buffer.from('"type":"turn_context"');
const TYPE_TOKEN_COUNT = Buffer.from('"type":"token_count"');
const TYPE_RECORD = Buffer.from('"type":"token_usage_record"');
/** Codex's window lengths that are ccx's windows; other lengths are not ccx windows and are left out. */
const WINDOW_BY_MINUTES: Record<number, RealWindow> = { 300: 'five_hour', 10080: 'seven_day' };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim().length > 0 ? v.trim() : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Feeds the line's figures to `sink`; returns why the line was skipped, or null. */
export function parseCodexLine(bytes: Buffer, state: CodexState, ctx: CodexContext, sink: CodexSink): SkipReason | null {
  const head = bytes.subarray(0, HEAD_BYTES);
  const isMeta = head.indexOf(TYPE_META) !== -1;
  const isContext = !isMeta && head.indexOf(TYPE_CONTEXT) !== -1;
  const isCount = !isMeta && !isContext && head.indexOf(TYPE_TOKEN_COUNT) !== -1;
  const isRecord = !isMeta && !isContext && !isCount && head.indexOf(TYPE_RECORD) !== -1;
  if (!isMeta && !isContext && !isCount && !isRecord) {
    endReplay(state, bytes);
    return null;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch {
    return 'malformed_json';
  }
  if (!isObj(doc)) return 'malformed_json';
  if (!isObj(doc.payload)) return 'missing_field';
  const ts = typeof doc.timestamp === 'string' ? parseTime(doc.timestamp) : Number.NaN;
  const second = typeof doc.timestamp === 'string' ? doc.timestamp.slice(0, 19) : '';
  const payload = doc.payload;
  if (doc.type === 'session_meta') {
    sessionMeta(payload, second, state);
    return null;
  }
  if (state.replay && second !== state.replay.second) state.replay = null;
  if (doc.type === 'turn_context') {
    state.model = str(payload.model) ?? state.model;
    return null;
  }
  if (doc.type === 'token_usage_record') {
    tokenUsageRecord(payload, state);
    return null;
  }
  if (doc.type !== 'event_msg' || payload.type !== 'token_count') return null;
  if (!Number.isFinite(ts)) return 'missing_field';
  if (!isSaneTime(ts, ctx.now)) return 'time_out_of_range';
  const info = payload.info;
  if (info !== null && info !== undefined && !isObj(info)) return 'missing_field';
  const usage = info ? tokenUsage(payload, info, ts, state, ctx) : null;
  if (typeof usage === 'string') return usage;
  // Replayed figures are the parent's, re-stamped: as observations of the account they are stale.
  const replayed = usage ? usage.sessionId !== state.own?.id && state.own !== null : state.replay !== null;
  if (!replayed) for (const f of rateLimits(payload.rate_limits, ts)) sink.limit(f);
  if (usage) sink.usage(usage);
  return null;
}

/** The response's id and thread, for the token_count that follows; the file's own thread ends a replay. */
function tokenUsageRecord(payload: Obj, state: CodexState): void {
  const thread = str(payload.thread_id);
  const responseId = str(payload.response_id);
  const usage = rawUsage(payload.usage);
  state.record = thread && responseId && usage && usage !== 'bad' ? { thread, responseId, figures: figures(usage) } : null;
  if (thread && thread === state.own?.id) state.replay = null;
}

/** The first session_meta is the file's own thread; a later one with another id starts replayed history. */
function sessionMeta(payload: Obj, second: string, state: CodexState): void {
  const id = str(payload.id);
  if (!id) return;
  const thread: Thread = { id, project: str(payload.cwd) ?? '' };
  if (!state.own) {
    state.own = thread;
    state.sidechain = isObj(payload.source) && 'subagent' in payload.source;
  } else if (id !== state.own.id) state.replay = { ...thread, second };
}

/** Any other line: the replay is over once a line from a later second shows up. */
function endReplay(state: CodexState, bytes: Buffer): void {
  if (!state.replay) return;
  const at = bytes.subarray(0, HEAD_BYTES).indexOf(TIMESTAMP);
  if (at === -1) return;
  const from = at + TIMESTAMP.length;
  if (bytes.toString('latin1', from, from + 19) !== state.replay.second) state.replay = null;
}

type RawUsage = { input: number; cached: number; cacheWrite: number; output: number; reasoning: number; total: number };

/** Codex's TokenUsage; absent counts are 0, anything but a non-negative number spoils it. */
function rawUsage(v: unknown): RawUsage | 'bad' | null {
  if (!isObj(v)) return null;
  const out: number[] = [];
  for (const k of [
    'input_tokens',
    'cached_input_tokens',
    'cache_write_input_tokens',
    'output_tokens',
    'reasoning_output_tokens',
    'total_tokens',
  ]) {
    const x = v[k];
    if (x === undefined || x === null) out.push(0);
    else if (typeof x === 'number' && Number.isFinite(x) && x >= 0) out.push(Math.trunc(x));
    else return 'bad';
  }
  const [input, cached, cacheWrite, output, reasoning, total] = out as [number, number, number, number, number, number];
  return { input, cached, cacheWrite, output, reasoning, total: total || input + output };
}

function tokenUsage(payload: Obj, info: Obj, ts: number, state: CodexState, ctx: CodexContext): CodexUsage | SkipReason | null {
  const last = rawUsage(info.last_token_usage);
  const total = rawUsage(info.total_token_usage);
  if (last === 'bad' || total === 'bad') return 'bad_token_count';
  if (!last) return 'missing_field';
  const record = state.record && state.record.figures === figures(last) ? state.record : null;
  state.record = null;
  if (last.input + last.cached + last.cacheWrite + last.output + last.reasoning === 0) return null;
  // The same running total as the response just counted: Codex telling it again.
  const running = total ? figures(total) : null;
  if (running !== null && running === state.lastFigures) return null;
  state.lastFigures = running;
  const own = state.own ?? { id: ctx.fileThread, project: '' };
  const fromRecord = record && (record.thread === own.id ? own : { id: record.thread, project: state.replay?.project ?? own.project });
  const thread = fromRecord ?? state.replay ?? own;
  const isOwn = thread.id === own.id;
  if (isOwn && total) {
    if (state.lastTotal !== null && total.total < state.lastTotal) state.generation++;
    state.lastTotal = total.total;
  }
  const generation = !isOwn || state.generation === 0 ? '' : `~${state.generation}`;
  const key = record
    ? `${thread.id}/${record.responseId}`
    : total
      ? `${thread.id}${generation}:${figures(total)}`
      : `${thread.id}@${ts}:${figures(last)}`;
  const cached = Math.min(last.cached, last.input);
  const cacheWrite = Math.min(last.cacheWrite, last.input - cached);
  return {
    dedupKey: `codex:${key}`,
    sessionId: thread.id,
    project: thread.project,
    model: str(payload.model) ?? str(info.model) ?? state.model,
    ts,
    // ccusage 20's buckets: input_tokens holds the cached and the cache-written tokens.
    input_tokens: last.input - cached - cacheWrite,
    output_tokens: last.output,
    cache_read_tokens: cached,
    cache_creation_5m_tokens: cacheWrite,
    cache_creation_1h_tokens: 0,
    reasoning_tokens: last.reasoning,
    isSidechain: state.sidechain && isOwn,
  };
}

const figures = (u: RawUsage): string => `${u.input}/${u.cached}/${u.cacheWrite}/${u.output}/${u.reasoning}/${u.total}`;

/** token_count.rate_limits {primary, secondary: {used_percent, window_minutes, resets_at}} → ccx's windows. */
function rateLimits(v: unknown, ts: number): RateLimitFigure[] {
  if (!isObj(v)) return [];
  const out: RateLimitFigure[] = [];
  for (const slot of [v.primary, v.secondary]) {
    if (!isObj(slot)) continue;
    const usedPct = num(slot.used_percent);
    const window = WINDOW_BY_MINUTES[num(slot.window_minutes) ?? -1];
    if (usedPct === null || !window) continue;
    const at = num(slot.resets_at);
    // Codex before resets_at gave the seconds left (resets_in_seconds).
    const inSeconds = num(slot.resets_in_seconds);
    const resetsAt = at !== null ? epochMs(at) : inSeconds !== null ? ts + inSeconds * 1000 : null;
    out.push({ window, usedPct, resetsAt, observedAt: ts });
  }
  return out;
}
