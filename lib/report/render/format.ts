// Number, money, time and duration formatting shared by the terminal and HTML renderers.
import { zonedParts } from '../../time';

const intFmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const usdFmt = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export const int = (n: number): string => intFmt.format(Math.round(n));
export const usd = (n: number): string => `$${usdFmt.format(n)}`;
export const pct = (n: number | null): string => (n === null ? '—' : `${Math.round(n)}%`);

const two = (n: number) => String(n).padStart(2, '0');

/** YYYY-MM-DD HH:MM in tz. */
export function dateTime(ts: number, tz: string): string {
  const p = zonedParts(ts, tz);
  return `${p.year}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}`;
}

/** 1d 2h, 3h 05m, 12m: two units at most. */
export function duration(ms: number): string {
  const m = Math.max(0, Math.round(ms / 60_000));
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${two(m % 60)}m`;
  return `${m}m`;
}

/** "2025-11-03 14:00 (in 2h 05m)". */
export function resetText(ts: number | null, now: number, tz: string): string {
  if (ts === null) return '—';
  return `${dateTime(ts, tz)} (${ts > now ? `in ${duration(ts - now)}` : 'passed'})`;
}
