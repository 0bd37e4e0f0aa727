// An OpenAI-compatible chat completions API on 127.0.0.1 for OpenCode's custom provider
// (@ai-sdk/openai-compatible): SSE chunks, usage in the last one. `TOOL:<cmd>` in the first user
// message is answered with one bash call, then text; `TASK:<x>` with one task call (a sub-agent);
// `FAIL` with a 400. Every answered request's usage is recorded: what the provider billed.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Billed = { title: boolean; prompt: number; cached: number; completion: number; reasoning: number };
export type ChatStub = { url: string; billed: Billed[]; delayMs: number; close(): Promise<void> };

type Msg = { role: string; content?: unknown };

export async function startChatStub(): Promise<ChatStub> {
  const billed: Billed[] = [];
  const stub = { delayMs: 0 } as ChatStub;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', async () => {
      const messages = ((JSON.parse(body || '{}') as { messages?: Msg[] }).messages ?? []) as Msg[];
      const first = JSON.stringify(messages.find((m) => m.role === 'user')?.content ?? '');
      const title = JSON.stringify(messages[0]?.content ?? '').includes('title generator');
      const afterTool = messages.at(-1)?.role === 'tool';
      if (first.includes('FAIL') && !title) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'stub failure', type: 'invalid_request_error', code: 'invalid_value' } }));
        return;
      }
      if (stub.delayMs && !title) await new Promise((r) => setTimeout(r, stub.delayMs));
      const n = billed.length + 1;
      const usage: Billed = { title, prompt: 1000 + 10 * n, cached: 100 + n, completion: 30 + n, reasoning: n % 3 };
      billed.push(usage);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = (o: object) =>
        res.write(
          `data: ${JSON.stringify({ id: `chatcmpl-${n}`, object: 'chat.completion.chunk', created: 0, model: 'stub-model', ...o })}\n\n`,
        );
      const call = (name: string, args: object) => {
        chunk({
          choices: [
            {
              index: 0,
              delta: {
                role: 'assistant',
                tool_calls: [{ index: 0, id: `call_${n}`, type: 'function', function: { name, arguments: JSON.stringify(args) } }],
              },
              finish_reason: null,
            },
          ],
        });
        chunk({ choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] });
      };
      const tool = /TOOL:([^"\\]+)/.exec(first);
      const task = /TASK:([^"\\]+)/.exec(first);
      if (!title && !afterTool && tool) call('bash', { command: tool[1], description: 'stub call' });
      else if (!title && !afterTool && task)
        call('task', { description: 'sub job', prompt: `do the sub job ${task[1]}`, subagent_type: 'general' });
      else {
        chunk({
          choices: [{ index: 0, delta: { role: 'assistant', content: title ? 'Stub title' : 'Done by the stub.' }, finish_reason: null }],
        });
        chunk({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
      }
      chunk({
        choices: [],
        usage: {
          prompt_tokens: usage.prompt,
          completion_tokens: usage.completion,
          total_tokens: usage.prompt + usage.completion,
          prompt_tokens_details: { cached_tokens: usage.cached },
          completion_tokens_details: { reasoning_tokens: usage.reasoning },
        },
      });
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  stub.billed = billed;
  stub.close = () => new Promise((r) => server.close(() => r()));
  return stub;
}
