// lib/opencode: OpenCode's usage (its SQLite database, read-only) into the ledger, and the plugin
// that feeds ccx's inbox from inside OpenCode (see README.md). plugin.ts is not named here: it is
// its own bundle (dist/opencode-plugin.mjs), which the plugin file install.ts writes imports.
export { installOpenCodePlugin, openCodePluginStatus, type PluginContext, type PluginState, uninstallOpenCodePlugin } from './install';
export { openCodeConfigDir, openCodeDatabases } from './paths';
export { type OpenCodeScanOpts, type OpenCodeScanStats, scanOpenCode } from './scan';
