// The one line a user sees inside Claude Code. Names the window, used/cap and their source, when
// it resets and the sibling to switch to, or, when none is worth it, what the siblings have left.
import type { Agent } from '../contracts/profile';
import { type ProfileQuota, type QuotaWindow, WINDOW_LABEL, type WindowName } from '../contracts/quota';
import { compactNumber, pctSpaced, resetClock, sourceLabel, usdPlain } from '../format';
import { byText } from '../order';
import { DEFAULT_AGENT } from './rank';

/** How an agent is named to the user: warnings, the report's Agent column, the agents' quota line. */
export const AGENT_NAME: Record<Agent, string> = { claude: 'Claude', codex: 'Codex', opencode: 'OpenCode' };

/** The window's figures and where they come from: the agent (Claude Code, Codex), calibrated on Claude Code's, turns, ledger. */
export function windowFigures(w: QuotaWindow, now: number, tz: string): string {
  const pct = pctSpaced(w.pct ?? 0);
  if (w.unit === 'percent') return `${pct} (${sourceLabel(w.source)}'s figure)`;
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

/**
 * `siblings`: the profiles the suggestion was ranked among (rank.ts `rivalsOf`). A suggested
 * profile not Claude Code's (its `agent` set) is named with its agent (`switchHint`).
 */
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
  if (q.suggestion) parts.push(suggestionText(q.suggestion, q.suggestion.agent ?? DEFAULT_AGENT));
  else if (siblings.length) parts.push(noBetterProfile(siblings));
  return `ccx [${name}]: ${parts.join(' — ')}`;
}

/** e.g. `no profile has more headroom (spare 10 %, home 0 %)`: the siblings, most headroom first. */
export function noBetterProfile(siblings: SiblingHeadroom[]): string {
  const figures = [...siblings].sort((a, b) => b.headroom_pct - a.headroom_pct || byText(a.name, b.name));
  return `no profile has more headroom (${figures.map((s) => `${s.name} ${pctSpaced(s.headroom_pct)}`).join(', ')})`;
}

/**
 * How to switch to `profile`: `ccx use NAME` for a Claude Code profile; another agent's is named
 * with its agent (`ccx use` sets Claude Code's config dir only). `code` quotes what is typed.
 */
export function switchHint(profile: string, agent: Agent = DEFAULT_AGENT, code: (s: string) => string = (s) => s): string {
  return agent === 'claude' ? code(`ccx use ${profile}`) : `${AGENT_NAME[agent]} profile ${code(profile)}`;
}

function suggestionText(s: { profile: string; headroom_pct: number }, theirs: Agent): string {
  return `${switchHint(s.profile, theirs, (x) => `\`${x}\``)} has ${pctSpaced(s.headroom_pct)} headroom`;
}

/** One agent's quota at a glance: its profile with the most headroom, and that profile's worst window. */
export type AgentQuota = { agent: Agent; profile: string; profiles: number; worst: WindowName | null; pct: number | null };

/**
 * e.g. `Claude 5 h 82 % · Codex weekly 42 %`: each agent's best profile by its worst window, named
 * (`Claude [work] 5 h 82 %`) when the agent has more than one profile.
 */
export function agentsQuotaLine(agents: AgentQuota[]): string {
  return agents
    .map((a) => {
      const who = a.profiles > 1 ? `${AGENT_NAME[a.agent]} [${a.profile}]` : AGENT_NAME[a.agent];
      return a.worst === null || a.pct === null ? `${who} no cap` : `${who} ${WINDOW_LABEL[a.worst].short} ${pctSpaced(a.pct)}`;
    })
    .join(' · ');
}
