// GET /api/recommendations/live: a Server-Sent Events stream per client. Events: `recommendation`
// (a RecommendationEvent), `usage` (a UsageEvent, also sent at once to a new client so a page has
// figures before the next pass); a comment line every HEARTBEAT_MS keeps proxies and the
// browser's EventSource from timing the connection out.
import type { ServerResponse } from 'node:http';

export const HEARTBEAT_MS = 15_000;
/** What EventSource waits before reconnecting after the stream dropped (serve restarted). */
const RETRY_MS = 2_000;

export type LiveEvent = { event: 'recommendation' | 'usage'; data: unknown };

export class LiveHub {
  private readonly clients = new Set<ServerResponse>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly current: () => LiveEvent | null,
    heartbeatMs = HEARTBEAT_MS,
  ) {
    this.timer = setInterval(() => this.write(': heartbeat\n\n'), heartbeatMs);
    this.timer.unref();
  }

  open(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(`retry: ${RETRY_MS}\n\n`);
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
    const first = this.current();
    if (first) res.write(frame(first));
  }

  send(e: LiveEvent): void {
    this.write(frame(e));
  }

  get size(): number {
    return this.clients.size;
  }

  close(): void {
    clearInterval(this.timer);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private write(text: string): void {
    for (const res of this.clients) res.write(text);
  }
}

/** JSON has no raw newlines, so one `data:` line always holds the whole event. */
const frame = (e: LiveEvent) => `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`;
