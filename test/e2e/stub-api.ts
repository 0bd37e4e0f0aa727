// A stand-in for the Anthropic Messages API, good enough for the real Claude Code CLI to run a
// whole session against it on 127.0.0.1. Main-thread requests are answered from a script (text,
// tool_use, error); side requests Claude Code makes on its own are answered with plain text so
// they never eat the script.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Reply =
  | { kind: 'text'; text: string }
  /** `text`, when given, comes first in the same response, as models usually do. */
  | { kind: 'tool_use'; name: string; input: Record<string, unknown>; text?: string }
  /** `times` > 1 repeats the error, so Claude Code's own retries also see it. */
  | { kind: 'error'; status: number; type: string; message: string; times?: number };

export const text = (t: string): Reply => ({ kind: 'text', text: t });
export const toolUse = (name: string, input: Record<string, unknown>, text?: string): Reply => ({
  kind: 'tool_use',
  name,
  input,
  ...(text === undefined ? {} : { text }),
});
export const rateLimited = (times = 1): Reply => ({
  kind: 'error',
  status: 429,
  type: 'rate_limit_error',
  message: 'Number of request tokens has exceeded your per-minute rate limit',
  times,
});
export const unauthorized = (times = 1): Reply => ({
  kind: 'error',
  status: 401,
  type: 'authentication_error',
  message: 'invalid x-api-key',
  times,
});

/** A request as a stub saw it (shared by the Codex stub). */
export interface HttpRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, or the raw text when it was not JSON. */
  body: unknown;
}

/** The request's method, path, headers and body (JSON when it parses: a test may want the raw text otherwise). */
export function captureRequest(req: IncomingMessage, raw: string): HttpRequest {
  let body: unknown = raw;
  try {
    body = raw ? JSON.parse(raw) : undefined;
  } catch {
    // keep the raw text: a test may want to see what was sent
  }
  return { method: req.method ?? '', path: new URL(req.url ?? '/', 'http://stub').pathname, headers: req.headers, body };
}

export interface CapturedRequest extends HttpRequest {
  /** True when classified as a side request (title, quota probe...) and answered with text. */
  side: boolean;
  /** What the stub answered: the reply kind, or 'unknown' for unhandled paths. */
  answered: Reply['kind'] | 'count_tokens' | 'models' | 'unknown';
}

export interface StubApiOptions {
  /** Replies for main-thread /v1/messages requests, in order; when empty, `defaultText`. */
  script?: Reply[];
  defaultText?: string;
  /** Usage numbers put into every response (defaults are small and non-zero). */
  usage?: Partial<Usage>;
  /** Milliseconds every /v1/messages response waits before it is sent, as a real model would. */
  latencyMs?: number;
}

export interface StubApi {
  url: string;
  port: number;
  requests: CapturedRequest[];
  /** Paths nobody implemented: Claude Code started calling something new. */
  unknownPaths: string[];
  /** Main-thread replies still queued. */
  pending(): number;
  close(): Promise<void>;
}

interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
  cache_5m: number;
  cache_1h: number;
}

const DEFAULT_USAGE: Usage = {
  input_tokens: 12,
  output_tokens: 5,
  cache_read_input_tokens: 100,
  cache_creation_input_tokens: 30,
  cache_5m: 20,
  cache_1h: 10,
};

const MAX_BODY = 50 * 1024 * 1024;

type Block = { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

type Body = { model?: unknown; stream?: unknown; tools?: unknown; system?: unknown; max_tokens?: unknown };

/**
 * Side requests carry no tools (title generation, topic detection, the 1-token quota probe) or
 * use a haiku model. Every main-thread and subagent request of Claude Code sends its tool list.
 */
export function isSideRequest(body: Body): boolean {
  const model = typeof body.model === 'string' ? body.model : '';
  const tools = Array.isArray(body.tools) ? body.tools : [];
  return /haiku/i.test(model) || tools.length === 0;
}

export async function startStubApi(opts: StubApiOptions = {}): Promise<StubApi> {
  const script = [...(opts.script ?? [])];
  const usage = { ...DEFAULT_USAGE, ...opts.usage };
  const requests: CapturedRequest[] = [];
  const unknownPaths: string[] = [];
  let seq = 0;

  const server = createServer((req, res) => {
    readBody(req)
      .then((raw) => delay(req).then(() => handle(req, res, raw)))
      .catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify(apiError('api_error', String(err))));
      });
  });

  const delay = (req: IncomingMessage): Promise<void> =>
    opts.latencyMs && req.url?.startsWith('/v1/messages') && !req.url.startsWith('/v1/messages/count_tokens')
      ? new Promise((resolve) => setTimeout(resolve, opts.latencyMs))
      : Promise.resolve();

  function handle(req: IncomingMessage, res: ServerResponse, raw: string): void {
    const captured: CapturedRequest = { ...captureRequest(req, raw), side: false, answered: 'unknown' };
    const { path, body } = captured;
    const b: Body = body && typeof body === 'object' ? (body as Body) : {};
    requests.push(captured);
    const id = ++seq;
    const headers = { 'request-id': `req_stub_${id}` };

    if (req.method === 'POST' && path === '/v1/messages/count_tokens') {
      captured.answered = 'count_tokens';
      json(res, 200, headers, { input_tokens: usage.input_tokens });
      return;
    }
    if (req.method === 'GET' && (path === '/v1/models' || path.startsWith('/v1/models/'))) {
      captured.answered = 'models';
      const model = { type: 'model', id: 'claude-sonnet-4-5', display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z' };
      json(res, 200, headers, path === '/v1/models' ? { data: [model], has_more: false, first_id: model.id, last_id: model.id } : model);
      return;
    }
    if (req.method !== 'POST' || path !== '/v1/messages') {
      unknownPaths.push(`${req.method} ${path}`);
      json(res, 404, headers, apiError('not_found_error', `stub: no such endpoint ${req.method} ${path}`));
      return;
    }

    captured.side = isSideRequest(b);
    const reply = captured.side ? text('ok') : next();
    captured.answered = reply.kind;
    if (reply.kind === 'error') {
      json(res, reply.status, headers, apiError(reply.type, reply.message));
      return;
    }
    const message = {
      id: `msg_stub_${id}`,
      type: 'message',
      role: 'assistant',
      model: typeof b.model === 'string' ? b.model : 'claude-sonnet-4-5',
      stop_sequence: null,
    };
    const blocks: Block[] =
      reply.kind === 'text'
        ? [{ type: 'text', text: reply.text }]
        : [
            ...(reply.text === undefined ? [] : [{ type: 'text' as const, text: reply.text }]),
            { type: 'tool_use', id: `toolu_stub_${id}`, name: reply.name, input: reply.input },
          ];
    const stopReason = reply.kind === 'text' ? 'end_turn' : 'tool_use';
    if (b.stream === true) stream(res, headers, message, blocks, stopReason);
    else json(res, 200, headers, { ...message, content: blocks, stop_reason: stopReason, usage: fullUsage() });
  }

  function next(): Reply {
    const head = script[0];
    if (!head) return text(opts.defaultText ?? 'ok');
    if (head.kind === 'error' && (head.times ?? 1) > 1) {
      script[0] = { ...head, times: (head.times ?? 1) - 1 };
      return head;
    }
    script.shift();
    return head;
  }

  function fullUsage() {
    return {
      input_tokens: usage.input_tokens,
      output_tokens: usage.output_tokens,
      cache_read_input_tokens: usage.cache_read_input_tokens,
      cache_creation_input_tokens: usage.cache_creation_input_tokens,
      cache_creation: { ephemeral_5m_input_tokens: usage.cache_5m, ephemeral_1h_input_tokens: usage.cache_1h },
      service_tier: 'standard',
    };
  }

  function stream(
    res: ServerResponse,
    headers: Record<string, string>,
    message: Record<string, unknown>,
    blocks: Block[],
    stopReason: string,
  ): void {
    res.writeHead(200, { ...headers, 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const send = (type: string, data: Record<string, unknown>) =>
      res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
    // As the real API does: input and cache figures up front, output counted in message_delta.
    send('message_start', {
      message: { ...message, content: [], stop_reason: null, usage: { ...fullUsage(), output_tokens: 1 } },
    });
    blocks.forEach((block, index) => {
      if (block.type === 'text') {
        send('content_block_start', { index, content_block: { type: 'text', text: '' } });
        send('content_block_delta', { index, delta: { type: 'text_delta', text: block.text } });
      } else {
        send('content_block_start', { index, content_block: { ...block, input: {} } });
        send('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input) } });
      }
      send('content_block_stop', { index });
    });
    send('message_delta', {
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: { ...fullUsage() },
    });
    send('message_stop', {});
    res.end();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    unknownPaths,
    pending: () => script.length,
    close: () =>
      new Promise<void>((resolve) => {
        // claude may keep a keep-alive socket open; do not wait for it to go away by itself.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function apiError(type: string, message: string) {
  return { type: 'error', error: { type, message } };
}

function json(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
  res.writeHead(status, { ...headers, 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** A request's body as text, refused past MAX_BODY (shared by the Codex stub). */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
