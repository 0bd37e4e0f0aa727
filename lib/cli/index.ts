// lib/cli: the `ccx` command (see README.md). Its entry is lib/bin/ccx-cli.ts.
export { runCli } from './main';
export type { CliContext } from './context';
