// lib/report: `ccx-report` (see README.md). Its entry is lib/bin/ccx-report.ts.
export type { ReportArgs } from './args';
export { BLOCK_MS, type Block, type BurnRate, burnRate, cutBlocks } from './blocks';
export { type SessionRow, sessionRows, type UsageEntry, usageEntries } from './query';
export { cutStart, gaugeBar } from './render/table';
export { type ReportIO, runReport } from './run';
