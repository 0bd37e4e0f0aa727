// Claude Code writes some instants (rate-limit resets, usage-limit lines) as epoch seconds and
// may write milliseconds; one guess for every reader.

/**
 * Below this a number is seconds, at or above it milliseconds. As seconds, 1e11 is in the year
 * 5138; as milliseconds, 1973-03-03: no instant Claude Code reports falls on the wrong side either
 * way (the copies this replaced used 1e11 and 1e12, which disagree only between those dates).
 */
const EPOCH_SECONDS_BELOW = 1e11;

/** Epoch seconds or milliseconds → whole milliseconds. */
export function epochMs(n: number): number {
  return Math.round(n < EPOCH_SECONDS_BELOW ? n * 1000 : n);
}

/** No instant ccx reads (transcript lines, hook records) predates Claude Code: 2023-01-01 UTC. */
export const SANE_TIME_FROM_MS = Date.UTC(2023, 0, 1);
/** How far ahead of the reader's clock an instant may be: clock skew, not a typo in a year. */
export const SANE_TIME_AHEAD_MS = 24 * 60 * 60 * 1000;

/**
 * Whether `ms` is a plausible instant at `now`. Outside the range it is skipped: one year 275760
 * row made every report fail, and a SessionEnd ten years ahead would pin its session.
 */
export function isSaneTime(ms: number, now: number): boolean {
  return ms >= SANE_TIME_FROM_MS && ms <= now + SANE_TIME_AHEAD_MS;
}

/** Why `ms` fails isSaneTime, for a log line. */
export function insaneTimeReason(ms: number): string {
  return ms >= SANE_TIME_FROM_MS ? 'over a day ahead of now' : 'before 2023';
}
