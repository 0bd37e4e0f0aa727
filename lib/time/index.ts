// lib/time: wall-clock arithmetic in an IANA zone, the zone from TZ, and the seconds-or-milliseconds
// guess (see README.md).
export { epochMs } from './epoch';
export { resolveTimeZone } from './zone-name';
export {
  addDays,
  alignedStep,
  assertTimeZone,
  localDate,
  startOfDay,
  startOfMonth,
  startOfWeek,
  type ZonedParts,
  zonedParts,
  zonedTime,
} from './zoned';
