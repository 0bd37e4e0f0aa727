// lib/time: wall-clock arithmetic in an IANA zone, the zone from TZ, the seconds-or-milliseconds
// guess and the sane range of instants (see README.md).
export { epochMs, insaneTimeReason, isSaneTime, SANE_TIME_AHEAD_MS, SANE_TIME_FROM_MS } from './epoch';
export { resolveTimeZone } from './zone-name';
export {
  addDays,
  assertTimeZone,
  localDate,
  startOfDay,
  startOfMonth,
  startOfWeek,
  type ZonedParts,
  zonedParts,
  zonedTime,
} from './zoned';
