// daily / weekly / monthly: usage per (period, profile), periods being local days, weeks starting
// on --start-of-week, or calendar months, all in the report's zone.
import { localDate, startOfWeek } from '../../time';
import type { ReportCtx } from '../context';
import { dayFacts, type Fact } from '../query';
import { byModel, type ModelUsage, sumUsage, type Usage, unpricedTokens } from '../usage';

export type PeriodKind = 'daily' | 'weekly' | 'monthly';
export type PeriodRow = { period: string; profile: string; usage: Usage; models: ModelUsage[] };
export type PeriodView = {
  kind: PeriodKind;
  rows: PeriodRow[];
  totals: Usage;
  unpriced: { model: string; tokens: number }[];
};

/** The period key of a bucket start: YYYY-MM-DD (day or week start) or YYYY-MM. */
export function periodKey(kind: PeriodKind, ts: number, tz: string, weekStart: number): string {
  if (kind === 'weekly') return localDate(startOfWeek(ts, weekStart, tz), tz);
  const day = localDate(ts, tz);
  return kind === 'monthly' ? day.slice(0, 7) : day;
}

/** Groups facts by a key; bucket → key is cached since many facts share a bucket. */
export function groupFacts(facts: Fact[], keyOf: (f: Fact) => string): Map<string, Fact[]> {
  const out = new Map<string, Fact[]>();
  for (const f of facts) {
    const k = keyOf(f);
    const list = out.get(k);
    if (list) list.push(f);
    else out.set(k, [f]);
  }
  return out;
}

export function periodView(ctx: ReportCtx, kind: PeriodKind): PeriodView {
  const facts = dayFacts(ctx.db, ctx.prices, ctx.filters, ctx.tz);
  const keys = new Map<number, string>();
  const keyOf = (f: Fact) => {
    let k = keys.get(f.bucket);
    if (k === undefined) keys.set(f.bucket, (k = periodKey(kind, f.bucket, ctx.tz, ctx.args.startOfWeek)));
    return `${k}\u0000${f.profile}`;
  };
  const rows: PeriodRow[] = [];
  for (const [key, group] of groupFacts(facts, keyOf)) {
    const [period, profile] = key.split('\u0000') as [string, string];
    rows.push({ period, profile, usage: sumUsage(group), models: byModel(group) });
  }
  const dir = ctx.args.order === 'desc' ? -1 : 1;
  rows.sort((a, b) => dir * a.period.localeCompare(b.period) || a.profile.localeCompare(b.profile));
  return { kind, rows, totals: sumUsage(facts), unpriced: unpricedTokens(facts) };
}
