// The default view: per profile today / this week / 30 days and the quota windows, then what the
// usage went to (projects, models) and what went wrong (failures, skipped transcript lines).

import { byText } from '../../order';
import { addDays, startOfDay, startOfWeek } from '../../time';
import type { ReportCtx } from '../context';
import { dayGrain, type Fact, type Failure, failures, type SkippedLines, skippedLines, usageFacts } from '../query';
import { byModel, sumUsage, type Usage, unpricedTokens } from '../usage';
import { groupFacts } from './periods';
import { type ProfileQuotaView, quotaView, type UseNext } from './quota';

export const TOP_N = 5;
export const FAILURES_N = 10;

export type ProfileSummary = {
  profile: string;
  today: Usage;
  week: Usage;
  last30Days: Usage;
  /** null for a profile found only in the database (not in config.toml): no plan, no caps. */
  quota: ProfileQuotaView | null;
};

export type SummaryView = {
  /** Local-day starts (ms) of the three periods. */
  periods: { today: number; week: number; last30Days: number };
  /** What top projects/models and failures cover: --since/--until, else the 30 days. */
  range: { from: number; to: number | null };
  profiles: ProfileSummary[];
  /** The profiles' periods summed: the usage table's total row. */
  totals: { today: Usage; week: Usage; last30Days: Usage };
  /** Everything in `range`, not only the top N: the top tables' total row. */
  rangeTotals: Usage;
  useNext: UseNext;
  topProjects: (Usage & { project: string })[];
  topModels: (Usage & { modelName: string })[];
  failures: Failure[];
  skippedLines: SkippedLines;
  unpriced: { model: string; tokens: number }[];
};

/** Skipped lines, each file's path relative to its profile's config dir when it lies inside it. */
function skippedInConfigDirs(ctx: ReportCtx): SkippedLines {
  const dirs = new Map(ctx.allProfiles.map((p) => [p.name, p.config_dir]));
  const s = skippedLines(ctx.db, ctx.profileNames);
  const files = s.files.map((f) => {
    const dir = dirs.get(f.profile);
    return dir && f.path.startsWith(`${dir}/`) ? { ...f, path: f.path.slice(dir.length + 1) } : f;
  });
  return { ...s, files };
}

export function summaryView(ctx: ReportCtx): SummaryView {
  const { now, tz } = ctx;
  const today = startOfDay(now, tz);
  const periods = { today, week: startOfWeek(now, ctx.args.startOfWeek, tz), last30Days: addDays(today, -29, tz) };
  const recentFilters = { ...ctx.filters, from: periods.last30Days, to: null };
  const recent = usageFacts(ctx.db, ctx.prices, recentFilters, dayGrain(tz, { projects: true }));
  const quota = quotaView(ctx);
  const quotas = new Map(quota.profiles.map((q) => [q.profile, q]));
  const byProfile = groupFacts(recent, (f) => f.profile);
  const periodsOf = (facts: Fact[]) => ({
    today: sumUsage(facts.filter((f) => f.bucket >= periods.today)),
    week: sumUsage(facts.filter((f) => f.bucket >= periods.week)),
    last30Days: sumUsage(facts),
  });
  const profiles = ctx.profileNames.map(
    (profile): ProfileSummary => ({ profile, ...periodsOf(byProfile.get(profile) ?? []), quota: quotas.get(profile) ?? null }),
  );
  const listed = new Set(ctx.profileNames);

  const given = ctx.filters.from !== null || ctx.filters.to !== null;
  const range = given ? { from: ctx.filters.from ?? 0, to: ctx.filters.to } : { from: periods.last30Days, to: null };
  const scoped = { ...ctx.filters, ...range, profiles: ctx.profileNames };
  const facts = given ? usageFacts(ctx.db, ctx.prices, scoped, dayGrain(tz, { projects: true })) : recent;
  const topProjects = [...groupFacts(facts, (f) => f.project)]
    .map(([project, group]) => ({ project, ...sumUsage(group) }))
    .sort((a, b) => b.totalTokens - a.totalTokens || byText(a.project, b.project))
    .slice(0, TOP_N);
  return {
    periods,
    range,
    profiles,
    totals: periodsOf(recent.filter((f) => listed.has(f.profile))),
    rangeTotals: sumUsage(facts),
    useNext: quota.useNext,
    topProjects,
    topModels: byModel(facts).slice(0, TOP_N),
    failures: failures(ctx.db, scoped, FAILURES_N),
    skippedLines: skippedInConfigDirs(ctx),
    unpriced: unpricedTokens(facts),
  };
}
