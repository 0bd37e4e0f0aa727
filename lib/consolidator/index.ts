// lib/consolidator: the single background process, and `--once` passes (see README.md).

export { type DaemonOpts, runDaemon } from './daemon';
export { consolidatorDeps, envMs } from './deps';
export { ConsolidatorBusyError, type OnceResult, runOnce } from './once';
export { lowerOwnPriority } from './priority';
export { createRequest, removeRequest } from './requests';
