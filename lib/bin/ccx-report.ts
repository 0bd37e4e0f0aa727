// dist/ccx-report.js — the `ccx-report` command: one consolidation pass, then the report.
// The only place that reads the real clock and process streams; lib/report gets them injected.
import { consolidatorDeps, runOnce } from '../consolidator';
import { runReport } from '../report';

/** A running consolidator normally answers within seconds; past this, report what is committed. */
const CONSOLIDATE_TIMEOUT_MS = 5 * 60_000;

runReport({
  argv: process.argv.slice(2),
  env: process.env,
  clock: Date.now,
  stdout: process.stdout,
  stderr: process.stderr,
  consolidate: async (onScanProgress) => {
    await runOnce(consolidatorDeps(process.env, { onScanProgress }), { timeoutMs: CONSOLIDATE_TIMEOUT_MS });
  },
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: Error) => {
    process.stderr.write(`ccx-report: ${err.message}\n`);
    process.exitCode = 1;
  },
);
