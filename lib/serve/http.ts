// The HTTP side of `ccx serve`: 127.0.0.1 only, the Host header checked (DNS rebinding: a page
// on another name that resolves to 127.0.0.1 must not reach us), the start token required on
// every request, no CORS headers (browsers then keep other origins' pages from reading answers).
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a route answers: a body of some type, a redirect, or a stream it keeps writing to. */
export type Reply =
  | { kind: 'json'; status: number; body: unknown }
  | { kind: 'html' | 'text'; status: number; body: string }
  | { kind: 'stream'; open: (res: ServerResponse) => void };

export type Route = (url: URL) => Reply;

/** The dashboard's cookie: set from `?token=` on the first load, sent back by the page's requests. */
export const TOKEN_COOKIE = 'ccx_token';

export const json = (status: number, body: unknown): Reply => ({ kind: 'json', status, body });
export const failure = (status: number, error: string): Reply => json(status, { error });

const TYPES = { json: 'application/json', html: 'text/html', text: 'text/plain; version=0.0.4' } as const;

function send(res: ServerResponse, reply: Reply): void {
  if (reply.kind === 'stream') {
    reply.open(res);
    return;
  }
  const text = reply.kind === 'json' ? `${JSON.stringify(reply.body)}\n` : reply.body;
  res.writeHead(reply.status, {
    'content-type': `${TYPES[reply.kind]}; charset=utf-8`,
    'cache-control': 'no-store',
    // The dashboard runs only its own inline script and style, and fetches only from this server.
    ...(reply.kind === 'html' && {
      'content-security-policy':
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:",
    }),
  });
  res.end(text);
}

/** Listens on 127.0.0.1:port (0: any free port); resolves with the port actually bound. */
export function startServer(
  port: number,
  token: () => string,
  route: Route,
  onError: (err: Error) => void,
): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const bound = (server.address() as AddressInfo).port;
    if (!hostAllowed(req, bound)) return send(res, failure(421, 'unexpected Host header'));
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${bound}`);
    if (req.method !== 'GET') return send(res, failure(405, 'only GET'));
    if (url.pathname === '/' && url.searchParams.has('token')) return firstLoad(res, url, token());
    if (!authorized(req, token())) return send(res, failure(401, 'missing or wrong token'));
    let reply: Reply;
    try {
      reply = route(url);
    } catch (err) {
      onError(err as Error);
      reply = failure(500, 'internal error (see the consolidator log)');
    }
    send(res, reply);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port }));
  });
}

/**
 * `GET /?token=…`: the token moves into an HttpOnly, SameSite=Strict cookie (no script reads it,
 * no other site's page sends it) and the browser goes back to `/`, so the token leaves the URL
 * bar and the history.
 */
function firstLoad(res: ServerResponse, url: URL, token: string): void {
  if (!sameSecret(url.searchParams.get('token') ?? '', token)) {
    send(res, failure(401, 'missing or wrong token'));
    return;
  }
  res.writeHead(303, {
    location: '/',
    'set-cookie': `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
    'cache-control': 'no-store',
  });
  res.end();
}

function hostAllowed(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host;
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

function authorized(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization;
  const given = header?.startsWith('Bearer ') ? header.slice(7) : cookie(req, TOKEN_COOKIE);
  return given !== null && sameSecret(given, token);
}

function cookie(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
