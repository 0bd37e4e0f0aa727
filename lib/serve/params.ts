// Query parameters of /api/usage and /api/sessions, validated: a wrong one is a 400 with {error},
// never a silently wider answer. Days are the server's local days (as ccx-report's --since/--until).
import { SESSION_STATUSES } from '../contracts/api';
import { PROFILE_NAME_RE } from '../contracts/profile';
import { dayBounds, parseDay } from '../report';
import { addDays, startOfDay } from '../time';

export class ParamError extends Error {}

/** Without `since`, /api/usage covers the last 30 local days (today included), as the report's summary. */
export const USAGE_DEFAULT_DAYS = 30;
export const SESSIONS_DEFAULT_LIMIT = 100;
export const SESSIONS_MAX_LIMIT = 1000;

export type UsageQuery = { profiles: string[]; project: string | null; from: number; to: number | null };
export type SessionsQuery = { profiles: string[]; status: string | null; from: number | null; limit: number };

export function usageQuery(url: URL, now: number, tz: string): UsageQuery {
  const p = params(url, ['since', 'until', 'profile', 'project']);
  const from = instant(p, 'since', tz, 'start') ?? addDays(startOfDay(now, tz), 1 - USAGE_DEFAULT_DAYS, tz);
  const to = instant(p, 'until', tz, 'end');
  if (to !== null && to <= from) throw new ParamError('until is before since');
  return { profiles: profiles(p), project: p.get('project') ?? null, from, to };
}

export function sessionsQuery(url: URL, tz: string): SessionsQuery {
  const p = params(url, ['profile', 'status', 'since', 'limit']);
  const status = p.get('status') ?? null;
  if (status !== null && !(SESSION_STATUSES as readonly string[]).includes(status))
    throw new ParamError(`status ${status}: not one of ${SESSION_STATUSES.join(', ')}`);
  const limitText = p.get('limit');
  const limit = limitText === null ? SESSIONS_DEFAULT_LIMIT : Number(limitText);
  if (!/^\d+$/.test(limitText ?? '0') || limit < 1 || limit > SESSIONS_MAX_LIMIT)
    throw new ParamError(`limit ${limitText}: a whole number from 1 to ${SESSIONS_MAX_LIMIT}`);
  return { profiles: profiles(p), status, from: instant(p, 'since', tz, 'start'), limit };
}

/** The parameters, each given at most once (profile may repeat), none unknown or empty. */
function params(url: URL, known: string[]): { get: (k: string) => string | null; all: (k: string) => string[] } {
  for (const [k, v] of url.searchParams) {
    if (!known.includes(k)) throw new ParamError(`unknown parameter ${k} (known: ${known.join(', ')})`);
    if (v === '') throw new ParamError(`${k} is empty`);
    if (k !== 'profile' && url.searchParams.getAll(k).length > 1) throw new ParamError(`${k} given more than once`);
  }
  return { get: (k) => url.searchParams.get(k), all: (k) => url.searchParams.getAll(k) };
}

function profiles(p: ReturnType<typeof params>): string[] {
  const names = p.all('profile').flatMap((v) => v.split(','));
  for (const n of names) if (!PROFILE_NAME_RE.test(n)) throw new ParamError(`profile ${n}: not a profile name`);
  return names;
}

/**
 * A local day (YYYY-MM-DD or YYYYMMDD: its start for since, the end of it for until, so until
 * is inclusive as in ccx-report) or an ISO 8601 instant with a time and zone (exact).
 */
function instant(p: ReturnType<typeof params>, key: string, tz: string, side: 'start' | 'end'): number | null {
  const v = p.get(key);
  if (v === null) return null;
  if (v.includes('T')) {
    const ms = Date.parse(v);
    if (!/(Z|[+-]\d{2}:?\d{2})$/.test(v) || Number.isNaN(ms)) throw new ParamError(`${key} ${v}: not an ISO 8601 time with a zone`);
    return ms;
  }
  let day: string;
  try {
    day = parseDay(key, v);
  } catch (err) {
    throw new ParamError((err as Error).message.replace(' or YYYYMMDD', ', YYYYMMDD or an ISO 8601 time'));
  }
  const b = dayBounds(day, day, tz);
  return side === 'start' ? b.from : b.to;
}
