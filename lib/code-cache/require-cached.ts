// Loading a bundle (the hook runtime, the status line, the CLIs) with a V8 code cache: what Node
// 22's module.enableCompileCache() does, for Node 20, our floor. Compiling a runtime and running
// its functions for the first time costs a hook ~3 ms of its ~10 ms over node's boot, a warm
// `ccx-report` ~40 ms; with the cache V8 takes the compiled code as is. The cache is written once
// per bundle and Node version, at the exit of the first process that lacked it (or had it
// rejected), into $CCX_HOME/cache.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** Another bundle's (or Node version's) cache untouched this long is removed. */
export const STALE_CACHE_MS = 7 * 24 * 3600_000;

/**
 * Evaluates the CommonJS file `file` as require() would and returns its exports.
 *
 * Invariant: `file`'s name must change whenever its content does (the build names runtime
 * bundles by content hash). V8 checks a cache against its own version and flags and against the
 * source's length only, so a same-length edit under the same name would run stale code.
 */
export function requireCached<T>(file: string, cacheDir: string): T {
  const source = readFileSync(file, 'utf8');
  const cachePath = join(cacheDir, `${basename(file)}.${process.version}-${process.arch}.v8`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cachePath);
  } catch {
    // No cache yet: compile from source and write one at exit.
  }
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) process.once('exit', () => saveCache(script, cachePath));
  const mod = { exports: {} as T };
  script.runInThisContext()(mod.exports, require, mod, file, dirname(file));
  return mod.exports;
}

/** Best effort: the cache is only an optimisation, so every failure here is silent. */
function saveCache(script: Script, cachePath: string): void {
  try {
    const dir = dirname(cachePath);
    // Never creates $CCX_HOME itself: a command that just removed it (uninstall) leaves it gone.
    if (!existsSync(dir)) mkdirSync(dir, { mode: 0o700 });
    // Written whole under a temporary name, then renamed: a reader never sees half a cache.
    const tmp = `${cachePath}.${process.pid}.tmp`;
    writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
    renameSync(tmp, cachePath);
    pruneStale(dir, basename(cachePath), Date.now());
  } catch {
    // Unwritable or full: next time compiles from source again.
  }
}

function pruneStale(dir: string, keep: string, now: number): void {
  for (const name of readdirSync(dir)) {
    if (name === keep || !(name.endsWith('.v8') || name.endsWith('.tmp'))) continue;
    const path = join(dir, name);
    const st = statSync(path, { throwIfNoEntry: false });
    if (st && now - st.mtimeMs > STALE_CACHE_MS) unlinkSync(path);
  }
}
