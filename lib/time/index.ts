// lib/time: wall-clock arithmetic in an IANA zone, and the seconds-or-milliseconds guess (see README.md).
export { epochMs } from './epoch';
export {
  addDays,
  alignedStep,
  assertTimeZone,
  localDate,
  startOfDay,
  startOfMonth,
  startOfWeek,
  systemTimeZone,
  type ZonedParts,
  zonedParts,
  zonedTime,
} from './zoned';
