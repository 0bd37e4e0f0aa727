// lib/store: state.db — open, migrate, and the usage rollup (see README.md).

export { ASKED_ZONE_KEEP_MS, dayZones, MAX_ASKED_ZONES, noteZonesAsked } from './day-zones';
export {
  type FactRow,
  factsOf,
  fromBuckets,
  fromUsage,
  memoizeFacts,
  readFacts,
  selectFactsSql,
  stepSql,
} from './facts';
export { hasHookEvents } from './history';
export { type Db, openDb, openDbReadOnly, SCHEMA_VERSION } from './open';
export {
  BUCKET_MS,
  bucketRange,
  dayPieceSql,
  daysAreCurrent,
  dirtyTracker,
  refreshRollup,
  rollupIsCurrent,
} from './rollup';
export { PAYLOAD_KEEP_MS, thinOldPayloads } from './thin';
