// lib/opencode: OpenCode's usage (its SQLite database, read-only) into the ledger, and the plugin
// that feeds ccx's inbox from inside OpenCode (see README.md).

export { openCodeConfigDir, openCodeDatabases, openCodeDataDir } from './paths';
export { type OpenCodeScanOpts, type OpenCodeScanStats, scanOpenCode } from './scan';
