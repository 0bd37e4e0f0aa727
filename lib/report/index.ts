// lib/report: `ccx-report` (see README.md). Its entry is lib/bin/ccx-report.ts.
// Besides it, the queries, views and HTML pieces `ccx serve` (lib/serve) shows live.
export { defaultArgs, parseDay } from './args';
export { BLOCK_MS, type Block, cutBlocks } from './blocks';
export { dayFacts, dayGrain, type Fact, type Filters, failures, type UsageEntry, usageEntries, usageFacts } from './query';
export { dayBounds } from './range';
export { blocksHtml, CSS as REPORT_CSS, quotaHtml } from './render/html';
export { money as roundUsd } from './render/json';
export { blocksDoc, failuresBlock, sessionsDoc } from './render/sections';
export { COST_COLOR, chartLegend, esc, gauge, stackedBar } from './render/svg';
export { type ReportIO, runReport } from './run';
export { sumUsage, type Usage } from './usage';
export { quotaViewOf } from './views/quota';
export { type SessionTelemetry as ReportSessionTelemetry, sessionTelemetry } from './views/sessions';
