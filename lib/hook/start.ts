// What each dist/hooks/<event>.js does: load the hook runtime (one bundle shared by all hooks,
// with a V8 code cache under $CCX_HOME/cache) and run it. If even that fails, log and exit 0.
import { join, resolve } from 'node:path';
import { requireCached } from '../code-cache';
import type { HookEventName } from '../contracts/hook-input';
import { homeProblem } from '../home-trust';
import { appendLog, fileLogger } from '../log';
import { ccxHome, ccxPaths } from '../paths';

/** The runtime bundle's file name in dist/hooks, content-hashed; set by scripts/build.mjs. */
declare const HOOK_RUNTIME: string;

export function startHook(event: HookEventName, hooksDir: string): void {
  const paths = ccxPaths(ccxHome());
  // An unsafe home gets nothing from a hook, not even a log line (`ccx doctor` says what is
  // wrong). Checked here, once, before any code or cache is loaded: runHook relies on it.
  if (homeProblem(paths)) process.exit(0);
  try {
    const { runHook } = requireCached<typeof import('./run')>(join(hooksDir, HOOK_RUNTIME), paths.cache, fileLogger(paths.hooksLog));
    void runHook(event, { distDir: resolve(hooksDir, '..') });
  } catch (err) {
    appendLog(paths.hooksLog, `${event}: could not load the hook runtime: ${(err as Error).message}`);
    process.exit(0);
  }
}
