// The one line a user sees inside Claude Code. Names the window, used/cap, when it resets and
// the sibling profile with the most headroom.
import { type ProfileQuota, type QuotaWindow, WINDOW_LABEL } from '../contracts/quota';
import { localDate, zonedParts } from '../time';

const WEEKDAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export function compactNumber(n: number): string {
  if (n >= 1e9) return `${+(n / 1e9).toFixed(1)}B`;
  if (n >= 1e6) return `${+(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${+(n / 1e3).toFixed(1)}k`;
  return String(n);
}

/** "14:05" today, "Sat 14:05" within a week, "2026-12-01 00:00" beyond. */
export function formatReset(ts: number, now: number, tz: string): string {
  const p = zonedParts(ts, tz);
  const hm = `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
  if (localDate(ts, tz) === localDate(now, tz)) return hm;
  if (ts - now < 6 * 86_400_000) return `${WEEKDAY[p.weekday]} ${hm}`;
  return `${localDate(ts, tz)} ${hm}`;
}

export function windowFigures(w: QuotaWindow): string {
  const pct = `${Math.floor(w.pct ?? 0)} %`;
  if (w.unit === 'percent') return `${pct} (Claude Code's figure)`;
  if (w.used === null || w.cap === null) return pct;
  if (w.unit === 'usd') return `${pct} ($${w.used.toFixed(2)}/$${w.cap.toFixed(2)})`;
  if (w.unit === 'tokens') return `${pct} (${compactNumber(w.used)}/${compactNumber(w.cap)} tokens)`;
  return `${pct} (${w.used}/${w.cap} turns)`;
}

export function quotaMessage(name: string, q: Omit<ProfileQuota, 'message'>, now: number, tz: string): string | null {
  if (q.band === 'ok') return null;
  const parts: string[] = [];
  if (q.unavailable_until !== null) {
    parts.push(`usage limit reached, available again ${formatReset(q.unavailable_until, now, tz)}`);
  } else if (q.worst) {
    const w = q.windows[q.worst]!;
    const reset = w.resets_at !== null ? `, resets ${formatReset(w.resets_at, now, tz)}` : '';
    parts.push(`${WINDOW_LABEL[q.worst].long} ${windowFigures(w)}${reset}`);
  }
  if (q.suggestion) parts.push(`\`ccx use ${q.suggestion.profile}\` has ${Math.floor(q.suggestion.headroom_pct)} % headroom`);
  return `ccx [${name}]: ${parts.join(' — ')}`;
}
