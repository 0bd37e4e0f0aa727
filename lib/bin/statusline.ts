// dist/statusline.js, run as `ccx statusline` (through dist/ccx.js): loads the status line
// runtime with a V8 code cache, as the hooks do (lib/hook/start.ts); see lib/statusline.
import { join } from 'node:path';
import { requireCached } from '../code-cache';
import { appendLog, fileLogger } from '../log';
import { ccxHome, ccxPaths } from '../paths';

/** The runtime bundle's file name in dist/, content-hashed; set by scripts/build.mjs. */
declare const STATUSLINE_RUNTIME: string;

const paths = ccxPaths(ccxHome());
try {
  const { runStatusLine } = requireCached<typeof import('../statusline')>(
    join(__dirname, STATUSLINE_RUNTIME),
    paths.cache,
    fileLogger(paths.hooksLog),
  );
  void runStatusLine({ distDir: __dirname });
} catch (err) {
  appendLog(paths.hooksLog, `statusline: could not load its runtime: ${(err as Error).message}`);
  process.stdout.write('ccx\n');
}
