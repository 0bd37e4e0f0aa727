// The API's endpoints: JSON, snake_case, read from the files the consolidator keeps current.
import type { DaemonStatus } from '../contracts/daemon';
import type { CcxPaths } from '../paths';
import { readSnapshot } from '../warnings';
import type { Route } from './http';
import { quotaView } from './quota-view';

export function apiRoutes(paths: CcxPaths, status: () => DaemonStatus): Route {
  return (url) => {
    switch (url.pathname) {
      case '/api/status':
        return { status: 200, body: status() };
      case '/api/quota':
        return { status: 200, body: quotaView(readSnapshot(paths.quota)) };
      default:
        return { status: 404, body: { error: `no such endpoint: ${url.pathname}` } };
    }
  };
}
