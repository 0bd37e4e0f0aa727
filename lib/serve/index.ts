// lib/serve: `ccx serve`'s local HTTP API, live events, dashboard and daemon.json (see README.md).

export type { ApiProfileQuota } from '../contracts/api';
export { bandRises, usageEvent } from './crossings';
export { daemonFilePath, newStartToken, readDaemonFile, type ServeState, serveState, writeDaemonFile } from './daemon-file';
export { startServer } from './http';
export { LiveHub } from './live';
export { quotaView } from './quota-view';
export { apiRoutes, type ServeContext } from './routes';
