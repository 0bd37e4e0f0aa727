// The one ranking rule: which profile to switch to. quota.json's suggestions come from here, and
// every reader (hooks, ccx-report's views) shows those answers instead of ranking on its own.
import type { Agent } from '../contracts/profile';

/** A sibling is worth switching to only with this much headroom... */
export const MIN_SUGGESTED_HEADROOM_PCT = 20;
/** ...and this many points more than the current profile (5 % more is not worth a restart). */
export const MIN_HEADROOM_LEAD_PCT = 15;
/** Score = headroom + PRIORITY_WEIGHT × priority − FAILURE_WEIGHT × failures in the last hour. */
export const PRIORITY_WEIGHT = 5;
export const FAILURE_WEIGHT = 10;
/** The agent a shell on no watched profile is taken to run: `claude`, as before profiles had agents. */
export const DEFAULT_AGENT: Agent = 'claude';

export type Candidate = {
  name: string;
  /** Absent: claude (a caller from before profiles had agents). */
  agent?: Agent;
  headroom_pct: number;
  available: boolean;
  priority: number;
  recentFailures: number;
};
/** `agent`: set when the suggested profile is not Claude Code's (quota.json stays as it was for Claude-only users). */
export type Suggestion = { profile: string; headroom_pct: number; agent?: Agent };
/** acrossAgents: config.toml's `suggest_across_agents = true`. */
export type RankOptions = { acrossAgents?: boolean };

export const scoreOf = (c: Candidate): number => c.headroom_pct + PRIORITY_WEIGHT * c.priority - FAILURE_WEIGHT * c.recentFailures;

const agentOf = (c: Candidate): Agent => c.agent ?? DEFAULT_AGENT;

/** Not worth switching to: out, or under MIN_SUGGESTED_HEADROOM_PCT of headroom. */
const spent = (c: Candidate): boolean => !c.available || c.headroom_pct < MIN_SUGGESTED_HEADROOM_PCT;

/**
 * The profiles `current` is ranked against (null: a shell on no watched profile, taken to run
 * DEFAULT_AGENT): those of its own agent, since switching agents means another tool; with
 * `acrossAgents`, every agent's once every profile of its own agent, itself included, is spent.
 * What a suggestion comes from and what "no profile has more headroom" lists.
 */
export function rivalsOf(candidates: Candidate[], current: Candidate | null, opts: RankOptions = {}): Candidate[] {
  const agent = current ? agentOf(current) : DEFAULT_AGENT;
  const others = candidates.filter((c) => c.name !== current?.name);
  const own = others.filter((c) => agentOf(c) === agent);
  return opts.acrossAgents && own.every(spent) && (!current || spent(current)) ? others : own;
}

/**
 * The best-scored available rival with real headroom: at least MIN_SUGGESTED_HEADROOM_PCT, and
 * MIN_HEADROOM_LEAD_PCT more than `current`.
 */
export function bestSwitch(candidates: Candidate[], current: Candidate | null, opts: RankOptions = {}): Suggestion | null {
  const floor = Math.max(MIN_SUGGESTED_HEADROOM_PCT, current ? current.headroom_pct + MIN_HEADROOM_LEAD_PCT : 0);
  let best: Candidate | null = null;
  for (const c of rivalsOf(candidates, current, opts)) {
    if (!c.available || c.headroom_pct < floor) continue;
    if (!best || scoreOf(c) > scoreOf(best)) best = c;
  }
  if (!best) return null;
  const agent = agentOf(best);
  return agent === DEFAULT_AGENT
    ? { profile: best.name, headroom_pct: best.headroom_pct }
    : { profile: best.name, headroom_pct: best.headroom_pct, agent };
}
