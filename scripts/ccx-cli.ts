// dist/ccx-cli.js — the `ccx` command (profiles, hooks, doctor, shell integration).
process.stderr.write('ccx: not built yet\n');
process.exit(1);
