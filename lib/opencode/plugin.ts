// The OpenCode plugin ccx ships, bundled alone into dist/opencode-plugin.mjs (ESM: OpenCode
// imports plugins). The file `ccx hooks install` puts in OpenCode's plugins dir (install.ts)
// imports it and calls `ccxPlugin` with the profile. It runs inside OpenCode's process, so it
// never throws, never makes OpenCode wait (the event hook returns before the write, which goes
// through one queue off the event loop), holds a bounded queue and logs to hooks.log.
import { join } from 'node:path';
import { INBOX_VERSION, type InboxRecord } from '../contracts/inbox';
import { homeProblem } from '../home-trust';
import { appendInboxAsync, newEventId } from '../inbox';
import { appendLog } from '../log';
import { ccxHome, ccxPaths, type Env } from '../paths';
import { ensureConsolidator } from '../spawn';
import { eventMapper, type OpenCodeEvent } from './events';
import { openCodeDataDir } from './paths';

/** What install.ts writes into the plugin file: the profile, its data dir, and how to start the consolidator. */
export type PluginConfig = { profile: string; dataDir: string; node: string; distDir: string };

/** Records waiting for their write; past it new ones are dropped and logged (a stalled disk). */
export const MAX_PENDING = 256;
/** The consolidator's liveness is checked after a write at most this often (a stat and two reads each). */
export const ENSURE_EVERY_MS = 5_000;

type Hooks = { event?: (input: { event: OpenCodeEvent }) => Promise<void> };

export function ccxPlugin(config: PluginConfig, deps: { env?: Env; now?: () => number } = {}) {
  return async (input: { directory?: string }): Promise<Hooks> => {
    const env = deps.env ?? process.env;
    const now = deps.now ?? Date.now;
    const paths = ccxPaths(ccxHome(env));
    const log = (msg: string) => appendLog(paths.hooksLog, `opencode ${config.profile}: ${msg}`);
    try {
      // An unsafe home gets nothing, not even a log line (as the hooks: lib/README).
      if (homeProblem(paths)) return {};
      // The plugins dir may be shared by OpenCodes run with another XDG_DATA_HOME: not this profile's.
      const here = openCodeDataDir(env);
      if (here !== config.dataDir) {
        log(`not recording: this OpenCode's data dir is ${here}, the profile's is ${config.dataDir}`);
        return {};
      }
      const map = eventMapper(input.directory ?? process.cwd());
      let pending = 0;
      let tail: Promise<void> = Promise.resolve();
      let ensuredAt = Number.NEGATIVE_INFINITY;
      const write = async (record: InboxRecord) => {
        await appendInboxAsync(paths.inbox, record);
        if (record.received_at - ensuredAt < ENSURE_EVERY_MS) return;
        ensuredAt = record.received_at;
        ensureConsolidator(paths, join(config.distDir, 'consolidator.js'), record.received_at, config.node);
      };
      return {
        event: async ({ event }) => {
          try {
            const r = map(event);
            if (!r) return;
            if (pending >= MAX_PENDING) {
              log(`${r.event} dropped: ${pending} records still waiting to be written`);
              return;
            }
            const at = now();
            const record: InboxRecord = {
              v: INBOX_VERSION,
              id: newEventId(at),
              kind: 'hook',
              received_at: at,
              profile: config.profile,
              config_dir: config.dataDir,
              // The record's agent (contracts/inbox, as Codex's hooks mark theirs).
              agent: 'opencode',
              event: r.event,
              payload: r.payload,
            };
            pending++;
            tail = tail
              .then(() => write(record))
              .catch((err: Error) => log(`${record.event} lost: ${err.message}`))
              .finally(() => {
                pending--;
              });
          } catch (err) {
            log(`event ${event?.type}: ${(err as Error).message}`);
          }
        },
      };
    } catch (err) {
      log(`not loaded: ${(err as Error).message}`);
      return {};
    }
  };
}
