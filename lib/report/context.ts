// What every view reads from: the open database, prices, the injected clock and zone, the parsed
// arguments, and the filters derived from them.

import type { Profile } from '../contracts/profile';
import type { PriceTable } from '../pricing';
import type { Db } from '../store';
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
  /** Names to report on: --profile, else every configured profile and every one in the DB. */
  profileNames: string[];
  filters: Filters;
};

export function filtersOf(args: ReportArgs, tz: string): Filters {
  return { profiles: args.profiles, project: args.project, model: args.model, ...dayBounds(args.since, args.until, tz) };
}
