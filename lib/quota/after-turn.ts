// The snapshot as it will be once one more turn is counted. quota.json is written by the
// consolidator after the hooks have run, so a Stop hook (or a hook right after one) would judge a
// turn late; it takes these figures instead while quota.json has not counted that turn.
import type { AfterTurn, ProfileQuota, QuotaWindow } from '../contracts/quota';
import { profileBand, type Windows, worstWindow } from './band';
import { quotaMessage } from './message';

/**
 * A window with the turn being ended counted: ccx's turn estimate gets used + 1 over its cap.
 * Claude Code's own figure already counts it; ledger budgets learn its tokens from the transcript.
 */
export function windowAfterTurn(w: QuotaWindow): QuotaWindow {
  if (w.source !== 'estimate' || w.unit !== 'turns' || w.used === null) return w;
  const used = w.used + 1;
  return { ...w, used, pct: w.cap ? (used / w.cap) * 100 : null };
}

export function afterTurn(name: string, q: Omit<ProfileQuota, 'message' | 'after_turn'>, now: number, tz: string): AfterTurn {
  const windows: Windows = Object.fromEntries(Object.entries(q.windows).map(([n, w]) => [n, windowAfterTurn(w)]));
  const worst = worstWindow(windows);
  const band = profileBand(windows, worst, q.unavailable_until);
  return { band, worst, message: quotaMessage(name, { ...q, windows, worst, band }, now, tz) };
}
