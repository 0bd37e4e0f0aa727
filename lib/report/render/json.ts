// --json: the stable, documented schema (docs/report-json.md). Usage fields carry ccusage's names;
// instants are ISO 8601 UTC strings; costs are USD rounded to 6 decimals (no float noise).
// Period and session rows also carry ccusage 20's own row keys (`period`, `agent`, `metadata`),
// so that a script written for `ccusage daily --json` reads ccx's output unchanged.
import type { Agent } from '../../contracts/profile';
import type { QuotaWindow } from '../../contracts/quota';
import type { AgentOf } from '../agents';
import type { ReportCtx } from '../context';
import type { Failure } from '../query';
import type { ModelUsage, Usage } from '../usage';
import type { BlocksView } from '../views/blocks';
import type { PeriodView } from '../views/periods';
import type { ProfileQuotaView, QuotaView } from '../views/quota';
import type { SessionDetailView, SessionListView, SessionsView, SessionTelemetry } from '../views/sessions';
import type { SummaryView } from '../views/summary';

/** Files listed in skippedFiles, the most skipped lines first. */
const SKIPPED_FILES_N = 10;

export const JSON_SCHEMA = 'ccx-report/1';

/** What --no-cost leaves out of the JSON, as ccusage drops its cost keys. */
const COST_KEYS = new Set(['totalCost', 'cost', 'costPerHour', 'projectedCost', 'claudeCodeCostUsd']);

export function withoutCostKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutCostKeys);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).flatMap(([k, x]) => (COST_KEYS.has(k) ? [] : [[k, withoutCostKeys(x)]])));
}

const iso = (ts: number | null) => (ts === null ? null : new Date(ts).toISOString());
export const money = (usd: number) => Math.round(usd * 1e6) / 1e6;

export function usageJson(u: Usage) {
  return {
    inputTokens: u.inputTokens,
    outputTokens: u.outputTokens,
    cacheCreationTokens: u.cacheCreationTokens,
    cacheReadTokens: u.cacheReadTokens,
    totalTokens: u.totalTokens,
    totalCost: money(u.totalCost),
    unpricedModels: u.unpricedModels,
  };
}

const breakdowns = (models: ModelUsage[]) =>
  models.map((m) => ({
    modelName: m.modelName,
    inputTokens: m.inputTokens,
    outputTokens: m.outputTokens,
    cacheCreationTokens: m.cacheCreationTokens,
    cacheReadTokens: m.cacheReadTokens,
    cost: money(m.totalCost),
    // ccusage's flag, present only on a model without a price.
    ...(m.unpricedModels.length > 0 && { missingPricing: true }),
  }));

type Ctx = Pick<ReportCtx, 'now' | 'tz' | 'args' | 'agentOf'>;

/** A profile's agent; a caller that does not say (serve's dashboard) is Claude Code's. */
const agentOf = (ctx: Pick<Ctx, 'agentOf'>, profile: string): Agent => ctx.agentOf?.(profile) ?? 'claude';

/**
 * ccusage 20's unified period rows (`ccusage daily`) say `agent: "all"` and list the agents summed
 * in `metadata.agents`; a ccx row is one profile's, so one agent: the profile's.
 */
const ccusagePeriodRow = (agent: Agent) => ({ agent: 'all', metadata: { agents: [agent] } }) as const;

function withModels(u: Usage, models: ModelUsage[]) {
  return { ...usageJson(u), modelsUsed: models.map((m) => m.modelName), modelBreakdowns: breakdowns(models) };
}

function envelope(ctx: Ctx) {
  const a = ctx.args;
  return {
    schema: JSON_SCHEMA,
    view: a.view,
    timezone: ctx.tz,
    generatedAt: iso(ctx.now),
    filters: { since: a.since, until: a.until, profiles: a.profiles, agents: a.agents, project: a.project, model: a.model },
  };
}

const PERIOD_FIELD = { daily: 'date', weekly: 'week', monthly: 'month' } as const;

export function periodJson(v: PeriodView, ctx: Ctx) {
  const field = PERIOD_FIELD[v.kind];
  return {
    ...envelope(ctx),
    [v.kind]: v.rows.map((r) => ({
      [field]: r.period,
      profile: r.profile,
      ...(r.project === null ? {} : { project: r.project }),
      ...withModels(r.usage, r.models),
      period: r.period,
      ...ccusagePeriodRow(agentOf(ctx, r.profile)),
    })),
    totals: usageJson(v.totals),
    unpriced: v.unpriced,
  };
}

function windowJson(w: QuotaWindow) {
  const observedAt = w.observed_at === undefined ? null : iso(w.observed_at);
  return { used: w.used, cap: w.cap, pct: w.pct, resetsAt: iso(w.resets_at), unit: w.unit, source: w.source, observedAt };
}

export function profileQuotaJson(q: ProfileQuotaView, agentOf?: AgentOf) {
  return {
    profile: q.profile,
    agent: agentOf?.(q.profile) ?? 'claude',
    label: q.label,
    planTier: q.planTier,
    band: q.band,
    headroomPct: q.headroomPct,
    unavailableUntil: iso(q.unavailableUntil),
    suggestion: q.suggestion,
    windows: Object.fromEntries(Object.entries(q.windows).map(([k, w]) => [k, windowJson(w)])),
  };
}

const failureJson = (f: Failure) => ({
  ts: iso(f.ts),
  profile: f.profile,
  sessionId: f.sessionId,
  kind: f.kind,
  error: f.error,
  resetAt: iso(f.resetAt),
});

export function quotaJson(v: QuotaView, ctx: Ctx) {
  return {
    ...envelope(ctx),
    profiles: v.profiles.map((q) => profileQuotaJson(q, ctx.agentOf)),
    activeProfile: v.useNext.current,
    useNext: v.useNext.suggestion,
  };
}

export function summaryJson(v: SummaryView, ctx: Ctx) {
  return {
    ...envelope(ctx),
    periods: { today: iso(v.periods.today), week: iso(v.periods.week), last30Days: iso(v.periods.last30Days) },
    range: { from: iso(v.range.from), to: iso(v.range.to) },
    profiles: v.profiles.map((p) => ({
      profile: p.profile,
      agent: agentOf(ctx, p.profile),
      today: usageJson(p.today),
      week: usageJson(p.week),
      last30Days: usageJson(p.last30Days),
      quota: p.quota ? profileQuotaJson(p.quota, ctx.agentOf) : null,
    })),
    activeProfile: v.useNext.current,
    useNext: v.useNext.suggestion,
    agents: v.agents.map((a) => ({ agent: a.agent, profile: a.profile, profiles: a.profiles, window: a.worst, pct: a.pct })),
    topProjects: v.topProjects.map((p) => ({ project: p.project, ...usageJson(p) })),
    topModels: v.topModels.map((m) => ({ modelName: m.modelName, ...usageJson(m) })),
    failures: v.failures.map(failureJson),
    skippedLines: v.skippedLines.total,
    skippedByReason: v.skippedLines.byReason,
    skippedFiles: v.skippedLines.files.slice(0, SKIPPED_FILES_N),
    unpriced: v.unpriced,
  };
}

export function blocksJson(v: BlocksView, ctx: Ctx) {
  return {
    ...envelope(ctx),
    blocks: v.blocks.map((b) => ({
      profile: b.profile,
      agent: agentOf(ctx, b.profile),
      startTime: iso(b.start),
      endTime: iso(b.end),
      firstActivity: iso(b.firstTs),
      lastActivity: iso(b.lastTs),
      isActive: b.active,
      requests: b.requests,
      ...withModels(b.usage, b.models),
      burnRate: b.burn
        ? {
            tokensPerMinute: Math.round(b.burn.tokensPerMinute * 100) / 100,
            costPerHour: money(b.burn.costPerHour),
            projectedTokens: b.burn.projectedTokens,
            projectedCost: money(b.burn.projectedCost),
            remainingMinutes: Math.round(b.burn.remainingMinutes),
          }
        : null,
    })),
    tokenLimit: v.tokenLimit,
    totals: usageJson(v.totals),
  };
}

function telemetryJson(s: SessionTelemetry, ctx: Pick<Ctx, 'agentOf'>) {
  return {
    profile: s.profile,
    agent: agentOf(ctx, s.profile),
    sessionId: s.sessionId,
    status: s.status,
    startedAt: iso(s.startedAt),
    lastSeenAt: iso(s.lastSeenAt),
    endedAt: iso(s.endedAt),
    endReason: s.endReason,
    durationMs: s.durationMs,
    model: s.model,
    cwd: s.cwd,
    turns: s.turns,
    failedTurns: s.failedTurns,
    compactions: s.compactions,
    failureError: s.failureError,
    failureDetails: s.failureDetails,
    claudeCodeCostUsd: s.claudeCodeCostUsd,
    ...usageJson(s.usage),
  };
}

export function sessionsJson(v: SessionsView, ctx: Ctx) {
  return { ...envelope(ctx), sessions: v.sessions.map((s) => telemetryJson(s, ctx)) };
}

export function sessionListJson(v: SessionListView, ctx: Ctx) {
  return {
    ...envelope(ctx),
    sessions: v.sessions.map((s) => ({
      profile: s.profile,
      sessionId: s.sessionId,
      projectPath: s.project,
      lastActivity: iso(s.lastActivity),
      ...withModels(s, s.models),
      // ccusage 20's `session` rows: the session id as the period, the session's agent.
      period: s.sessionId,
      agent: agentOf(ctx, s.profile),
      metadata: { lastActivity: iso(s.lastActivity) },
    })),
    totals: usageJson(v.totals),
  };
}

export function sessionDetailJson(v: SessionDetailView, ctx: Ctx) {
  return {
    ...envelope(ctx),
    session: {
      profile: v.profile,
      agent: agentOf(ctx, v.profile),
      sessionId: v.sessionId,
      projects: v.projects,
      telemetry: v.telemetry ? telemetryJson(v.telemetry, ctx) : null,
      ...withModels(v.usage, v.models),
      failures: v.failures.map(failureJson),
    },
  };
}
