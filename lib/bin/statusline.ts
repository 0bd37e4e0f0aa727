// dist/statusline.js, run as `ccx statusline` (through dist/ccx.js): loads the status line
// runtime with a V8 code cache, as the hooks do (lib/hook/start.ts); see lib/statusline.
import { join } from 'node:path';
import { requireCached } from '../code-cache';
import { homeProblem } from '../home-trust';
import { appendLog, fileLogger } from '../log';
import { ccxHome, ccxPaths } from '../paths';

/** The runtime bundle's file name in dist/, content-hashed; set by scripts/build.mjs. */
declare const STATUSLINE_RUNTIME: string;

const paths = ccxPaths(ccxHome());
if (homeProblem(paths)) {
  // Unlike a hook's, this line is always on screen: the place to say ccx has stopped recording.
  // Checked before any code or cache is loaded; runStatusLine relies on it.
  process.stdout.write('ccx ⚠ unsafe CCX_HOME: run ccx doctor\n');
  process.exit(0);
}
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
