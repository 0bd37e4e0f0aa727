// Instants and spans: local date-times, durations, and when a window resets.
import { localDate, zonedParts } from '../time';

const two = (n: number) => String(n).padStart(2, '0');
const WEEKDAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** "14:05" in tz. */
export function clockTime(ts: number, tz: string): string {
  const p = zonedParts(ts, tz);
  return `${two(p.hour)}:${two(p.minute)}`;
}

/** "2025-11-03 14:05" in tz. */
export function dateTime(ts: number, tz: string): string {
  const p = zonedParts(ts, tz);
  return `${p.year}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}`;
}

/** "3d 4h", "2h 5m", "4m 10s", "12s": down to the second, cut (not rounded); negative → "0s" (ccx status, doctor). */
export function durationToSecond(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const [d, h, m] = [Math.floor(s / 86400), Math.floor(s / 3600) % 24, Math.floor(s / 60) % 60];
  if (d) return `${d}d ${h}h`;
  if (h) return `${h}h ${m}m`;
  if (m) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

/** "1d 2h", "3h 05m", "12m": rounded to the minute; negative → "0m" (ccx-report). */
export function durationToMinute(ms: number): string {
  const m = Math.max(0, Math.round(ms / 60_000));
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${two(m % 60)}m`;
  return `${m}m`;
}

/** A reset for one line: "14:05" today, "Sat 14:05" within six days, "2026-12-01 00:00" beyond. */
export function resetClock(ts: number, now: number, tz: string): string {
  if (localDate(ts, tz) === localDate(now, tz)) return clockTime(ts, tz);
  if (ts - now < 6 * 86_400_000) return `${WEEKDAY[zonedParts(ts, tz).weekday]} ${clockTime(ts, tz)}`;
  return dateTime(ts, tz);
}

/** A reset for a table: "2025-11-03 14:00 (in 2h 05m)", "… (passed)", "—" when unknown. */
export function resetText(ts: number | null, now: number, tz: string): string {
  if (ts === null) return '—';
  return `${dateTime(ts, tz)} (${ts > now ? `in ${durationToMinute(ts - now)}` : 'passed'})`;
}
