// What every view reads from: the open database, prices, the injected clock and zone, the parsed
// arguments, and the filters derived from them.

import type { Profile } from '../contracts/profile';
import type { PriceTable } from '../pricing';
import type { Db } from '../store';
import type { AgentOf } from './agents';
import type { ReportArgs } from './args';
import type { Filters } from './query';
import { dayBounds } from './range';

export type ReportCtx = {
  db: Db;
  prices: PriceTable;
  now: number;
  tz: string;
  args: ReportArgs;
  /** Every watched profile: the quota engine ranks siblings among all of them. */
  allProfiles: Profile[];
  /** The watched profile a `claude` started from this shell runs in; null: none of them. */
  activeProfile: string | null;
  /** Names to report on: --profile, else every configured profile and every one in the DB; of --agent's agents only. */
  profileNames: string[];
  /**
   * Each profile's agent (agents.ts): what --agent narrowed by and the Agent column shows. ccx-report
   * always sets it; a caller that builds a view on its own (serve's dashboard) may leave it out: no Agent column.
   */
  agentOf?: AgentOf;
  /** `suggest_across_agents = true` in config.toml: lib/quota may suggest another agent's profile. */
  suggestAcrossAgents?: boolean;
  filters: Filters;
};

/** `profiles`: the profiles to filter by (--profile, narrowed by --agent); empty: every one. */
export function filtersOf(args: ReportArgs, tz: string, profiles: string[] = args.profiles): Filters {
  return { profiles, project: args.project, model: args.model, ...dayBounds(args.since, args.until, tz) };
}
