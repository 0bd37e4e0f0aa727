// One line of $CCX_HOME/inbox.jsonl: written by hooks and `ccx statusline`, applied by the
// consolidator. `id` is unique per record and makes re-application idempotent.
import * as z from 'zod/mini';
import { AGENTS } from './profile';

export const INBOX_VERSION = 1;

export const inboxRecordSchema = /* @__PURE__ */ (() =>
  z.looseObject({
    v: z.literal(INBOX_VERSION),
    id: z.string().check(z.minLength(8), z.maxLength(64)),
    kind: z.enum(['hook', 'statusline']),
    /** ms since epoch, when the hook received the event (the event's own time). */
    received_at: z.number(),
    /** From `--profile NAME` in the hook command; null when the hook was registered without one. */
    profile: z.nullable(z.string()),
    /** The Claude Code config dir the event came from, when known: resolves the profile. */
    config_dir: z.nullable(z.string()),
    /** The agent whose hook wrote it, from `--agent` (Codex's hooks); absent: Claude Code's, or unknown. */
    agent: z.optional(z.enum(AGENTS)),
    /** hook_event_name for hooks, 'StatusLine' for status line records. */
    event: z.string(),
    payload: z.record(z.string(), z.unknown()),
  }))();
export type InboxRecord = z.infer<typeof inboxRecordSchema>;
