// sessions: telemetry per session (status, turns, compactions, failures, duration) with the
// usage it made in range; session: usage per session, or everything about one with --id.

import { CliError, UsageError } from '../../cli-kit';
import { byText } from '../../order';
import type { PriceTable } from '../../pricing';
import type { Db } from '../../store';
import type { ReportCtx } from '../context';
import { type Failure, type Filters, failures, type SessionRow, sessionRows, usageFacts } from '../query';
import { byModel, type ModelUsage, sumUsage, type Usage } from '../usage';
import { groupFacts } from './periods';

export type SessionTelemetry = SessionRow & { durationMs: number | null; usage: Usage };
export type SessionsView = {
  sessions: SessionTelemetry[];
  /** Over the sessions listed. */
  totals: { turns: number; failedTurns: number; compactions: number; usage: Usage };
};

const key = (profile: string, id: string) => `${profile}\u0000${id}`;

function durationOf(s: SessionRow): number | null {
  const end = s.endedAt ?? s.lastSeenAt;
  return s.startedAt !== null && end !== null ? end - s.startedAt : null;
}

export function sessionsView(ctx: ReportCtx): SessionsView {
  return sessionsViewOf(ctx.db, ctx.prices, ctx.filters, (sessions) => (ctx.args.order === 'desc' ? sessions.reverse() : sessions));
}

/**
 * The sessions active in the filters' range (the least recently seen first) with the usage they
 * made in it, as `pick` keeps them (order, filter, cut: `ccx serve`'s API and dashboard), and the
 * totals of those kept.
 */
export function sessionsViewOf(
  db: Db,
  prices: PriceTable,
  filters: Filters,
  pick: (sessions: SessionTelemetry[]) => SessionTelemetry[],
): SessionsView {
  const groups = groupFacts(usageFacts(db, prices, filters), (f) => key(f.profile, f.sessionId));
  const all = sessionRows(db, filters).map((s) => ({
    ...s,
    durationMs: durationOf(s),
    usage: sumUsage(groups.get(key(s.profile, s.sessionId)) ?? []),
  }));
  const sessions = pick(all);
  const count = (get: (s: SessionTelemetry) => number) => sessions.reduce((n, s) => n + get(s), 0);
  return {
    sessions,
    totals: {
      turns: count((s) => s.turns),
      failedTurns: count((s) => s.failedTurns),
      compactions: count((s) => s.compactions),
      usage: sumUsage(sessions.flatMap((s) => groups.get(key(s.profile, s.sessionId)) ?? [])),
    },
  };
}

export type SessionUsage = Usage & { profile: string; sessionId: string; project: string; lastActivity: number; models: ModelUsage[] };
export type SessionListView = { sessions: SessionUsage[]; totals: Usage };

/** Sessions with usage in range, ordered by last activity. */
export function sessionListView(ctx: ReportCtx): SessionListView {
  const facts = usageFacts(ctx.db, ctx.prices, ctx.filters);
  const groups = groupFacts(facts, (f) => key(f.profile, f.sessionId));
  const sessions = [...groups].map(([, g]): SessionUsage => {
    const last = g.reduce((a, b) => (b.lastTs > a.lastTs ? b : a));
    return {
      profile: g[0]!.profile,
      sessionId: g[0]!.sessionId,
      project: last.project,
      lastActivity: last.lastTs,
      models: byModel(g),
      ...sumUsage(g),
    };
  });
  const dir = ctx.args.order === 'desc' ? -1 : 1;
  sessions.sort((a, b) => dir * (a.lastActivity - b.lastActivity) || byText(a.sessionId, b.sessionId));
  return { sessions, totals: sumUsage(facts) };
}

export type SessionDetailView = {
  profile: string;
  sessionId: string;
  telemetry: SessionTelemetry | null;
  usage: Usage;
  models: ModelUsage[];
  projects: string[];
  failures: Failure[];
};

/** One session by id or unique id prefix (ids are long UUIDs). */
export function sessionDetailView(ctx: ReportCtx, id: string): SessionDetailView {
  const scope = { ...ctx.filters, from: null, to: null };
  const ids = ctx.db
    .prepare(
      `SELECT DISTINCT profile, session_id AS sessionId FROM (SELECT profile, session_id FROM usage UNION SELECT profile, session_id FROM sessions)
       WHERE substr(session_id, 1, length(?)) = ? ${scope.profiles.length ? `AND profile IN (${scope.profiles.map(() => '?').join(',')})` : ''}
       ORDER BY session_id = ? DESC, profile`,
    )
    .all(id, id, ...scope.profiles, id) as { profile: string; sessionId: string }[];
  const exact = ids.filter((r) => r.sessionId === id);
  const hits = exact.length ? exact : ids;
  if (hits.length === 0) throw new CliError(`no session "${id}" in the database (ccx-report session lists them)`);
  if (hits.length > 1) {
    throw new UsageError(
      `--id ${id} matches ${hits.length} sessions (${hits
        .slice(0, 3)
        .map((h) => `${h.profile}/${h.sessionId}`)
        .join(', ')}…): give more of the id or --profile`,
    );
  }
  const { profile, sessionId } = hits[0]!;
  const one = { ...scope, profiles: [profile] };
  const facts = usageFacts(ctx.db, ctx.prices, one).filter((f) => f.sessionId === sessionId);
  const row = sessionRows(ctx.db, one, sessionId)[0];
  return {
    profile,
    sessionId,
    telemetry: row ? { ...row, durationMs: durationOf(row), usage: sumUsage(facts) } : null,
    usage: sumUsage(facts),
    models: byModel(facts),
    projects: [...new Set(facts.map((f) => f.project))].sort(),
    failures: failures(ctx.db, one, 1000).filter((f) => f.sessionId === sessionId),
  };
}
