// daily / weekly / monthly: usage per (period, profile), periods being local days, weeks starting
// on --start-of-week, or calendar months, all in the report's zone.

import { byText } from '../../order';
import { localDate, startOfWeek } from '../../time';
import type { ReportCtx } from '../context';
import { dayFacts, dayGrain, type Fact, usageFacts } from '../query';
import { byModel, type ModelUsage, sumUsage, type Usage, unpricedTokens } from '../usage';

export type PeriodKind = 'daily' | 'weekly' | 'monthly';
/** project: only with --instances (ccusage's rows per project), else null. */
export type PeriodRow = { period: string; profile: string; project: string | null; usage: Usage; models: ModelUsage[] };
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
  const { instances } = ctx.args;
  // The day pieces have no project; per-project rows group the usage table at the day grain.
  const facts = instances
    ? usageFacts(ctx.db, ctx.prices, ctx.filters, dayGrain(ctx.tz, { projects: true }))
    : dayFacts(ctx.db, ctx.prices, ctx.filters, ctx.tz);
  const keys = new Map<number, string>();
  const keyOf = (f: Fact) => {
    let k = keys.get(f.bucket);
    if (k === undefined) keys.set(f.bucket, (k = periodKey(kind, f.bucket, ctx.tz, ctx.args.startOfWeek)));
    return `${k}\u0000${f.profile}\u0000${instances ? f.project : ''}`;
  };
  const rows: PeriodRow[] = [];
  for (const [key, group] of groupFacts(facts, keyOf)) {
    const [period, profile, project] = key.split('\u0000') as [string, string, string];
    rows.push({ period, profile, project: instances ? project : null, usage: sumUsage(group), models: byModel(group) });
  }
  const dir = ctx.args.order === 'desc' ? -1 : 1;
  rows.sort((a, b) => dir * byText(a.period, b.period) || byText(a.project ?? '', b.project ?? '') || byText(a.profile, b.profile));
  return { kind, rows, totals: sumUsage(facts), unpriced: unpricedTokens(facts) };
}
