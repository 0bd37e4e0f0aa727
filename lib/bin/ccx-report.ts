// dist/ccx-report.js — the `ccx-report` command: one consolidation pass, then the report.
// The only place that reads the real clock and process streams; lib/report gets them injected.

import { endOnClosedPipe } from '../cli-kit';
import { consolidatorDeps, runOnce } from '../consolidator';
import { REPORT_WAIT_MS, reportCommandName } from '../contracts/render';
import { ccxHome, ccxPaths } from '../paths';
import { runReport } from '../report';

const name = reportCommandName(process.argv[1]);

endOnClosedPipe(process.stdout);
runReport({
  name,
  argv: process.argv.slice(2),
  env: process.env,
  clock: Date.now,
  stdout: process.stdout,
  stderr: process.stderr,
  consolidate: async (onScanProgress, zone) => {
    await runOnce(consolidatorDeps(process.env, { onScanProgress }), { timeoutMs: REPORT_WAIT_MS, zone });
  },
  // Required when asked: only a report with nothing recorded wants to know.
  hooksPresent: (p) => (require('../settings') as typeof import('../settings')).ccxHooksPresent(p),
  // Required here: only blocks --live runs the live view, and the report's start-up is its users' wait.
  live: (args) =>
    (require('../top') as typeof import('../top')).runTop(
      {
        env: process.env,
        paths: ccxPaths(ccxHome(process.env)),
        clock: Date.now,
        stdin: process.stdin,
        stdout: process.stdout,
        stderr: process.stderr,
        process,
      },
      { profiles: args.profiles, tz: args.timezone },
    ),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: Error) => {
    process.stderr.write(`${name}: ${err.message}\n`);
    process.exitCode = 1;
  },
);
