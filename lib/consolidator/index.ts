// lib/consolidator: the single background process, and `--once` passes (see README.md).

export { type DaemonOpts, type Renderer, runDaemon } from './daemon';
export { consolidatorDeps, envMs } from './deps';
export { ConsolidatorBusyError, type OnceResult, runOnce } from './once';
export { lowerOwnPriority } from './priority';
export { renderedByLive } from './rendered';
export { createRequest, removeRequest } from './requests';
