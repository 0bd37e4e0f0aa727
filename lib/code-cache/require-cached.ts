// Loading a bundle (the hook runtime, the status line, the CLIs) with a V8 code cache: what Node
// 22's module.enableCompileCache() does, for Node 20, our floor. Compiling a runtime and running
// its functions for the first time costs a hook ~3 ms of its ~10 ms over node's boot, a warm
// `ccx-report` ~40 ms; with the cache V8 takes the compiled code as is. The cache is written once
// per bundle and Node version, at the exit of the first process that lacked it (or had it
// rejected), into $CCX_HOME/cache.
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';
import type { Logger } from '../log';
import { type CacheLookup, readCache, writeCache } from './cache-file';

const NO_CACHE: CacheLookup = { mayWrite: false };

/** A process says once why it compiles without a cache that is there, however many it refuses. */
let refusalLogged = false;

/**
 * Evaluates the CommonJS file `file` as require() would and returns its exports. A null
 * `cacheDir` compiles without a cache: the home it would live in is not safe (lib/home-trust.ts).
 */
export function requireCached<T>(file: string, cacheDir: string | null, log: Logger): T {
  const source = readFileSync(file);
  const cachePath = cacheDir === null ? null : join(cacheDir, `${basename(file)}.${process.version}-${process.arch}.v8`);
  const found = cachePath === null ? NO_CACHE : readCache(cachePath, source);
  if (found.refused && !refusalLogged) {
    refusalLogged = true;
    log(`code cache refused, compiling from source: ${found.refused}`);
  }
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source.toString('utf8')}\n})`;
  const script = new Script(wrapped, { filename: file, cachedData: found.data });
  if (cachePath !== null && found.mayWrite && (found.data === undefined || script.cachedDataRejected)) {
    process.once('exit', () => writeCache(cachePath, source, script.createCachedData()));
  }
  const mod = { exports: {} as T };
  script.runInThisContext()(mod.exports, require, mod, file, dirname(file));
  return mod.exports;
}
