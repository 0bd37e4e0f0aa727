// dist/ccx.js — a dispatcher small enough that `ccx statusline`, which Claude Code runs as often
// as a hook, starts as fast as one: the full CLI (dist/ccx-cli.js) is loaded only for the rest,
// and `ccx report` runs dist/ccx-report.js itself.
import { join } from 'node:path';

/** The file `ccx <command>` runs: the status line and `ccx report` (= ccx-report) have their own. */
function targetOf(command: string | undefined, rest: string[]): string {
  // `ccx statusline --help` is for a person: the full CLI prints it.
  if (command === 'statusline' && !rest.some((a) => a === '-h' || a === '--help')) return 'statusline.js';
  return command === 'report' ? 'ccx-report.js' : 'ccx-cli.js';
}

const target = targetOf(process.argv[2], process.argv.slice(3));
// ccx-report reads its arguments from argv[2] on: `ccx report daily` is `ccx-report daily`.
if (target === 'ccx-report.js') process.argv.splice(2, 1);
// A computed path keeps esbuild from bundling the target into this file.
require(join(__dirname, target));
