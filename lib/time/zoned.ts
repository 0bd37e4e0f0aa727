// Wall-clock arithmetic in an IANA time zone: local days, weekday anchors, DST-correct (a local
// day may be 23 or 25 hours long). The first Intl.DateTimeFormat costs 20-40 ms of ICU start-up,
// more than a whole hook run, so UTC, fixed Etc/GMT±h zones and the process's own zone (what
// Date's local methods follow) are answered without it. So is any other zone ICU knows: Date's
// local methods follow it while TZ names it (~20 µs to switch), so its offsets are read in
// blocks of days with TZ pointed at it for one synchronous call (`borrowZone`); whether ICU knows
// a name is found the same way (`knownToIcu`).
import { processZone } from './zone-name';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    formatters.set(tz, f);
  }
  return f;
}

export type ZonedParts = { year: number; month: number; day: number; hour: number; minute: number; second: number; weekday: number };

const WEEKDAY_INDEX: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** The zone's own answer, through Intl: slow, so only offsets of other zones are asked this way. */
function intlParts(ts: number, tz: string): ZonedParts {
  const p: Record<string, string> = {};
  for (const part of formatter(tz).formatToParts(ts)) p[part.type] = part.value;
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour),
    minute: Number(p.minute),
    second: Number(p.second),
    weekday: WEEKDAY_INDEX[p.weekday!]!,
  };
}

const QUARTER_MS = 15 * 60_000;
const DAY_MS = 24 * 3_600_000;
/** Per zone: UTC day → its offset, or a per-quarter-hour map on a day the offset changes. */
const dayOffsets = new Map<string, Map<number, number | Map<number, number>>>();

const UTC_ZONES: ReadonlySet<string> = new Set(['UTC', 'Etc/UTC', 'GMT', 'Etc/GMT', 'Etc/Universal', 'Universal', 'Etc/Zulu', 'Zulu']);
/** Etc/GMT+5 is UTC-5: the sign counts hours west, as in POSIX TZ values (zone-name.ts). */
const ETC_FIXED = /^Etc\/GMT([+-]\d{1,2})$/;

function rawOffset(ts: number, tz: string): number {
  if (UTC_ZONES.has(tz)) return 0;
  const fixed = ETC_FIXED.exec(tz);
  if (fixed) return -Number(fixed[1]) * 3_600_000;
  if (tz === processZone()) return -new Date(ts).getTimezoneOffset() * 60_000;
  const p = intlParts(ts, tz);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ts / 1000) * 1000;
}

let canonical: ReadonlySet<string> | undefined;

/** Zones ICU knows by these names (~2 ms once, where a DateTimeFormat's start-up costs 20-40). */
const isCanonicalZone = (tz: string): boolean => (canonical ??= new Set(Intl.supportedValuesOf('timeZone'))).has(tz);

/** Area/Location: the names ICU looks up as zone ids (no digits up front, so no POSIX or GMT+h value). */
const AREA_LOCATION = /^[A-Za-z_]+\/[A-Za-z0-9_+/-]+$/;
/** Instants at which no zone ICU knows but a UTC-like one has offset 0 at all of them. */
const PROBES = [Date.UTC(2025, 0, 15), Date.UTC(2025, 6, 15)];
const icuKnown = new Map<string, boolean>();

/**
 * Whether ICU knows `tz` without a DateTimeFormat: Date pointed at it shows an offset other than 0
 * (ICU takes a name it does not know as Etc/Unknown, which is UTC), or ICU lists it (its canonical
 * names keep old spellings: Asia/Calcutta). Other UTC-like zones (Africa/Abidjan) are left to Intl.
 */
function knownToIcu(tz: string): boolean {
  let known = icuKnown.get(tz);
  if (known === undefined) {
    known =
      (onMainThread() && AREA_LOCATION.test(tz) && borrowZone(tz, () => PROBES.some((t) => localOffset(t) !== 0))) || isCanonicalZone(tz);
    icuKnown.set(tz, known);
  }
  return known;
}

/**
 * A zone Date's local methods can be pointed at, not the process's: one ICU knows (or Intl
 * accepted). Only on the main thread: a worker's TZ is its own copy, which Date does not follow.
 */
const borrowable = (tz: string): boolean => tz !== processZone() && onMainThread() && (knownToIcu(tz) || formatters.has(tz));

let mainThread: boolean | undefined;
/** Required when first needed: node:worker_threads costs a report ~3 ms to load. */
const onMainThread = (): boolean => (mainThread ??= (require('node:worker_threads') as typeof import('node:worker_threads')).isMainThread);

/**
 * `fn` with Date's local methods following `tz` (TZ set, then put back: synchronous, so no other
 * JavaScript of this thread sees it). Node re-reads the zone whenever TZ is assigned or deleted.
 * ICU's default zone is the process's: a worker thread's local-time Date calls meanwhile would
 * see `tz` too (ccx's transcript worker reads UTC instants only).
 */
function borrowZone<T>(tz: string, fn: () => T): T {
  const saved = process.env.TZ;
  process.env.TZ = tz;
  try {
    return fn();
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
}

const localOffset = (ts: number): number => -new Date(ts).getTimezoneOffset() * 60_000;
/** Days whose offsets one borrowing reads: a report's year of history around the day asked. */
const BORROW_DAYS = 400;

/** A UTC day's entry: its offset, or on a day the offset changes a map of quarter hours (filled by `off` when `all`). */
function dayEntry(day: number, off: (ts: number) => number, all: boolean): number | Map<number, number> {
  const start = off(day);
  if (start === off(day + DAY_MS - 1)) return start;
  const quarters = new Map<number, number>();
  if (all) for (let q = day; q < day + DAY_MS; q += QUARTER_MS) quarters.set(q, off(q));
  return quarters;
}

/**
 * The zone's UTC offset (ms) at ts. Offsets change a few times a year, at instants on a quarter
 * hour: reading the offset at both ends of each UTC day, and per quarter hour only on a day where
 * the two differ, is exact and costs a couple of reads per day of data instead of one per row.
 */
function offsetAt(ts: number, tz: string): number {
  let days = dayOffsets.get(tz);
  if (!days) dayOffsets.set(tz, (days = new Map()));
  const day = Math.floor(ts / DAY_MS) * DAY_MS;
  let known = days.get(day);
  if (known === undefined) {
    if (borrowable(tz)) {
      const block = days;
      borrowZone(tz, () => {
        for (let d = day - BORROW_DAYS * DAY_MS; d <= day + BORROW_DAYS * DAY_MS; d += DAY_MS)
          if (!block.has(d)) block.set(d, dayEntry(d, localOffset, true));
      });
    } else
      days.set(
        day,
        dayEntry(day, (t) => rawOffset(t, tz), false),
      );
    known = days.get(day)!;
  }
  if (typeof known === 'number') return known;
  const quarter = Math.floor(ts / QUARTER_MS) * QUARTER_MS;
  let off = known.get(quarter);
  if (off === undefined) known.set(quarter, (off = rawOffset(quarter, tz)));
  return off;
}

export function zonedParts(ts: number, tz: string): ZonedParts {
  const d = new Date(ts + offsetAt(ts, tz));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: d.getUTCDay(),
  };
}

/** Throws a RangeError naming the zone when it is not a valid IANA zone. */
export function assertTimeZone(tz: string): void {
  if (UTC_ZONES.has(tz) || tz === processZone() || knownToIcu(tz)) return; // known good, and no Intl start-up for them
  try {
    formatter(tz);
  } catch {
    throw new RangeError(`unknown time zone "${tz}" (use an IANA name such as Europe/Berlin)`);
  }
}

/** The instant of local wall time y-m-d h:mi in tz (the earlier one when a DST fold repeats it). */
export function zonedTime(year: number, month: number, day: number, tz: string, hour = 0, minute = 0): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const first = wall - offsetAt(wall, tz);
  const offset = offsetAt(first, tz);
  const ts = wall - offset;
  // A wall time inside a spring-forward gap has no instant (America/Santiago's midnight on its
  // September change): the two guesses then disagree, and the time is when the gap ends. Taking
  // the earlier one put that midnight on the day before, and day-by-day loops never moved on.
  return offsetAt(ts, tz) === offset ? ts : Math.max(ts, first);
}

export function startOfDay(ts: number, tz: string): number {
  const p = zonedParts(ts, tz);
  return zonedTime(p.year, p.month, p.day, tz);
}

/** Local midnight `days` days after the local day containing ts. */
export function addDays(ts: number, days: number, tz: string): number {
  const p = zonedParts(ts, tz);
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day + days));
  return zonedTime(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), tz);
}

/** Local midnight of the latest `weekday` (0 = Sunday) at or before ts. */
export function startOfWeek(ts: number, weekday: number, tz: string): number {
  const back = (zonedParts(ts, tz).weekday - weekday + 7) % 7;
  return addDays(ts, -back, tz);
}

export function startOfMonth(ts: number, tz: string): number {
  const p = zonedParts(ts, tz);
  return zonedTime(p.year, p.month, 1, tz);
}

/** YYYY-MM-DD of the local day containing ts. */
export function localDate(ts: number, tz: string): string {
  const p = zonedParts(ts, tz);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}
