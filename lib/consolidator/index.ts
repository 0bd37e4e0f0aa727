// lib/consolidator: the single background process, and `--once` passes (see README.md).
export { consolidatorDeps, envMs } from './deps';
export { runOnce, ConsolidatorBusyError, type OnceResult } from './once';
export { runDaemon, type DaemonOpts } from './daemon';
