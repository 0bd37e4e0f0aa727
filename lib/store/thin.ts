// Old hook payloads thinned: after PAYLOAD_KEEP_MS a hook_events row keeps its key (the event id
// that makes applying a record idempotent), session, event and time, and of its payload only what
// a report still reads (a StopFailure's `error`). Everything derived from it is in other tables.
import type { Db } from './open';

export const PAYLOAD_KEEP_MS = 90 * 86_400_000;

/** Thins the payloads of events older than `now - PAYLOAD_KEEP_MS`; returns how many rows changed. */
export function thinOldPayloads(db: Db, now: number): number {
  return db
    .prepare(
      `UPDATE hook_events
          SET payload = CASE WHEN event = 'StopFailure' AND json_valid(payload) AND json_type(payload, '$.error') IS NOT NULL
                             THEN json_object('error', json_extract(payload, '$.error')) ELSE '{}' END
        WHERE ts < ? AND payload <> '{}' AND NOT (event = 'StopFailure' AND json_valid(payload) AND payload = json_object('error', json_extract(payload, '$.error')))`,
    )
    .run(now - PAYLOAD_KEEP_MS).changes;
}
