// The consolidator's dependencies as the real processes build them from the environment.

import { fileLogger } from '../log';
import { ccxHome, ccxPaths, type Env } from '../paths';
import { resolveTimeZone } from '../time';
import type { ConsolidatorDeps } from './consolidator';

export function consolidatorDeps(env: Env = process.env, overrides: Partial<ConsolidatorDeps> = {}): ConsolidatorDeps {
  const paths = ccxPaths(ccxHome(env));
  const log = fileLogger(paths.consolidatorLog);
  return {
    paths,
    env,
    now: Date.now,
    tz: resolveTimeZone(env.TZ, log),
    log,
    ...overrides,
  };
}

/** Milliseconds from an environment variable, or the default when unset or not a number. */
export function envMs(env: Env, name: string, dflt: number): number {
  const v = Number(env[name]);
  return env[name] !== undefined && Number.isFinite(v) && v >= 0 ? v : dflt;
}
