// --json: the stable, documented schema (docs/report-json.md). Usage fields carry ccusage's names;
// instants are ISO 8601 UTC strings; costs are USD rounded to 6 decimals (no float noise).
// Period and session rows also carry ccusage 20's own row keys (`period`, `agent`, `metadata`),
// so that a script written for `ccusage daily --json` reads ccx's output unchanged.
import type { QuotaWindow } from '../../contracts/quota';
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

/** ccusage 20's unified reports (`ccusage daily`): one row across agents, `all`; ccx reads Claude Code only. */
const CCUSAGE_PERIOD_ROW = { agent: 'all', metadata: { agents: ['claude'] } } as const;

function withModels(u: Usage, models: ModelUsage[]) {
  return { ...usageJson(u), modelsUsed: models.map((m) => m.modelName), modelBreakdowns: breakdowns(models) };
}

function envelope(ctx: Pick<ReportCtx, 'now' | 'tz' | 'args'>) {
  const a = ctx.args;
  return {
    schema: JSON_SCHEMA,
    view: a.view,
    timezone: ctx.tz,
    generatedAt: iso(ctx.now),
    filters: { since: a.since, until: a.until, profiles: a.profiles, project: a.project, model: a.model },
  };
}

const PERIOD_FIELD = { daily: 'date', weekly: 'week', monthly: 'month' } as const;

export function periodJson(v: PeriodView, ctx: Pick<ReportCtx, 'now' | 'tz' | 'args'>) {
  const field = PERIOD_FIELD[v.kind];
  return {
    ...envelope(ctx),
    [v.kind]: v.rows.map((r) => ({
      [field]: r.period,
      profile: r.profile,
      ...(r.project === null ? {} : { project: r.project }),
      ...withModels(r.usage, r.models),
      period: r.period,
      ...CCUSAGE_PERIOD_ROW,
    })),
    totals: usageJson(v.totals),
    unpriced: v.unpriced,
  };
}

function windowJson(w: QuotaWindow) {
  const observedAt = w.observed_at === undefined ? null : iso(w.observed_at);
  return { used: w.used, cap: w.cap, pct: w.pct, resetsAt: iso(w.resets_at), unit: w.unit, source: w.source, observedAt };
}

export function profileQuotaJson(q: ProfileQuotaView) {
  return {
    profile: q.profile,
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

export function quotaJson(v: QuotaView, ctx: Pick<ReportCtx, 'now' | 'tz' | 'args'>) {
  return { ...envelope(ctx), profiles: v.profiles.map(profileQuotaJson), activeProfile: v.useNext.current, useNext: v.useNext.suggestion };
}

export function summaryJson(v: SummaryView, ctx: Pick<ReportCtx, 'now' | 'tz' | 'args'>) {
  return {
    ...envelope(ctx),
    periods: { today: iso(v.periods.today), week: iso(v.periods.week), last30Days: iso(v.periods.last30Days) },
    range: { from: iso(v.range.from), to: iso(v.range.to) },
    profiles: v.profiles.map((p) => ({
      profile: p.profile,
      today: usageJson(p.today),
      week: usageJson(p.week),
      last30Days: usageJson(p.last30Days),
      quota: p.quota ? profileQuotaJson(p.quota) : null,
    })),
    activeProfile: v.useNext.current,
    useNext: v.useNext.suggestion,
    topProjects: v.topProjects.map((p) => ({ project: p.project, ...usageJson(p) })),
    topModels: v.topModels.map((m) => ({ modelName: m.modelName, ...usageJson(m) })),
    failures: v.failures.map(failureJson),
    skippedLines: v.skippedLines.total,
    skippedByReason: v.skippedLines.byReason,
    skippedFiles: v.skippedLines.files.slice(0, SKIPPED_FILES_N),
    unpriced: v.unpriced,
  };
}

export function blocksJson(v: BlocksView, ctx: Pick<ReportCtx, 'now' | 'tz' | 'args'>) {
  return {
    ...envelope(ctx),
    blocks: v.blocks.map((b) => ({
      profile: b.profile,
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

function telemetryJson(s: SessionTelemetry) {
  return {
    profile: s.profile,
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

export function sessionsJson(v: SessionsView, ctx: Pick<ReportCtx, 'now' | 'tz' | 'args'>) {
  return { ...envelope(ctx), sessions: v.sessions.map(telemetryJson) };
}

export function sessionListJson(v: SessionListView, ctx: Pick<ReportCtx, 'now' | 'tz' | 'args'>) {
  return {
    ...envelope(ctx),
    sessions: v.sessions.map((s) => ({
      profile: s.profile,
      sessionId: s.sessionId,
      projectPath: s.project,
      lastActivity: iso(s.lastActivity),
      ...withModels(s, s.models),
      // ccusage 20's `session` rows: the session id as the period, one agent.
      period: s.sessionId,
      agent: 'claude',
      metadata: { lastActivity: iso(s.lastActivity) },
    })),
    totals: usageJson(v.totals),
  };
}

export function sessionDetailJson(v: SessionDetailView, ctx: Pick<ReportCtx, 'now' | 'tz' | 'args'>) {
  return {
    ...envelope(ctx),
    session: {
      profile: v.profile,
      sessionId: v.sessionId,
      projects: v.projects,
      telemetry: v.telemetry ? telemetryJson(v.telemetry) : null,
      ...withModels(v.usage, v.models),
      failures: v.failures.map(failureJson),
    },
  };
}
