// What the status line can show, one field each, from Claude Code's status JSON (stdin) and
// quota.json: Claude Code's own figures first, ccx's where it has none (marked `~`).
import { type Band, bandOf, isAgentFigure, type ProfileQuota, type QuotaWindow } from '../contracts/quota';
import { pct, printable, resetClock, usdPlain } from '../format';
import { epochMs } from '../time';

export type Limit = { used_percentage?: unknown; resets_at?: unknown };
export type Limits = { five_hour?: Limit; seven_day?: Limit };

/** The placeholders of `--format`, each named as its field is labelled on the line. */
export const FIELD_NAMES = ['profile', 'model', 'session', 'today', 'ctx', '5h', 'wk'] as const;
export type FieldName = (typeof FIELD_NAMES)[number];
/** A field's text, and the shorter one a narrow line falls back to (its reset time left out). */
export type Field = { full: string; short?: string };
export type Fields = Partial<Record<FieldName, Field>>;

/** What one window shows: Claude Code's percentage, else ccx's (an estimate), else a turn count. */
type Shown = { pct: number | null; resetsAt: number | null; estimated: boolean; turns: number | null };

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});

function shownWindow(limit: Limit | undefined, w: QuotaWindow | undefined): Shown {
  const fromStdin = num(limit?.used_percentage);
  const resets = num(limit?.resets_at);
  const resetsAt = resets !== null ? epochMs(resets) : (w?.resets_at ?? null);
  if (fromStdin !== null) return { pct: fromStdin, resetsAt, estimated: false, turns: null };
  // quota.json's figure is the agent's own only while it is its recorded rate_limits.
  return { pct: w?.pct ?? null, resetsAt, estimated: !isAgentFigure(w?.source), turns: w?.used ?? null };
}

/** "5h 43% ↻14:05" (short: "5h 43%"); "5h ~43%" for ccx's figure; "5h 12 turns" with no cap. */
function windowField(label: string, s: Shown, now: number, tz: string): Field | undefined {
  if (s.pct === null) return s.turns !== null ? { full: `${label} ${s.turns} turns` } : undefined;
  const figure = `${label} ${s.estimated ? '~' : ''}${pct(s.pct)}`;
  if (s.resetsAt === null || s.resetsAt <= now) return { full: figure };
  return { full: `${figure} ↻${resetClock(s.resetsAt, now, tz)}`, short: figure };
}

/**
 * The band of the figures the line shows: Claude Code's rate_limits just received replace the
 * snapshot's 5 h and weekly windows (quota.json lags them by a consolidator pass); the snapshot's
 * other windows and its unavailability still count.
 */
function lineBand(q: ProfileQuota | undefined, five: Shown, week: Shown): Band {
  if (q?.unavailable_until != null) return 'hard';
  const others = Object.entries(q?.windows ?? {}).flatMap(([name, w]) => (name === 'five_hour' || name === 'weekly' ? [] : [w.pct]));
  const pcts = [five.pct, week.pct, ...others].filter((p): p is number => p !== null);
  return bandOf(pcts.length ? Math.max(...pcts) : null);
}

export type LineInput = { profile: string; quota: ProfileQuota | undefined; status: Record<string, unknown>; now: number; tz: string };

/** Every field there is something to show for, and the band that colours the line. */
export function lineFields({ profile, quota: q, status, now, tz }: LineInput): { fields: Fields; band: Band } {
  const limits = obj(status.rate_limits) as Limits;
  const five = shownWindow(limits.five_hour, q?.windows.five_hour);
  const week = shownWindow(limits.seven_day, q?.windows.weekly);
  const model = obj(status.model);
  const modelName = [model.display_name, model.id].find((v): v is string => typeof v === 'string' && v !== '');
  const session = num(obj(status.cost).total_cost_usd);
  const ctx = num(obj(status.context_window).used_percentage);
  const fields: Fields = {
    profile: { full: printable(profile) },
    '5h': windowField('5h', five, now, tz),
    wk: windowField('wk', week, now, tz),
    today: q ? { full: `${usdPlain(q.today.usd)} today` } : undefined,
    ctx: ctx !== null ? { full: `ctx ${pct(ctx)}` } : undefined,
    model: modelName ? { full: printable(modelName) } : undefined,
    session: session !== null ? { full: `${usdPlain(session)} session` } : undefined,
  };
  return { fields, band: lineBand(q, five, week) };
}
