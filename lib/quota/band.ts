// A profile's band from its windows: the worst window sets it, unavailability makes it hard.
import { type Band, bandOf, type QuotaWindow, type WindowName } from '../contracts/quota';

export type Windows = Partial<Record<WindowName, QuotaWindow>>;

/** The window with the highest used percentage (null when none has a cap). */
export function worstWindow(windows: Windows): WindowName | null {
  let worst: WindowName | null = null;
  for (const [name, w] of Object.entries(windows) as [WindowName, QuotaWindow][]) {
    if (w.pct !== null && (worst === null || w.pct > (windows[worst]!.pct ?? -1))) worst = name;
  }
  return worst;
}

/** 0..100: what is left on the tightest window; 0 while unavailable. */
export function headroomOf(windows: Windows, worst: WindowName | null, unavailableUntil: number | null): number {
  const worstPct = worst ? windows[worst]!.pct : null;
  return unavailableUntil !== null ? 0 : Math.max(0, Math.min(100, 100 - (worstPct ?? 0)));
}

export function profileBand(windows: Windows, worst: WindowName | null, unavailableUntil: number | null): Band {
  return unavailableUntil !== null ? 'hard' : bandOf(worst ? windows[worst]!.pct : null);
}
