// `ccx serve` as a real process for the serve suites: start it, ask it over HTTP, listen to its
// event stream, and write transcripts it scans.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { daemonStatusSchema } from '../../lib/contracts/daemon';
import { type Sandbox, waitFor } from './ccx';
import { CLI } from './cli';
import { assistantLine, type LineSpec } from './transcript-fixtures';

export type Serve = {
  child: ChildProcess;
  url: URL;
  port: number;
  token: string;
  auth: Record<string, string>;
  exited: Promise<number | null>;
  stderr: () => string;
};

export async function startServe(env: NodeJS.ProcessEnv, args: string[] = []): Promise<Serve> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  assert.ok(await waitFor(() => out.includes('\n'), 20_000), `serve printed its URL (stderr: ${err})`);
  const url = new URL(out.trim());
  const token = daemonStatusSchema.parse(JSON.parse(readFileSync(join(env.CCX_HOME!, 'daemon.json'), 'utf8'))).start_token;
  return { child, url, port: Number(url.port), token, auth: { authorization: `Bearer ${token}` }, exited, stderr: () => err };
}

export type Reply = { status: number; headers: Record<string, string | string[] | undefined>; text: string; body: unknown };

export function get(port: number, path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        const json = String(res.headers['content-type'] ?? '').startsWith('application/json');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: json ? JSON.parse(text) : null });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Polls `path` until `ok` holds for its JSON body; returns the last body. */
export async function pollJson(port: number, path: string, auth: Record<string, string>, ok: (body: unknown) => boolean): Promise<unknown> {
  let last: unknown = null;
  const done = await waitFor(
    () => {
      void get(port, path, auth).then((r) => (last = r.body));
      return last !== null && ok(last);
    },
    40_000,
    200,
  );
  assert.ok(done, `${path} never answered as expected; last: ${JSON.stringify(last)}`);
  return last;
}

export type SseEvent = { event: string; data: unknown; at: number };

/** A client of /api/recommendations/live: every event with its arrival time, comments counted. */
export function listen(port: number, headers: Record<string, string>): Promise<{ events: SseEvent[]; status: number; close: () => void }> {
  return new Promise((resolve, reject) => {
    const events: SseEvent[] = [];
    const req = request({ host: '127.0.0.1', port, path: '/api/recommendations/live', headers }, (res) => {
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        buf += d;
        for (let end = buf.indexOf('\n\n'); end >= 0; end = buf.indexOf('\n\n')) {
          const frame = buf.slice(0, end);
          buf = buf.slice(end + 2);
          const event = /^event: (.*)$/m.exec(frame)?.[1];
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data), at: Date.now() });
        }
      });
      resolve({ events, status: res.statusCode ?? 0, close: () => req.destroy() });
    });
    req.on('error', (err) => {
      if ((err as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(err);
    });
    req.end();
  });
}

/** A transcript of `sessionId` in the sandbox's config dir, where the hooks' payloads point. */
export function writeTranscript(sb: Sandbox, sessionId: string, lines: LineSpec[]): string {
  const dir = join(sb.configDir, 'projects', '-tmp-proj');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${sessionId}.jsonl`);
  writeFileSync(file, lines.map((l) => assistantLine({ session: sessionId, cwd: '/tmp/proj', ...l })).join(''));
  return file;
}
