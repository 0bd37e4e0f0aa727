// The endpoints: JSON (snake_case, lib/contracts/api.ts), the event stream, the dashboard and
// /metrics, read from what the consolidator keeps current (state.db, opened read-only per
// request, and the latest quota snapshot).
import { existsSync } from 'node:fs';
import type { DaemonStatus } from '../contracts/daemon';
import type { Profile } from '../contracts/profile';
import type { QuotaSnapshot } from '../contracts/quota';
import type { CcxPaths } from '../paths';
import type { PriceTable } from '../pricing';
import { type Db, openDb } from '../store';
import { dashboardPage, dashboardPanel } from './dashboard';
import { failure, json, type Reply, type Route } from './http';
import type { LiveHub } from './live';
import { metricsText } from './metrics';
import { ParamError, sessionsQuery, usageQuery } from './params';
import { quotaView } from './quota-view';
import { sessionsList, usageRows } from './usage-view';

export type ServeContext = {
  paths: CcxPaths;
  tz: string;
  now: () => number;
  prices: PriceTable;
  /** null until the consolidator lock is held: the server answers 503 until then. */
  status: () => DaemonStatus | null;
  /** The quota.json the consolidator last wrote. */
  snapshot: () => QuotaSnapshot | null;
  live: LiveHub;
  /** `--metrics`: /metrics is served. */
  metrics: boolean;
  /** config.toml's profiles as of now (each one's agent labels its rows and series). */
  profiles: () => readonly Pick<Profile, 'name' | 'agent'>[];
};

export function apiRoutes(ctx: ServeContext): Route {
  return (url) => {
    const current = ctx.status();
    if (!current) return failure(503, 'waiting for the consolidator lock');
    try {
      return route(ctx, current, url);
    } catch (err) {
      if (err instanceof ParamError) return failure(400, err.message);
      throw err;
    }
  };
}

function route(ctx: ServeContext, status: DaemonStatus, url: URL): Reply {
  const now = ctx.now();
  switch (url.pathname) {
    case '/api/status':
      return json(200, status);
    case '/api/quota':
      return json(200, quotaView(ctx.snapshot()));
    case '/api/usage': {
      const q = usageQuery(url, now, ctx.tz);
      return json(
        200,
        withDb(ctx, (db) => (db ? usageRows(db, ctx.prices, ctx.tz, q, ctx.profiles()) : [])),
      );
    }
    case '/api/sessions': {
      const q = sessionsQuery(url, ctx.tz);
      return json(
        200,
        withDb(ctx, (db) => (db ? sessionsList(db, ctx.prices, q) : [])),
      );
    }
    case '/api/recommendations/live':
      return { kind: 'stream', open: (res) => ctx.live.open(res) };
    case '/':
      return { kind: 'html', status: 200, body: dashboardPage(panel(ctx, now), ctx.tz) };
    case '/dashboard/panel':
      return { kind: 'html', status: 200, body: panel(ctx, now) };
    case '/metrics':
      if (ctx.metrics)
        return {
          kind: 'text',
          status: 200,
          body: withDb(ctx, (db) => metricsText(db, ctx.prices, ctx.snapshot(), ctx.tz, ctx.profiles())),
        };
      return failure(404, '/metrics is served with ccx serve --metrics');
    default:
      return failure(404, `no such endpoint: ${url.pathname}`);
  }
}

const panel = (ctx: ServeContext, now: number) =>
  withDb(ctx, (db) => dashboardPanel({ db, prices: ctx.prices, snap: ctx.snapshot(), now, tz: ctx.tz }));

/** state.db read-only for one answer; null before the first pass created it. */
function withDb<T>(ctx: ServeContext, fn: (db: Db | null) => T): T {
  if (!existsSync(ctx.paths.db)) return fn(null);
  const db = openDb(ctx.paths.db, { readonly: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}
