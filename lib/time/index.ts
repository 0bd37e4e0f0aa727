// lib/time: wall-clock arithmetic in an IANA zone (see README.md).
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
