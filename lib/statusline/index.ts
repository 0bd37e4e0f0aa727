// lib/statusline: `ccx statusline` (see README.md). Its loader is lib/bin/statusline.ts, which
// runs run.ts as a separate, code-cached bundle.
export { runStatusLine, type StatusLineDeps } from './run';
