// lib/time: wall-clock arithmetic in an IANA zone (see README.md).

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
