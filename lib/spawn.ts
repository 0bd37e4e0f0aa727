// Lazy start of the consolidator from a hook: a stat and two small reads when it is alive
// (lock-holder.ts); when it is not, one O_EXCL claim file so that a burst of hooks spawns one process, not one each. No heavy imports:
// this runs on the hook path.
import { closeSync, mkdirSync, openSync, statSync, unlinkSync } from 'node:fs';
import { lockHolder } from './lock-holder';
import type { CcxPaths } from './paths';

/** A spawn claim younger than this means another hook just started one: don't start another. */
export const SPAWN_CLAIM_MS = 5_000;

/**
 * Starts `node consolidatorJs` detached unless one is alive or being started. True if spawned.
 * `node`: the caller's own runtime unless it is not node (OpenCode's plugin runs in OpenCode's Bun).
 */
export function ensureConsolidator(paths: CcxPaths, consolidatorJs: string, now: number, node: string = process.execPath): boolean {
  if (lockHolder(paths, now).state === 'live') return false;
  if (!claimSpawn(paths, now)) return false;
  // Loaded lazily: child_process costs start-up time we only pay when we really spawn.
  const { spawn } = require('node:child_process') as typeof import('node:child_process');
  const child = spawn(node, [consolidatorJs], { detached: true, stdio: 'ignore' });
  child.unref();
  return true;
}

function claimSpawn(paths: CcxPaths, now: number): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      closeSync(openSync(paths.spawnClaim, 'wx', 0o600));
      return true;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        mkdirSync(paths.home, { recursive: true, mode: 0o700 });
        continue;
      }
      if (code !== 'EEXIST') throw err;
      const st = statSync(paths.spawnClaim, { throwIfNoEntry: false });
      if (st && now - st.mtimeMs < SPAWN_CLAIM_MS) return false;
      // A claim left by a spawn that never took the lock: clear it and try once more.
      try {
        unlinkSync(paths.spawnClaim);
      } catch {
        // Someone else cleared it first; the next attempt decides.
      }
    }
  }
  return false;
}
