// $CCX_HOME/daemon.json: written by `ccx serve` while it runs (lib/serve), read by `ccx status`,
// `ccx doctor` and anything that wants the local API. Also the body of GET /api/status.
import * as z from 'zod/mini';

export const processIdentitySchema = /* @__PURE__ */ (() =>
  /** pid plus /proc start time (lib/lock-holder.ts procStart): a reused pid has another start. */
  z.object({ pid: z.number(), proc_start: z.nullable(z.string()) }))();
export type ProcessIdentity = z.infer<typeof processIdentitySchema>;

export const daemonStatusSchema = /* @__PURE__ */ (() =>
  z.object({
    pid: z.number(),
    version: z.string(),
    started_at: z.string(),
    port: z.number(),
    url: z.string(),
    db_path: z.string(),
    log_path: z.string(),
    executable_path: z.string(),
    /** The bearer token every request must carry; daemon.json is 0600 so only the user reads it. */
    start_token: z.string(),
    process_identity: processIdentitySchema,
    profiles_watched: z.array(z.string()),
    /** false once serve has shut down cleanly. */
    running: z.boolean(),
  }))();
export type DaemonStatus = z.infer<typeof daemonStatusSchema>;
