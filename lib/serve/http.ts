// The HTTP side of `ccx serve`: 127.0.0.1 only, the Host header checked (DNS rebinding: a page
// on another name that resolves to 127.0.0.1 must not reach us), the start token required on
// every request, no CORS headers (browsers then keep other origins' pages from reading answers).
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Route = (url: URL) => { status: number; body: unknown };

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`${JSON.stringify(body)}\n`);
}

/** Listens on 127.0.0.1:port (0: any free port); resolves with the port actually bound. */
export function startServer(port: number, token: () => string, route: Route): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const bound = (server.address() as AddressInfo).port;
    if (!hostAllowed(req, bound)) return sendJson(res, 421, { error: 'unexpected Host header' });
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${bound}`);
    if (!authorized(req, url, token())) return sendJson(res, 401, { error: 'missing or wrong token' });
    if (req.method !== 'GET') return sendJson(res, 405, { error: 'only GET' });
    const { status, body } = route(url);
    sendJson(res, status, body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port }));
  });
}

function hostAllowed(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host;
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

function authorized(req: IncomingMessage, url: URL, token: string): boolean {
  const header = req.headers.authorization;
  const given = header?.startsWith('Bearer ') ? header.slice(7) : url.pathname === '/' ? url.searchParams.get('token') : null;
  return given !== null && given !== undefined && sameSecret(given, token);
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
