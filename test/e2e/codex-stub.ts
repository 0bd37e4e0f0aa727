// A stand-in for the OpenAI Responses API, good enough for the real Codex CLI to run whole
// sessions against it on 127.0.0.1. Codex POSTs only <base_url>/responses and reads an SSE
// stream; the reply is chosen from what the request carries (see `decide`), so sub-agents and
// follow-ups get the right answer without a script. Every request and every response's usage
// and rate-limit headers are recorded: they are the truth a test checks ccx against.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { captureRequest, type HttpRequest, readBody } from './stub-api';

/** What one model response reports in `response.completed.usage` (total is derived). */
export interface StubUsage {
  /** Cached tokens included, as the Responses API counts them. */
  input_tokens: number;
  cached_tokens: number;
  /** Reasoning tokens included. */
  output_tokens: number;
  reasoning_tokens: number;
}

export interface RateWindow {
  usedPercent: number;
  windowMinutes: number;
  /** Epoch seconds. */
  resetAt: number;
}

/** Sent as x-codex-{primary,secondary}-{used-percent,window-minutes,reset-at}; null: no headers. */
export type StubRateLimits = { primary?: RateWindow; secondary?: RateWindow } | null;

/**
 * How the stub answered. `shell`: one exec_command call running the prompt's TOOL:<cmd>;
 * `spawn` / `wait`: a sub-agent started for SPAWN:<task> and then waited for; `review`: the
 * approval reviewer's JSON verdict (allow); `text`: the end of the turn.
 */
export type ReplyKind = 'text' | 'shell' | 'spawn' | 'wait' | 'review';

export interface SentResponse {
  /** 0-based position among all /responses requests of this stub. */
  index: number;
  responseId: string;
  kind: ReplyKind;
  /** The call_id of the function call it made, if any. */
  callId?: string;
  usage: StubUsage;
  rateLimits: StubRateLimits;
  /** The session the request came from (Codex's thread-id header): names its rollout file. */
  threadId?: string;
  /** Codex's x-openai-subagent header (e.g. collab_spawn) on a sub-agent's requests. */
  subagent?: string;
}

export type CapturedRequest = HttpRequest;

export interface CodexStubOptions {
  /** Usage of the response to request `index`; default `defaultUsage`. */
  usage?: (index: number) => StubUsage;
  /** Rate-limit headers of the response to request `index`; default `defaultRateLimits`. */
  rateLimits?: (index: number) => StubRateLimits;
}

export interface CodexStub {
  /** The provider base_url: http://127.0.0.1:PORT/v1 (Codex appends /responses). */
  baseUrl: string;
  port: number;
  requests: CapturedRequest[];
  responses: SentResponse[];
  /** Requests to anything but POST /v1/responses: Codex started calling something new. */
  unknownPaths: string[];
  close(): Promise<void>;
}

/** Distinct per request, so a test can tell which response a ledger row came from. */
export function defaultUsage(index: number): StubUsage {
  return { input_tokens: 1000 + 100 * index, cached_tokens: 600, output_tokens: 50 + index, reasoning_tokens: 20 };
}

/** 5 h and weekly windows whose figures move with the request index. */
export function defaultRateLimits(index: number): StubRateLimits {
  return {
    primary: { usedPercent: 40 + index, windowMinutes: 300, resetAt: 1_900_000_000 },
    secondary: { usedPercent: 10 + index / 2, windowMinutes: 10_080, resetAt: 1_900_500_000 },
  };
}

/** The usage object of response.completed, total included. */
function wireUsage(u: StubUsage) {
  return {
    input_tokens: u.input_tokens,
    input_tokens_details: { cached_tokens: u.cached_tokens },
    output_tokens: u.output_tokens,
    output_tokens_details: { reasoning_tokens: u.reasoning_tokens },
    total_tokens: u.input_tokens + u.output_tokens,
  };
}

/**
 * How Codex 0.169 reports a response's usage: rollout token_count.info.last_token_usage and
 * token_usage_record.usage, the PostModelRequest hook's token_usage.
 */
export function codexTokenUsage(u: StubUsage) {
  return {
    input_tokens: u.input_tokens,
    cached_input_tokens: u.cached_tokens,
    cache_write_input_tokens: 0,
    output_tokens: u.output_tokens,
    reasoning_output_tokens: u.reasoning_tokens,
    total_tokens: u.input_tokens + u.output_tokens,
  };
}

function rateLimitHeaders(r: StubRateLimits): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, w] of Object.entries(r ?? {})) {
    if (!w) continue;
    out[`x-codex-${name}-used-percent`] = String(w.usedPercent);
    out[`x-codex-${name}-window-minutes`] = String(w.windowMinutes);
    out[`x-codex-${name}-reset-at`] = String(w.resetAt);
  }
  return out;
}

/** Codex 0.169's shell tool (unified exec): `exec_command` with a JSON `{"cmd": …}` argument. */
const SHELL_TOOL = 'exec_command';

/**
 * Sub-agent tools come in two shapes, by model: the classic tool list's `multi_agent_v1`
 * namespace (spawn_agent {message}, wait_agent {targets}), or, for models on code mode (Codex
 * 0.169's default gpt-6.1-sol), the `collaboration` namespace in an `additional_tools` input
 * item (spawn_agent {task_name, message, fork_turns}, wait_agent {timeout_ms}).
 */
type AgentTools = 'multi_agent_v1' | 'collaboration';

type Item = {
  type?: unknown;
  role?: unknown;
  content?: unknown;
  name?: unknown;
  call_id?: unknown;
  output?: unknown;
  tools?: unknown;
};

type Decision =
  | { kind: 'text' }
  | { kind: 'review' }
  | { kind: 'shell'; cmd: string; escalate: boolean }
  | { kind: 'spawn'; task: string; forkHistory: boolean; tools: AgentTools }
  | { kind: 'wait'; agentId?: string; tools: AgentTools };

/**
 * The reply follows the request's last input item: a prompt with TOOL:<cmd> gets the shell call
 * (TOOL!:<cmd>: asking for escalated permissions, so that an approval is requested),
 * SPAWN:<task> a spawn_agent call starting a sub-agent on <task> alone (SPAWNFORK:<task>: with
 * the parent's history), then wait_agent on it; a call's output, or anything but a user message,
 * gets text.
 */
export function decide(body: { input?: unknown; tools?: unknown; text?: unknown } | undefined): Decision {
  // The approval reviewer (x-openai-subagent: guardian) asks for JSON by schema; its input quotes
  // the reviewed transcript, TOOL: prompts included, so this comes first.
  if ((body?.text as { format?: { type?: unknown } } | undefined)?.format?.type === 'json_schema') return { kind: 'review' };
  const items = Array.isArray(body?.input) ? (body.input as Item[]) : [];
  const last = items.at(-1);
  const agentTools = offeredAgentTools(body);
  if (last?.type === 'function_call_output') {
    const call = items.find((i) => i.type === 'function_call' && i.call_id === last.call_id);
    if (call?.name === 'spawn_agent' && agentTools) {
      const agentId = agentIdOf(outputText(last.output));
      return { kind: 'wait', tools: agentTools, ...(agentId ? { agentId } : {}) };
    }
    return { kind: 'text' };
  }
  // After the prompt, the reply answers only the prompt; anything else that ends the input (a
  // sub-agent's task or final answer arrives as an agent_message item) gets text.
  if (!(last?.type === 'message' && last.role === 'user')) return { kind: 'text' };
  const prompt = lastUserText(items);
  const tool = /TOOL(!?):(.+)/.exec(prompt);
  if (tool?.[2]) return { kind: 'shell', cmd: tool[2].trim(), escalate: tool[1] === '!' };
  const spawn = /SPAWN(FORK)?:(.+)/.exec(prompt);
  if (spawn?.[2] && agentTools) return { kind: 'spawn', task: spawn[2].trim(), forkHistory: spawn[1] === 'FORK', tools: agentTools };
  return { kind: 'text' };
}

/** Which sub-agent namespace the request offers, from its tools and additional_tools items. */
function offeredAgentTools(body: { input?: unknown; tools?: unknown } | undefined): AgentTools | undefined {
  const lists = [
    body?.tools,
    ...(Array.isArray(body?.input) ? (body.input as Item[]) : []).filter((i) => i.type === 'additional_tools').map((i) => i.tools),
  ];
  const names = lists
    .flatMap((l) => (Array.isArray(l) ? (l as { type?: unknown; name?: unknown }[]) : []))
    .filter((t) => t.type === 'namespace')
    .map((t) => t.name);
  if (names.includes('collaboration')) return 'collaboration';
  if (names.includes('multi_agent_v1')) return 'multi_agent_v1';
  return undefined;
}

function lastUserText(items: Item[]): string {
  const user = items.at(-1);
  const parts = Array.isArray(user?.content) ? (user.content as { type?: unknown; text?: unknown }[]) : [];
  return parts.map((p) => (p.type === 'input_text' && typeof p.text === 'string' ? p.text : '')).join('\n');
}

function outputText(output: unknown): string {
  if (typeof output === 'string') return output;
  if (Array.isArray(output)) return output.map((p: { text?: unknown }) => (typeof p.text === 'string' ? p.text : '')).join('');
  return '';
}

/** spawn_agent answers JSON naming the new agent; accept its id under any of the usual keys. */
function agentIdOf(text: string): string | undefined {
  try {
    const v = JSON.parse(text) as Record<string, unknown>;
    for (const k of ['agent_id', 'id', 'target', 'thread_id']) if (typeof v[k] === 'string') return v[k];
  } catch {
    // not JSON: fall through to a plain id in the text
  }
  return /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.exec(text)?.[0];
}

export async function startCodexStub(opts: CodexStubOptions = {}): Promise<CodexStub> {
  const requests: CapturedRequest[] = [];
  const responses: SentResponse[] = [];
  const unknownPaths: string[] = [];

  const server = createServer((req, res) => {
    readBody(req)
      .then((raw) => handle(req, res, raw))
      .catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { type: 'server_error', message: String(err) } }));
      });
  });

  function handle(req: IncomingMessage, res: ServerResponse, raw: string): void {
    const captured = captureRequest(req, raw);
    const { path, body } = captured;
    requests.push(captured);
    if (req.method !== 'POST' || path !== '/v1/responses') {
      unknownPaths.push(`${req.method} ${path}`);
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { type: 'not_found', message: `stub: no such endpoint ${req.method} ${path}` } }));
      return;
    }
    const index = responses.length;
    const sent: SentResponse = {
      index,
      responseId: `resp_stub_${index}`,
      kind: 'text',
      usage: (opts.usage ?? defaultUsage)(index),
      rateLimits: (opts.rateLimits ?? defaultRateLimits)(index),
      ...header(req, 'thread-id', 'threadId'),
      ...header(req, 'x-openai-subagent', 'subagent'),
    };
    responses.push(sent);
    const decision = decide(body && typeof body === 'object' ? (body as { input?: unknown; tools?: unknown; text?: unknown }) : undefined);
    sent.kind = decision.kind;
    const item = outputItem(decision, index);
    if (item.type === 'function_call') sent.callId = item.call_id;
    stream(res, sent, item);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    responses,
    unknownPaths,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type OutputItem =
  | {
      type: 'message';
      role: 'assistant';
      id: string;
      status: 'completed';
      content: { type: 'output_text'; text: string; annotations: [] }[];
    }
  | { type: 'function_call'; id: string; call_id: string; name: string; namespace?: string; arguments: string; status: 'completed' };

function outputItem(d: Decision, index: number): OutputItem {
  const call = (name: string, args: Record<string, unknown>, namespace?: string): OutputItem => ({
    type: 'function_call',
    id: `fc_stub_${index}`,
    call_id: `call_stub_${index}`,
    name,
    ...(namespace ? { namespace } : {}),
    arguments: JSON.stringify(args),
    status: 'completed',
  });
  switch (d.kind) {
    case 'shell':
      return call(
        SHELL_TOOL,
        d.escalate ? { cmd: d.cmd, sandbox_permissions: 'require_escalated', justification: 'stub asks' } : { cmd: d.cmd },
      );
    case 'spawn':
      return d.tools === 'collaboration'
        ? call('spawn_agent', { task_name: `stub_task_${index}`, message: d.task, fork_turns: d.forkHistory ? 'all' : 'none' }, d.tools)
        : call('spawn_agent', { message: d.task, fork_context: d.forkHistory }, d.tools);
    case 'wait':
      return d.tools === 'collaboration'
        ? call('wait_agent', { timeout_ms: 30_000 }, d.tools)
        : call('wait_agent', { targets: d.agentId ? [d.agentId] : [], timeout_ms: 30_000 }, d.tools);
    case 'review':
    case 'text': {
      const text =
        d.kind === 'review'
          ? JSON.stringify({ risk_level: 'low', user_authorization: 'high', outcome: 'allow', rationale: 'stub review' })
          : `stub reply ${index}`;
      return {
        type: 'message',
        role: 'assistant',
        id: `msg_stub_${index}`,
        status: 'completed',
        content: [{ type: 'output_text', text, annotations: [] }],
      };
    }
  }
}

/** The event sequence of a real streamed response: created, the item added/done, completed. */
function stream(res: ServerResponse, sent: SentResponse, item: OutputItem): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...rateLimitHeaders(sent.rateLimits) });
  const send = (type: string, data: Record<string, unknown>) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  const response = { id: sent.responseId, object: 'response', status: 'in_progress', output: [] };
  send('response.created', { response });
  send('response.output_item.added', { output_index: 0, item: { ...item, status: 'in_progress' } });
  if (item.type === 'message') {
    const text = item.content[0]?.text ?? '';
    send('response.output_text.delta', { item_id: item.id, output_index: 0, content_index: 0, delta: text });
  }
  send('response.output_item.done', { output_index: 0, item });
  send('response.completed', { response: { ...response, status: 'completed', output: [item], usage: wireUsage(sent.usage) } });
  res.end();
}

function header<K extends string>(req: IncomingMessage, name: string, key: K): Partial<Record<K, string>> {
  const v = req.headers[name];
  return typeof v === 'string' ? ({ [key]: v } as Record<K, string>) : {};
}
