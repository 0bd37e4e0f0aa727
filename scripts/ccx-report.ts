// dist/ccx-report.js — the `ccx-report` command.
process.stderr.write('ccx-report: not built yet\n');
process.exit(1);
