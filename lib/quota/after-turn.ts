// The snapshot as it will be once one more turn is counted. quota.json is written by the
// consolidator after the hooks have run, so a Stop hook (or a hook right after one) would judge a
// turn late; it takes these figures instead while quota.json has not counted that turn.
import type { AfterTurn, ProfileQuota, QuotaWindow } from '../contracts/quota';
import { headroomOf, profileBand, type Windows, worstWindow } from './band';
import { quotaMessage } from './message';
import { bestSwitch, type Candidate, type RankOptions, rivalsOf } from './rank';

/**
 * A window with the turn being ended counted: ccx's turn estimate gets used + 1 over its cap.
 * Claude Code's own figure already counts it; ledger budgets and calibrated windows learn its
 * tokens from the transcript.
 */
export function windowAfterTurn(w: QuotaWindow): QuotaWindow {
  if (w.source !== 'estimate' || w.unit !== 'turns' || w.used === null) return w;
  const used = w.used + 1;
  return { ...w, used, pct: w.cap ? (used / w.cap) * 100 : null };
}

/** Band, worst window and message with the turn counted; the suggestion ranked again, by the same rule. */
export function afterTurn(
  current: Candidate,
  q: Omit<ProfileQuota, 'message' | 'after_turn'>,
  candidates: Candidate[],
  now: number,
  tz: string,
  rank: RankOptions = {},
): AfterTurn {
  const windows: Windows = Object.fromEntries(Object.entries(q.windows).map(([n, w]) => [n, windowAfterTurn(w)]));
  const worst = worstWindow(windows);
  const band = profileBand(windows, worst, q.unavailable_until);
  const self = { ...current, headroom_pct: headroomOf(windows, worst, q.unavailable_until) };
  const next = { ...q, windows, worst, band, headroom_pct: self.headroom_pct, suggestion: bestSwitch(candidates, self, rank) };
  return { band, worst, message: quotaMessage(current.name, next, rivalsOf(candidates, self, rank), now, tz) };
}
