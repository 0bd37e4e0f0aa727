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
