// GET /api/usage and GET /api/sessions: lib/report's queries and cost (usageFacts, priced by
// lib/pricing; the sessions view) in the API's shapes. Nothing here sums tokens or prices them.
import type { ApiTokens, SessionTelemetry, UsageRow } from '../contracts/api';
import type { Profile } from '../contracts/profile';
import type { PriceTable } from '../pricing';
import {
  agentsOf,
  dayGrain,
  type Filters,
  type ReportSessionTelemetry,
  roundUsd,
  sessionsViewOf,
  sumUsage,
  type Usage,
  usageFacts,
} from '../report';
import type { Db } from '../store';
import { localDate } from '../time';
import type { SessionsQuery, UsageQuery } from './params';

const iso = (ts: number | null) => (ts === null ? null : new Date(ts).toISOString());

const tokens = (u: Usage): ApiTokens => ({
  input_tokens: u.inputTokens,
  output_tokens: u.outputTokens,
  cache_read_tokens: u.cacheReadTokens,
  cache_create_tokens: u.cacheCreationTokens,
});

/** Rows per profile, project, model and local day of `tz`, in that order; each with its profile's agent. */
export function usageRows(
  db: Db,
  prices: PriceTable,
  tz: string,
  q: UsageQuery,
  profiles: readonly Pick<Profile, 'name' | 'agent'>[] = [],
): UsageRow[] {
  const agentOf = agentsOf(db, profiles);
  const f: Filters = { profiles: q.profiles, project: q.project, model: null, from: q.from, to: q.to };
  // Per session (to count them), per day piece of the zone.
  const grain = { ...dayGrain(tz, { projects: true }), sessions: true };
  const groups = new Map<
    string,
    { key: Omit<UsageRow, 'usage' | 'session_count' | 'estimated_usd'>; facts: ReturnType<typeof usageFacts> }
  >();
  for (const fact of usageFacts(db, prices, f, grain)) {
    const key = {
      profile: fact.profile,
      agent: agentOf(fact.profile),
      project: fact.project,
      model: fact.model,
      day: localDate(fact.bucket, tz),
    };
    const k = JSON.stringify(key);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { key, facts: [] }));
    g.facts.push(fact);
  }
  return [...groups.values()]
    .map(({ key, facts }) => {
      const u = sumUsage(facts);
      return { ...key, usage: tokens(u), session_count: new Set(facts.map((x) => x.sessionId)).size, estimated_usd: roundUsd(u.totalCost) };
    })
    .sort((a, b) => cmp(a.profile, b.profile) || cmp(a.project, b.project) || cmp(a.model, b.model) || cmp(a.day, b.day));
}

/** The most recently seen sessions first, at most `limit`. */
export function sessionsList(db: Db, prices: PriceTable, q: SessionsQuery): SessionTelemetry[] {
  const f: Filters = { profiles: q.profiles, project: null, model: null, from: q.from, to: null };
  const pick = (all: ReportSessionTelemetry[]) =>
    all
      .filter((s) => q.status === null || s.status === q.status)
      .reverse()
      .slice(0, q.limit);
  return sessionsViewOf(db, prices, f, pick).sessions.map(apiSession);
}

export function apiSession(s: ReportSessionTelemetry): SessionTelemetry {
  return {
    profile: s.profile,
    session_id: s.sessionId,
    status: s.status,
    started_at: iso(s.startedAt),
    last_seen_at: iso(s.lastSeenAt),
    ended_at: iso(s.endedAt),
    end_reason: s.endReason,
    duration_ms: s.durationMs,
    model: s.model,
    cwd: s.cwd,
    turns: s.turns,
    failed_turns: s.failedTurns,
    compactions: s.compactions,
    failure_error: s.failureError,
    claude_code_cost_usd: s.claudeCodeCostUsd,
    usage: tokens(s.usage),
    estimated_usd: roundUsd(s.usage.totalCost),
  };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
