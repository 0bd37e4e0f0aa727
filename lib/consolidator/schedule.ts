// When the daemon scans transcripts and rewrites quota.json: coalesced during a burst of hook
// events (a session at work), at once for a `--once` request, and on floors when idle.
// Pure over the times it is given, so the rule is tested on simulated timelines.

/**
 * Hook events arrive several times a second in a busy session; a transcript scan and a quota
 * recomputation follow them at most this often (a `--once` request is always served at once).
 */
export const BUSY_GAP_MS = 1000;
/**
 * While events keep arriving (a session at work) transcripts are scanned only this often: each
 * scan lists and stats every transcript, work that can wait for the burst to end.
 */
export const BURST_SCAN_EVERY_MS = 10_000;

export type ScheduleState = {
  now: number;
  /** A `--once` caller is waiting. */
  asked: boolean;
  /** When the inbox last held events. */
  lastEvent: number;
  lastScan: number;
  /** An event asked for a scan that the burst postponed. */
  scanPending: boolean;
  scanEveryMs: number;
};

export function scanDue(s: ScheduleState): boolean {
  const sinceScan = s.now - s.lastScan;
  const burst = s.now - s.lastEvent < BUSY_GAP_MS;
  return s.asked || (!burst && (s.scanPending || sinceScan >= s.scanEveryMs)) || sinceScan >= Math.max(s.scanEveryMs, BURST_SCAN_EVERY_MS);
}

export type QuotaState = { now: number; asked: boolean; lastQuota: number; quotaPending: boolean; quotaEveryMs: number };

export function quotaDue(s: QuotaState): boolean {
  const sinceQuota = s.now - s.lastQuota;
  return s.asked || (s.quotaPending && sinceQuota >= BUSY_GAP_MS) || sinceQuota >= s.quotaEveryMs;
}
