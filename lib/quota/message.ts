// The one line a user sees inside Claude Code. Names the window, used/cap and their source, when
// it resets and the sibling to switch to, or, when none is worth it, what the siblings have left.
import { type ProfileQuota, type QuotaWindow, WINDOW_LABEL } from '../contracts/quota';
import { compactNumber, pctSpaced, resetClock, usdPlain } from '../format';
import { byText } from '../order';

/** The window's figures and where they come from: Claude Code, calibrated on it, turns, ledger. */
export function windowFigures(w: QuotaWindow, now: number, tz: string): string {
  const pct = pctSpaced(w.pct ?? 0);
  if (w.unit === 'percent') return `${pct} (Claude Code's figure)`;
  if (w.source === 'calibrated') {
    const at = w.observed_at === undefined ? '' : ` of ${resetClock(w.observed_at, now, tz)}`;
    return `${pct} (calibrated on Claude Code's figure${at})`;
  }
  if (w.used === null || w.cap === null) return pct;
  if (w.unit === 'usd') return `${pct} (${usdPlain(w.used)}/${usdPlain(w.cap)})`;
  if (w.unit === 'tokens') return `${pct} (${compactNumber(w.used)}/${compactNumber(w.cap)} tokens)`;
  return `${pct} (${w.used}/${w.cap} turns)`;
}

export type SiblingHeadroom = { name: string; headroom_pct: number };

export function quotaMessage(
  name: string,
  q: Omit<ProfileQuota, 'message'>,
  siblings: SiblingHeadroom[],
  now: number,
  tz: string,
): string | null {
  if (q.band === 'ok') return null;
  const parts: string[] = [];
  if (q.unavailable_until !== null) {
    parts.push(`usage limit reached, available again ${resetClock(q.unavailable_until, now, tz)}`);
  } else if (q.worst) {
    const w = q.windows[q.worst]!;
    const reset = w.resets_at !== null ? `, resets ${resetClock(w.resets_at, now, tz)}` : '';
    parts.push(`${WINDOW_LABEL[q.worst].long} ${windowFigures(w, now, tz)}${reset}`);
  }
  if (q.suggestion) parts.push(`\`ccx use ${q.suggestion.profile}\` has ${pctSpaced(q.suggestion.headroom_pct)} headroom`);
  else if (siblings.length) parts.push(noBetterProfile(siblings));
  return `ccx [${name}]: ${parts.join(' — ')}`;
}

/** e.g. `no profile has more headroom (spare 10 %, home 0 %)`: the siblings, most headroom first. */
export function noBetterProfile(siblings: SiblingHeadroom[]): string {
  const figures = [...siblings].sort((a, b) => b.headroom_pct - a.headroom_pct || byText(a.name, b.name));
  return `no profile has more headroom (${figures.map((s) => `${s.name} ${pctSpaced(s.headroom_pct)}`).join(', ')})`;
}
