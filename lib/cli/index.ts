// lib/cli: the `ccx` command (see README.md). Its entry is lib/bin/ccx-cli.ts.

export { type ClaudeVersion, detectClaudeVersion } from './claude-version';
export type { CliContext } from './context';
export { runCli } from './main';
