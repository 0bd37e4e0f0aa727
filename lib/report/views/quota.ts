// quota: each profile's 5 h and weekly windows (Claude Code's figures when fresh, else ccx's turn
// estimate), budgets, band, reset times and the sibling to switch to, from lib/quota's engine.
// The profile to use next is the snapshot's answer too: never ranked here.

import type { Band, QuotaSnapshot, QuotaWindow, WindowName } from '../../contracts/quota';
import { type Candidate, computeSnapshot, rivalsOf } from '../../quota';
import type { AgentOf } from '../agents';
import type { ReportCtx } from '../context';

export type ProfileQuotaView = {
  profile: string;
  label: string | null;
  planTier: string;
  band: Band;
  /** The window the band comes from (lib/quota's `worst`). */
  worst: WindowName | null;
  windows: Partial<Record<WindowName, QuotaWindow>>;
  unavailableUntil: number | null;
  headroomPct: number;
  suggestion: Suggestion | null;
};

export type Suggestion = { profile: string; headroomPct: number };

export type UseNext = {
  /** The profile this shell is on (lib/profiles activeProfile), which the answer is relative to. */
  current: string | null;
  /** quota.json's suggestion for `current`, or its `use_next` from a shell on no watched profile. */
  suggestion: Suggestion | null;
  /** Every other watched profile's headroom: what "no better profile" is said with. */
  others: { profile: string; headroomPct: number }[];
};

export type QuotaView = { generatedAt: number; profiles: ProfileQuotaView[]; useNext: UseNext };

/** Only configured profiles have caps and plans; others appear in usage views, not here. */
export function quotaView(ctx: ReportCtx): QuotaView {
  const snap = computeSnapshot({
    db: ctx.db,
    profiles: ctx.allProfiles,
    now: ctx.now,
    tz: ctx.tz,
    prices: ctx.prices,
    suggestAcrossAgents: ctx.suggestAcrossAgents === true,
  });
  const rank = ctx.agentOf ? { agentOf: ctx.agentOf, acrossAgents: ctx.suggestAcrossAgents === true } : undefined;
  return quotaViewOf(snap, ctx.profileNames, ctx.activeProfile, ctx.now, rank);
}

/** Who "no profile has more headroom" names: the profiles lib/quota ranked against (rivalsOf); without, every other. */
export type RivalsBy = { agentOf: AgentOf; acrossAgents: boolean };

/** The view of a snapshot already computed (quota.json, as `ccx serve` keeps it). */
export function quotaViewOf(
  snap: QuotaSnapshot,
  profileNames: string[],
  activeProfile: string | null,
  now: number,
  rank?: RivalsBy,
): QuotaView {
  const profiles: ProfileQuotaView[] = [];
  for (const name of profileNames) {
    const q = snap.profiles[name];
    if (!q) continue;
    profiles.push({
      profile: name,
      label: q.label,
      planTier: q.plan_tier,
      band: q.band,
      worst: q.worst,
      windows: q.windows,
      unavailableUntil: q.unavailable_until,
      headroomPct: q.headroom_pct,
      suggestion: suggestionOf(q.suggestion),
    });
  }
  return { generatedAt: now, profiles, useNext: useNextOf(snap, activeProfile, rank) };
}

const suggestionOf = (s: { profile: string; headroom_pct: number } | null | undefined): Suggestion | null =>
  s ? { profile: s.profile, headroomPct: s.headroom_pct } : null;

function useNextOf(snap: QuotaSnapshot, current: string | null, rank: RivalsBy | undefined): UseNext {
  const mine = current === null ? undefined : snap.profiles[current];
  // The snapshot's own figures as the ranking's candidates: rivalsOf needs only agent, availability and headroom.
  const all: Candidate[] = Object.entries(snap.profiles).map(([name, q]) => ({
    name,
    agent: rank?.agentOf(name),
    headroom_pct: q.headroom_pct,
    available: q.unavailable_until === null,
    priority: 0,
    recentFailures: 0,
  }));
  const self = mine ? all.find((c) => c.name === current)! : null;
  const others = rank ? rivalsOf(all, self, { acrossAgents: rank.acrossAgents }) : all.filter((c) => c.name !== current);
  return {
    current: mine ? current : null,
    suggestion: suggestionOf(mine ? mine.suggestion : snap.use_next),
    others: others.map((c) => ({ profile: c.name, headroomPct: c.headroom_pct })),
  };
}
