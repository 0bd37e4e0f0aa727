// Every file ccx reads or writes, derived from one root so tests can point it at a temp dir.
import { join } from 'node:path';

export type Env = Record<string, string | undefined>;

/** ccx's home when CCX_HOME is unset, under $HOME. lib/settings/guard.ts spells the same rule in sh. */
export const DEFAULT_HOME_DIR = '.ccx';
/** Under ccx's home: events a shell-only hook left for the consolidator (lib/inbox/spool.ts). */
export const SPOOL_DIR = 'spool';
/** Under ccx's home: the consolidator's quiet flags (lib/warnings/quiet.ts), tested by hook commands. */
export const QUIET_DIR = 'quiet';

export function ccxHome(env: Env = process.env): string {
  return env.CCX_HOME || join(homeDir(env), DEFAULT_HOME_DIR);
}

/** The config dir Claude Code uses when nothing else is said. */
export function defaultConfigDir(env: Env = process.env): string {
  return env.CLAUDE_CONFIG_DIR || join(homeDir(env), '.claude');
}

/** $HOME, else the passwd entry. node:os is loaded only then: hooks start without it. */
function homeDir(env: Env): string {
  return env.HOME || (require('node:os') as typeof import('node:os')).homedir();
}

/** Where lib/file-lock.ts keeps a file's edit lock (a directory); here so light code can name it. */
export const lockPath = (file: string): string => `${file}.lock`;

export function ccxPaths(home: string) {
  return {
    home,
    config: join(home, 'config.toml'),
    db: join(home, 'state.db'),
    inbox: join(home, 'inbox.jsonl'),
    quota: join(home, 'quota.json'),
    /** Inbox lines the consolidator could not apply, each with its error (lib/inbox/quarantine.ts). */
    quarantine: join(home, 'quarantine.jsonl'),
    pricing: join(home, 'pricing.yaml'),
    logs: join(home, 'logs'),
    hooksLog: join(home, 'logs', 'hooks.log'),
    consolidatorLog: join(home, 'logs', 'consolidator.log'),
    /** proper-lockfile's lock directory; its mtime is refreshed while the holder lives. */
    lock: join(home, 'consolidator.lock'),
    /** Written by the consolidator after it takes the lock: pid and start time. */
    pidFile: join(home, 'consolidator.pid'),
    /** A hook that spawns the consolidator creates this first (O_EXCL) so 200 hooks spawn one. */
    spawnClaim: join(home, 'consolidator.spawn'),
    /** `--once` callers drop a request here and wait for the running consolidator's answer. */
    requests: join(home, 'requests'),
    /** Per-session markers of which band a session has been told about. */
    told: join(home, 'told'),
    /** Per profile, when its last turn ended (a Stop hook's receive time, ms): lib/warnings/last-turn.ts. */
    lastTurn: join(home, 'last-turn'),
    /** Per profile, present while its hooks have nothing to say: lib/warnings/quiet.ts. */
    quiet: join(home, QUIET_DIR),
    spool: join(home, SPOOL_DIR),
    /** Per-profile memory of the last rate_limits the status line recorded. */
    statusline: join(home, 'statusline'),
    /** V8 code caches of the hook, status line and CLI runtimes (lib/code-cache). */
    cache: join(home, 'cache'),
  };
}
export type CcxPaths = ReturnType<typeof ccxPaths>;
