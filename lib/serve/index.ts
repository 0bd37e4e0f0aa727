// lib/serve: `ccx serve`'s local HTTP API and daemon.json (see README.md).

export { daemonFilePath, newStartToken, readDaemonFile, type ServeState, serveState, writeDaemonFile } from './daemon-file';
export { startServer } from './http';
export { type ApiProfileQuota, quotaView } from './quota-view';
export { apiRoutes } from './routes';
