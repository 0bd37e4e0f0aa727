// Assembles the HTML page's inputs: the chart's day range and daily usage per profile, quota.
import { addDays, localDate, startOfDay } from '../time';
import type { ReportCtx } from './context';
import { dayStart, daysBetween } from './range';
import type { DocBlock } from './render/doc';
import { renderHtml } from './render/html';
import type { Usage } from './usage';
import { periodView } from './views/periods';
import { quotaView } from './views/quota';

export const CHART_DAYS = 30;
/** Views whose own document has the quota table (with gauges and "Use next"): the page adds no second one. */
const QUOTA_IN_VIEW = new Set(['summary', 'quota']);

/** --since..--until; a missing end is today, a missing start is 30 days before the end. */
export function chartRange(ctx: Pick<ReportCtx, 'args' | 'now' | 'tz'>): { since: string; until: string } {
  const { args, now, tz } = ctx;
  const until = args.until ?? localDate(now, tz);
  const since = args.since ?? localDate(addDays(startOfDay(dayStart(until, tz), tz), -(CHART_DAYS - 1), tz), tz);
  return { since, until };
}

export function htmlPage(ctx: ReportCtx, blocks: DocBlock[]): string {
  const { since, until } = chartRange(ctx);
  const days = daysBetween(since, until, ctx.tz);
  const chartCtx = {
    ...ctx,
    args: { ...ctx.args, order: 'asc' as const },
    filters: { ...ctx.filters, from: dayStart(since, ctx.tz), to: addDays(dayStart(until, ctx.tz), 1, ctx.tz) },
  };
  const daily = new Map<string, Map<string, Usage>>(ctx.profileNames.map((p) => [p, new Map()]));
  for (const r of periodView(chartCtx, 'daily').rows) daily.get(r.profile)?.set(r.period, r.usage);
  return renderHtml({
    title: `ccx report — ${ctx.args.view}`,
    tz: ctx.tz,
    now: ctx.now,
    days,
    daily,
    quota: QUOTA_IN_VIEW.has(ctx.args.view) ? null : quotaView(ctx),
    agentOf: ctx.agentOf,
    blocks,
  });
}
