// lib/time: wall-clock arithmetic in an IANA zone, the seconds-or-milliseconds guess and the sane range of instants (see README.md).
export { epochMs, insaneTimeReason, isSaneTime, SANE_TIME_AHEAD_MS, SANE_TIME_FROM_MS } from './epoch';
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
