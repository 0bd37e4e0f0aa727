// The default view: per profile today / this week / 30 days and the quota windows, then what the
// usage went to (projects, models) and what went wrong (failures, skipped transcript lines).
import { AGENTS, type Agent } from '../../contracts/profile';
import { byText } from '../../order';
import type { AgentQuota } from '../../quota';
import { addDays, startOfDay, startOfWeek } from '../../time';
import type { AgentOf } from '../agents';
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
  /** Each agent's quota at a glance (lib/quota's agentsQuotaLine), in AGENTS order; shown when there are two or more. */
  agents: AgentQuota[];
  topProjects: (Usage & { project: string })[];
  topModels: (Usage & { modelName: string })[];
  failures: Failure[];
  skippedLines: SkippedLines;
  unpriced: { model: string; tokens: number }[];
};

/** Per agent among the quotas, its profile with the most headroom (then the first by name) and that profile's worst window. */
export function agentQuotas(quotas: ProfileQuotaView[], agentOf: AgentOf | undefined): AgentQuota[] {
  const byAgent = new Map<Agent, ProfileQuotaView[]>();
  for (const q of quotas) {
    const a = agentOf?.(q.profile) ?? 'claude';
    byAgent.set(a, [...(byAgent.get(a) ?? []), q]);
  }
  return [...byAgent]
    .sort(([a], [b]) => AGENTS.indexOf(a) - AGENTS.indexOf(b))
    .map(([agent, qs]) => {
      const best = qs.reduce((x, y) =>
        y.headroomPct > x.headroomPct || (y.headroomPct === x.headroomPct && y.profile < x.profile) ? y : x,
      );
      return {
        agent,
        profile: best.profile,
        profiles: qs.length,
        worst: best.worst,
        pct: best.worst ? (best.windows[best.worst]?.pct ?? null) : null,
      };
    });
}

/** Skipped lines, each file's path relative to its profile's config dir when it lies inside it. */
function skippedInConfigDirs(ctx: ReportCtx): SkippedLines {
  const dirs = new Map(ctx.allProfiles.map((p) => [p.name, p.config_dir]));
  // The filters' profiles: every one, or those of --profile and --agent (none at all: NO_PROFILE).
  const s = skippedLines(ctx.db, ctx.filters.profiles);
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
  const scoped = { ...ctx.filters, ...range, profiles: ctx.profileNames.length ? ctx.profileNames : ctx.filters.profiles };
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
    agents: agentQuotas(quota.profiles, ctx.agentOf),
    topProjects,
    topModels: byModel(facts).slice(0, TOP_N),
    failures: failures(ctx.db, scoped, FAILURES_N),
    skippedLines: skippedInConfigDirs(ctx),
    unpriced: unpricedTokens(facts),
  };
}
