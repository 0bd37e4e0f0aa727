// Local-day arithmetic the report needs on top of lib/time/zoned: a YYYY-MM-DD string as an
// instant, and the days of an inclusive range (for charts with one bar per day).
import { addDays, localDate, zonedTime } from '../time';

/** Local midnight of day `ymd` (YYYY-MM-DD) in tz. */
export function dayStart(ymd: string, tz: string): number {
  const [y, m, d] = ymd.split('-').map(Number) as [number, number, number];
  return zonedTime(y, m, d, tz);
}

/** [from, to) in ms for inclusive local days; null ends stay open. */
export function dayBounds(since: string | null, until: string | null, tz: string): { from: number | null; to: number | null } {
  return {
    from: since ? dayStart(since, tz) : null,
    to: until ? addDays(dayStart(until, tz), 1, tz) : null,
  };
}

/** Every local day from `since` to `until`, inclusive. */
export function daysBetween(since: string, until: string, tz: string): string[] {
  const out: string[] = [];
  for (let t = dayStart(since, tz), d = since; d <= until; t = addDays(t, 1, tz), d = localDate(t, tz)) out.push(d);
  return out;
}
