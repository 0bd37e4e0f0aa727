// The API's endpoints: JSON, snake_case, read from the files the consolidator keeps current.
import type { DaemonStatus } from '../contracts/daemon';
import type { CcxPaths } from '../paths';
import { readSnapshot } from '../warnings';
import type { Route } from './http';
import { quotaView } from './quota-view';

/** `status` is null until the consolidator lock is held: the API answers 503 until then. */
export function apiRoutes(paths: CcxPaths, status: () => DaemonStatus | null): Route {
  return (url) => {
    const current = status();
    if (!current) return { status: 503, body: { error: 'waiting for the consolidator lock' } };
    switch (url.pathname) {
      case '/api/status':
        return { status: 200, body: current };
      case '/api/quota':
        return { status: 200, body: quotaView(readSnapshot(paths.quota)) };
      default:
        return { status: 404, body: { error: `no such endpoint: ${url.pathname}` } };
    }
  };
}
