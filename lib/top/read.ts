// One read of everything `ccx top` shows. Quota figures come from `ccx serve`'s /api/quota when
// serve runs (daemon.json names it and holds the token), else from quota.json while it is fresh,
// else from lib/quota's computeSnapshot over state.db (as ccx-report does). Blocks, today's cost
// and running sessions are read from state.db (read-only) either way, and only again when the
// database has changed (PRAGMA data_version) or time alone may have changed them.
import { existsSync } from 'node:fs';
import type { Profile } from '../contracts/profile';
import type { ProfileQuota, QuotaSnapshot, QuotaWindow } from '../contracts/quota';
import { byText } from '../order';
import type { CcxPaths, Env } from '../paths';
import { loadPrices, type PriceTable } from '../pricing';
import { ConfigError, readConfig, watchedProfiles } from '../profiles';
import { computeSnapshot } from '../quota';
import { type Block, cutBlocks, sessionRows, type UsageEntry, usageEntries } from '../report';
import { type ApiProfileQuota, readDaemonFile, serveState } from '../serve';
import { type Db, hasHookEvents, openDb } from '../store';
import { startOfDay } from '../time';
import { readSnapshot } from '../warnings';
import type { TopData, TopProfile, TopSession, TopSource, TopWindow } from './state';

/** quota.json younger than this is taken as it is; older, the snapshot is computed here. */
const QUOTA_FRESH_MS = 60_000;
/** How often figures that change with time alone (rolling windows, block ends) are recomputed. */
const TIME_REFRESH_MS = 30_000;
/**
 * Blocks are cut from this much history: a block depends on the ones before it, and a gap of
 * 5 h (a night) starts a chain afresh. ccx-report blocks --since cuts from its first day alike.
 */
const BLOCK_LOOKBACK_MS = 48 * 3_600_000;
/** A session not ended but silent for longer is taken as gone (killed before its SessionEnd). */
const RUNNING_SEEN_MS = 3_600_000;
const SERVE_TIMEOUT_MS = 1_500;
/** A session is running until its SessionEnd: working on a turn, or waiting for the next prompt. */
const SESSION_STATE: Record<string, TopSession['state']> = { running: 'working', completed: 'waiting', failed: 'failed' };

type QuotaFigures = Pick<TopProfile, 'planTier' | 'band' | 'fiveHour' | 'weekly' | 'unavailableUntil' | 'suggestion'>;
type DbFigures = Pick<TopProfile, 'block' | 'todayUsd' | 'sessions'>;

export type Reader = { read(now: number): Promise<TopData>; close(): void };

export type ReaderOptions = {
  paths: CcxPaths;
  env: Env;
  tz: string /** --profile: only these; empty: every watched one. */;
  only: string[];
};

export function createReader(opts: ReaderOptions): Reader {
  const { paths } = opts;
  let db: Db | null = null;
  let prices: PriceTable | null = null;
  let dbCache: { version: number; at: number; key: string; figures: Map<string, DbFigures> } | null = null;
  let computed: { at: number; snap: QuotaSnapshot } | null = null;

  const openDbIfThere = (): Db | null => {
    if (!db && existsSync(paths.db)) db = openDb(paths.db, { readonly: true });
    return db;
  };
  const pricesOf = () => (prices ??= loadPrices(paths.pricing).prices);
  const close = () => {
    db?.close();
    db = null;
    dbCache = null;
  };

  async function read(now: number): Promise<TopData> {
    const base = { at: now, source: { kind: 'files', why: 'nothing read yet', quotaAt: null } as TopSource, profiles: [] };
    let profiles: Profile[];
    let open: Db | null;
    try {
      open = openDbIfThere();
      const config = readConfig(paths.config);
      profiles = watchedProfiles(config, opts.env, open ? (name) => hasHookEvents(open!, name) : undefined);
    } catch (err) {
      close();
      const why = err instanceof ConfigError ? `config: ${err.message}` : `cannot read ${paths.db}: ${(err as Error).message}`;
      return { ...base, problem: why };
    }
    if (opts.only.length) {
      const unknown = opts.only.filter((n) => !profiles.some((p) => p.name === n));
      if (unknown.length) {
        const known = profiles.map((p) => p.name).join(', ') || 'none';
        return { ...base, problem: `no watched profile "${unknown[0]}" (watched: ${known})` };
      }
      profiles = profiles.filter((p) => opts.only.includes(p.name));
    }
    if (!open) {
      return { ...base, problem: `no database at ${paths.db} yet: it appears after the first Claude Code session with ccx's hooks` };
    }
    try {
      const { source, quota } = await quotaFigures(open, profiles, now);
      const figures = dbFigures(open, profiles, now);
      const rows = [...profiles].sort((a, b) => byText(a.name, b.name)).map((p) => topProfile(p, quota.get(p.name), figures.get(p.name)));
      return { at: now, source, profiles: rows, problem: null };
    } catch (err) {
      close(); // reopened at the next read: the file may have been replaced or migrated
      return { ...base, problem: `cannot read ${paths.db}: ${(err as Error).message}` };
    }
  }

  async function quotaFigures(
    open: Db,
    profiles: Profile[],
    now: number,
  ): Promise<{ source: TopSource; quota: Map<string, QuotaFigures> }> {
    const serve = serveState(paths);
    let why = serve.state === 'stale' ? `daemon.json is stale: pid ${serve.pid} is gone` : 'ccx serve is not running';
    if (serve.state === 'running') {
      const daemon = readDaemonFile(paths);
      try {
        if (!daemon) throw new Error('daemon.json is unreadable');
        const api = await serveQuota(daemon.url, daemon.start_token);
        return { source: { kind: 'serve', url: daemon.url, pid: daemon.pid }, quota: new Map(api.map((q) => [q.profile, fromApi(q)])) };
      } catch (err) {
        why = `ccx serve at ${serve.url} did not answer: ${(err as Error).message}`;
      }
    }
    let snap = readSnapshot(paths.quota);
    const fresh = snap !== null && now - snap.generated_at <= QUOTA_FRESH_MS;
    if (!fresh) {
      if (!computed || now - computed.at >= TIME_REFRESH_MS) {
        computed = { at: now, snap: computeSnapshot({ db: open, profiles, now, tz: opts.tz, prices: pricesOf() }) };
      }
      snap = computed.snap;
    }
    const quota = new Map(Object.entries(snap!.profiles).map(([name, q]) => [name, fromSnapshot(q)]));
    return { source: { kind: 'files', why, quotaAt: fresh ? snap!.generated_at : null }, quota };
  }

  function dbFigures(open: Db, profiles: Profile[], now: number): Map<string, DbFigures> {
    const version = open.pragma('data_version', { simple: true }) as number;
    const key = profiles.map((p) => p.name).join('\u0000');
    const c = dbCache;
    if (c && c.version === version && c.key === key && now - c.at < TIME_REFRESH_MS) return c.figures;
    const figures = readDbFigures(open, pricesOf(), profiles, now, opts.tz);
    dbCache = { version, at: now, key, figures };
    return figures;
  }

  return { read, close };
}

async function serveQuota(url: string, token: string): Promise<ApiProfileQuota[]> {
  const res = await fetch(new URL('api/quota', url), {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(SERVE_TIMEOUT_MS),
  });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const body = (await res.json()) as unknown;
  if (!Array.isArray(body)) throw new Error('/api/quota did not return a list');
  return body as ApiProfileQuota[];
}

function fromApi(q: ApiProfileQuota): QuotaFigures {
  const win = (w: ApiProfileQuota['window_5h']): TopWindow | null =>
    w && { pct: w.pct, used: w.used, cap: w.cap, unit: null, resetsAt: w.resets_at === null ? null : Date.parse(w.resets_at) };
  const suggestion = q.suggestion && { profile: q.suggestion.profile, headroomPct: q.suggestion.headroom_pct, agent: q.suggestion.agent };
  return {
    planTier: q.plan_tier,
    band: q.band,
    fiveHour: win(q.window_5h),
    weekly: win(q.window_weekly),
    unavailableUntil: null,
    suggestion,
  };
}

function fromSnapshot(q: ProfileQuota): QuotaFigures {
  const win = (w: QuotaWindow | undefined): TopWindow | null =>
    w ? { pct: w.pct, used: w.used, cap: w.cap, unit: w.unit, resetsAt: w.resets_at } : null;
  const suggestion = q.suggestion && { profile: q.suggestion.profile, headroomPct: q.suggestion.headroom_pct, agent: q.suggestion.agent };
  return {
    planTier: q.plan_tier,
    band: q.band,
    fiveHour: win(q.windows.five_hour),
    weekly: win(q.windows.weekly),
    unavailableUntil: q.unavailable_until,
    suggestion,
  };
}

function readDbFigures(db: Db, prices: PriceTable, profiles: Profile[], now: number, tz: string): Map<string, DbFigures> {
  const names = profiles.map((p) => p.name);
  const out = new Map<string, DbFigures>(names.map((n) => [n, { block: null, todayUsd: 0, sessions: [] }]));
  if (names.length === 0) return out;
  const scope = { profiles: names, project: null, model: null, to: null };
  const byProfile = new Map<string, UsageEntry[]>();
  for (const e of usageEntries(db, prices, { ...scope, from: now - BLOCK_LOOKBACK_MS })) {
    const list = byProfile.get(e.profile);
    if (list) list.push(e);
    else byProfile.set(e.profile, [e]);
  }
  const midnight = startOfDay(now, tz);
  for (const [name, entries] of byProfile) {
    const f = out.get(name)!;
    f.block = cutBlocks(name, entries, now).find((b: Block) => b.active) ?? null;
    f.todayUsd = entries.reduce((sum, e) => (e.ts >= midnight && e.ts <= now ? sum + e.cost : sum), 0);
  }
  for (const s of sessionRows(db, { ...scope, from: now - RUNNING_SEEN_MS })) {
    const state = SESSION_STATE[s.status];
    if (!state || s.endedAt !== null) continue;
    const session: TopSession = {
      sessionId: s.sessionId,
      state,
      cwd: s.cwd,
      model: s.model,
      startedAt: s.startedAt,
      lastSeenAt: s.lastSeenAt,
      turns: s.turns,
    };
    out.get(s.profile)?.sessions.push(session);
  }
  return out;
}

function topProfile(p: Profile, q: QuotaFigures | undefined, f: DbFigures | undefined): TopProfile {
  return {
    name: p.name,
    planTier: q?.planTier ?? p.plan_tier,
    band: q?.band ?? 'ok',
    fiveHour: q?.fiveHour ?? null,
    weekly: q?.weekly ?? null,
    unavailableUntil: q?.unavailableUntil ?? null,
    suggestion: q?.suggestion ?? null,
    todayUsd: f?.todayUsd ?? 0,
    block: f?.block ?? null,
    sessions: f?.sessions ?? [],
  };
}
