// lib/report: `ccx-report` (see README.md). Its entry is lib/bin/ccx-report.ts.
export { type ReportIO, runReport } from './run';
