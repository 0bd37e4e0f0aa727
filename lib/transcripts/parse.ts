// Turns one transcript line into a record. The format is Claude Code's internal one and changes
// often: anything unexpected is 'ignored' or 'skipped', never thrown.
//
// Speed: most bytes of a transcript are prompts, tool results and file snapshots that carry no
// usage. A byte search for the few markers that matter runs far faster than JSON.parse, so only
// lines holding a marker are decoded and parsed, and usage lines without their content (slim.ts).

import { COPIED_MARK } from '../contracts/transcript-copy';
import { epochMs, isSaneTime } from '../time';
import { marker, markerAt } from './markers';
import type { ApiError, CostState, LimitHit, ParsedLine, SkipReason, UsageRecord } from './records';
import { withoutContent } from './slim';

const COPIED = Buffer.from(COPIED_MARK);
/** A line ccx run copied from another profile's transcript: counted there (contracts/transcript-copy.ts). */
const isCopied = (bytes: Buffer): boolean =>
  bytes.length > COPIED.length && bytes.compare(COPIED, 0, COPIED.length, 0, COPIED.length) === 0;
const MARK_USAGE = marker('"usa', 'ge"');
const MARK_COST = marker('"cost', '-state"');
/** cost-state lines are a few hundred bytes; longer lines are not searched for the marker. */
const COST_LINE_MAX = 64 * 1024;
const LIMIT_RE = /usage limit reached\|(\d{9,13})/;
/** Most lines: one shared result rather than an object each. */
const IGNORED: ParsedLine = Object.freeze({ kind: 'ignored' });
/** How much of an API error's text is kept: its status and the start of the API's message. */
const API_ERROR_MAX = 200;
const skip = (reason: SkipReason): ParsedLine => ({ kind: 'skipped', reason });
const OUT_OF_RANGE: ParsedLine = Object.freeze(skip('time_out_of_range'));

/** Line types Claude Code is known to write; a parsed line of another type is counted as skipped. */
const KNOWN_TYPES: ReadonlySet<string> = new Set([
  'assistant',
  'user',
  'system',
  'summary',
  'progress',
  'attachment',
  'cost-state',
  'file-history-snapshot',
  'queue-operation',
  'custom-title',
  'ai-title',
  'agent-setting',
  'agent-name',
  'last-prompt',
  'tag',
  'pr-link',
  'mode',
  'x-error',
]);

/** Where the line came from: fallbacks for fields a line may lack. */
export type LineContext = {
  /** Session id from the file path (the <session>.jsonl stem, or the parent dir of subagents/). */
  sessionId: string;
  /** The encoded-cwd directory name under projects/. */
  projectDir: string;
  /** The pass's clock: the time of lines without a timestamp (cost-state), the bound of sane ones. */
  now: number;
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

export function parseLine(bytes: Buffer, ctx: LineContext): ParsedLine {
  if (isCopied(bytes)) return IGNORED;
  const hasUsage = markerAt(bytes, MARK_USAGE) !== -1;
  if (!hasUsage && (bytes.length > COST_LINE_MAX || markerAt(bytes, MARK_COST) === -1)) return IGNORED;
  // Usage lines never need their content; API error lines carry the reset time in it and are
  // parsed again whole.
  let doc: unknown;
  try {
    doc = JSON.parse(hasUsage ? withoutContent(bytes) : bytes.toString('utf8'));
    if (hasUsage && isObj(doc) && doc.isApiErrorMessage === true) doc = JSON.parse(bytes.toString('utf8'));
  } catch {
    return skip('malformed_json');
  }
  if (!isObj(doc)) return skip('malformed_json');
  const type = doc.type;
  if (typeof type !== 'string' || !KNOWN_TYPES.has(type)) return skip('unknown_type');
  if (type === 'cost-state') return costState(doc, ctx);
  if (type !== 'assistant') return IGNORED;
  if (doc.isApiErrorMessage === true) return apiErrorLine(doc, ctx);
  return usage(doc, ctx);
}

function timestamp(doc: Obj): number | null {
  const t = doc.timestamp;
  if (typeof t !== 'string') return null;
  const ms = parseTime(t);
  return Number.isFinite(ms) ? ms : null;
}

/** `n` ASCII digits of `s` from `at` as a number, or -1. */
function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = s.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * Date.parse, with a short cut for the one form Claude Code writes (2025-10-01T10:00:02.000Z):
 * Date.parse's general parser was ~5 % of a cold scan. Out-of-range fields (a month 13, an hour
 * 24, a year before 100, which Date.UTC reads as 19xx) are left to Date.parse; days up to 31 roll
 * over into the next month in both.
 */
export function parseTime(t: string): number {
  if (
    t.length === 24 &&
    t[4] === '-' &&
    t[7] === '-' &&
    t[10] === 'T' &&
    t[13] === ':' &&
    t[16] === ':' &&
    t[19] === '.' &&
    t[23] === 'Z'
  ) {
    const y = digits(t, 0, 4);
    const mo = digits(t, 5, 2);
    const d = digits(t, 8, 2);
    const h = digits(t, 11, 2);
    const mi = digits(t, 14, 2);
    const sec = digits(t, 17, 2);
    const ms = digits(t, 20, 3);
    if (
      y >= 100 &&
      mo >= 1 &&
      mo <= 12 &&
      d >= 1 &&
      d <= 31 &&
      h >= 0 &&
      h <= 23 &&
      mi >= 0 &&
      mi <= 59 &&
      sec >= 0 &&
      sec <= 59 &&
      ms >= 0
    ) {
      return Date.UTC(y, mo - 1, d, h, mi, sec, ms);
    }
  }
  return Date.parse(t);
}

/** A token count: absent is 0, anything but a finite non-negative number makes the line unusable. */
function count(u: Obj, key: string): number | null {
  const v = u[key];
  if (v === undefined) return 0;
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.trunc(v) : null;
}

function usage(doc: Obj, ctx: LineContext): ParsedLine {
  const msg = doc.message;
  if (!isObj(msg) || !isObj(msg.usage)) return skip('missing_field');
  // Claude Code's own placeholder replies: no API call was made.
  if (msg.model === '<synthetic>') return IGNORED;
  const u = msg.usage;
  const messageId = str(msg.id);
  if (!messageId) return skip('missing_field');
  const ts = timestamp(doc);
  if (ts === null) return skip('missing_field');
  if (!isSaneTime(ts, ctx.now)) return OUT_OF_RANGE;
  if (typeof u.input_tokens !== 'number' || typeof u.output_tokens !== 'number') {
    return skip('bad_token_count');
  }
  const input = count(u, 'input_tokens');
  const output = count(u, 'output_tokens');
  const cacheRead = count(u, 'cache_read_input_tokens');
  const cacheCreate = count(u, 'cache_creation_input_tokens');
  if (input === null || output === null || cacheRead === null || cacheCreate === null) {
    return skip('bad_token_count');
  }
  // The 5m/1h split exists since mid-2025; before it, every cache write was a 5m one.
  let cacheCreate5m = cacheCreate;
  let cacheCreate1h = 0;
  if (isObj(u.cache_creation)) {
    const five = count(u.cache_creation, 'ephemeral_5m_input_tokens');
    const hour = count(u.cache_creation, 'ephemeral_1h_input_tokens');
    if (five === null || hour === null) return skip('bad_token_count');
    if (five + hour > 0) {
      cacheCreate5m = five;
      cacheCreate1h = hour;
    }
  }
  const requestId = str(doc.requestId);
  const record: UsageRecord = {
    dedupKey: requestId ? `${messageId}:${requestId}` : messageId,
    sessionId: str(doc.sessionId) ?? ctx.sessionId,
    project: str(doc.cwd) ?? ctx.projectDir,
    model: str(msg.model),
    ts,
    input_tokens: input,
    output_tokens: output,
    cache_read_tokens: cacheRead,
    cache_creation_5m_tokens: cacheCreate5m,
    cache_creation_1h_tokens: cacheCreate1h,
    speed: str(u.speed),
    isSidechain: doc.isSidechain === true,
    messageId,
    requestId,
  };
  return { kind: 'usage', usage: record };
}

/** A usage-limit hit, or another API error that ended the turn. */
function apiErrorLine(doc: Obj, ctx: LineContext): ParsedLine {
  const msg = isObj(doc.message) ? doc.message : {};
  const content = Array.isArray(msg.content) ? msg.content : [];
  const texts = content.map((block) => (isObj(block) && typeof block.text === 'string' ? block.text : '')).filter(Boolean);
  const ts = timestamp(doc);
  if (ts === null) return skip('missing_field');
  if (!isSaneTime(ts, ctx.now)) return OUT_OF_RANGE;
  const sessionId = str(doc.sessionId) ?? ctx.sessionId;
  for (const text of texts) {
    const m = LIMIT_RE.exec(text);
    if (!m) continue;
    // Claude Code writes seconds; accept milliseconds too.
    const hit: LimitHit = { sessionId, ts, resetAt: epochMs(Number(m[1])) };
    return { kind: 'limit', hit };
  }
  const error: ApiError = { sessionId, ts, error: (texts[0] ?? 'API error').slice(0, API_ERROR_MAX) };
  return { kind: 'api_error', error };
}

function costState(doc: Obj, ctx: LineContext): ParsedLine {
  let total: number | null = typeof doc.totalCostUSD === 'number' && Number.isFinite(doc.totalCostUSD) ? doc.totalCostUSD : null;
  if (total === null && isObj(doc.modelUsage)) {
    // Some cost-state lines carry only the per-model breakdown.
    for (const m of Object.values(doc.modelUsage)) {
      if (isObj(m) && typeof m.costUSD === 'number' && Number.isFinite(m.costUSD)) total = (total ?? 0) + m.costUSD;
    }
  }
  if (total === null) return IGNORED;
  const ts = timestamp(doc);
  if (ts !== null && !isSaneTime(ts, ctx.now)) return OUT_OF_RANGE;
  const cost: CostState = { sessionId: str(doc.sessionId) ?? ctx.sessionId, ts: ts ?? ctx.now, totalCostUsd: total };
  return { kind: 'cost', cost };
}
