// Which agent each profile belongs to. A profile is one agent's home (a Claude Code config dir, a
// CODEX_HOME, an OpenCode data dir), so `--agent` narrows the profiles and the Agent column is the
// profile's: the rollup tables, which have no agent column, answer `--agent` as they answer `--profile`.
import type { Agent, Profile } from '../contracts/profile';
import type { Db } from '../store';

export type AgentOf = (profile: string) => Agent;

/**
 * config.toml's `agent`; for a profile only in the database (removed from config.toml), the agent
 * its usage rows name (one index probe, once per profile); with neither, claude.
 */
export function agentsOf(db: Db, configured: readonly Pick<Profile, 'name' | 'agent'>[]): AgentOf {
  const known = new Map<string, Agent>(configured.map((p) => [p.name, p.agent]));
  const probe = db.prepare('SELECT agent FROM usage WHERE profile = ? LIMIT 1').pluck();
  return (profile) => {
    let agent = known.get(profile);
    if (agent === undefined) {
      agent = (probe.get(profile) as Agent | undefined) ?? 'claude';
      known.set(profile, agent);
    }
    return agent;
  };
}

/**
 * Whether a table over these profiles shows an Agent column: only when more than one agent is in
 * it, so a Claude-only user's tables stay as they were. No `agentOf` (a caller outside ccx-report
 * that does not say): never.
 */
export function showsAgents(profiles: Iterable<string>, agentOf: AgentOf | undefined): boolean {
  if (!agentOf) return false;
  let first: Agent | null = null;
  for (const p of profiles) {
    const a = agentOf(p);
    if (first === null) first = a;
    else if (a !== first) return true;
  }
  return false;
}
