// lib/report: `ccx-report` (see README.md). Its entry is lib/bin/ccx-report.ts.
// Besides it, the queries, views and rendering pieces `ccx top` (lib/top) and `ccx serve`
// (lib/serve) show live.
export { type AgentOf, agentsOf } from './agents';
export { defaultArgs, parseDay, type ReportArgs } from './args';
export { BLOCK_MS, type Block, type BurnRate, burnRate, cutBlocks } from './blocks';
export {
  dayFacts,
  dayGrain,
  type Fact,
  type Filters,
  failures,
  type SessionRow,
  sessionRows,
  type UsageEntry,
  usageEntries,
  usageFacts,
} from './query';
export { dayBounds } from './range';
export { blocksHtml, CSS as REPORT_CSS, quotaHtml } from './render/html';
export { money as roundUsd } from './render/json';
export { blocksDoc, costCell, failuresBlock, sessionsDoc } from './render/sections';
export { COST_COLOR, chartLegend, esc, gauge, stackedBar } from './render/svg';
export { cutStart, gaugeBar } from './render/table';
export { type ReportRendererDeps, reportRenderer } from './rendered';
export { type ReportIO, runReport } from './run';
export { sumUsage, type Usage } from './usage';
export { blocksView } from './views/blocks';
export { quotaViewOf } from './views/quota';
export { type SessionTelemetry as ReportSessionTelemetry, sessionsViewOf } from './views/sessions';
