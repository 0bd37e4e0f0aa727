// Runs the real Codex CLI in a sealed sandbox: temp HOME, temp CODEX_HOME whose config.toml
// points a custom provider at the stub on 127.0.0.1. Nothing of the caller's environment leaks
// in except PATH, so an outer Codex or Claude session (CODEX_*, OPENAI_*) cannot steer the run.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseJsonLines } from './harness';

const RUN_TIMEOUT_MS = 60_000;
const RPC_TIMEOUT_MS = 20_000;

/** The env var the stub provider reads its key from; any value will do. */
export const STUB_KEY_ENV = 'CCX_STUB_OPENAI_KEY';

export interface CodexBox {
  root: string;
  /** HOME for codex. */
  home: string;
  /** CODEX_HOME: <home>/.codex, holding config.toml, sessions/, and Codex's own SQLite files. */
  codexHome: string;
  /** Working directory of the sessions: <home>/project. */
  cwd: string;
  cleanup(): void;
}

export interface CodexConfigOptions {
  /** The stub's base URL, http://127.0.0.1:PORT/v1. */
  baseUrl: string;
  /** A model slug Codex knows (else it warns about missing metadata); unset: Codex's default. */
  model?: string;
  /** TOML appended after the provider, e.g. [[hooks.Stop]] tables and their [hooks.state]. */
  extraToml?: string;
}

/** A fresh temp tree <root>/home/{.codex,project} with config.toml pointing at the stub. */
export function makeCodexBox(config: CodexConfigOptions): CodexBox {
  const root = mkdtempSync(join(tmpdir(), 'ccx-codex-'));
  const home = join(root, 'home');
  const codexHome = join(home, '.codex');
  const cwd = join(home, 'project');
  for (const d of [codexHome, cwd]) mkdirSync(d, { recursive: true, mode: 0o700 });
  writeFileSync(join(codexHome, 'config.toml'), codexConfigToml(config));
  return { root, home, codexHome, cwd, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

export function codexConfigToml(c: CodexConfigOptions): string {
  return [
    ...(c.model ? [`model = ${JSON.stringify(c.model)}`] : []),
    'model_provider = "stub"',
    // No update checks, no analytics: the runs must not reach out beyond the stub.
    'check_for_update_on_startup = false',
    '',
    '[analytics]',
    'enabled = false',
    '',
    '[model_providers.stub]',
    'name = "stub"',
    `base_url = ${JSON.stringify(c.baseUrl)}`,
    'wire_api = "responses"',
    `env_key = "${STUB_KEY_ENV}"`,
    // A failing stub must end the run now, not after back-off.
    'request_max_retries = 0',
    'stream_max_retries = 0',
    '',
    ...(c.extraToml ? [c.extraToml] : []),
  ].join('\n');
}

export function codexEnv(box: Pick<CodexBox, 'home' | 'codexHome'>, extra?: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: box.home,
    CODEX_HOME: box.codexHome,
    [STUB_KEY_ENV]: 'sk-stub-0000000000000000',
    ...extra,
  };
}

export interface RunCodexOptions {
  /** `exec resume <id>` (or `--last` when 'last'): the same rollout file is appended to. */
  resume?: string;
  /** `exec fork <id>`: a new session starting from a copy of that one's history. */
  fork?: string;
  /** Flags put right after `exec` (e.g. `--ephemeral`, `-c key=value`). */
  extraArgs?: string[];
  extraEnv?: Record<string, string>;
  /** Defaults to the box's cwd. */
  cwd?: string;
  timeoutMs?: number;
}

export interface CodexRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** stdout JSONL events: thread.started, turn.started, item.completed, turn.completed... */
  events: Record<string, unknown>[];
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** From thread.started; the session id that resume/fork take. */
  threadId?: string;
}

/**
 * `codex exec --json --skip-git-repo-check -C DIR --dangerously-bypass-approvals-and-sandbox`,
 * then `resume ID` / `fork ID` if asked, then `-- PROMPT`; stdin closed, so Codex reads no
 * extra input.
 */
export function runCodex(bin: string, box: CodexBox, prompt: string, o: RunCodexOptions = {}): Promise<CodexRun> {
  const cwd = o.cwd ?? box.cwd;
  const sub = o.resume === 'last' ? ['resume', '--last'] : o.resume ? ['resume', o.resume] : o.fork ? ['fork', o.fork] : [];
  const args = [
    'exec',
    '--json',
    '--skip-git-repo-check',
    '-C',
    cwd,
    '--dangerously-bypass-approvals-and-sandbox',
    ...(o.extraArgs ?? []),
    ...sub,
    '--',
    prompt,
  ];
  return new Promise((resolve, reject) => {
    // detached: its own process group, so a timeout kills codex and the commands it spawned.
    const child = spawn(bin, args, { cwd, env: codexEnv(box, o.extraEnv), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, o.timeoutMs ?? RUN_TIMEOUT_MS);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const events = parseJsonLines(stdout);
      const started = events.find((e) => e.type === 'thread.started');
      const threadId = typeof started?.thread_id === 'string' ? started.thread_id : undefined;
      resolve({ code, signal, events, stdout, stderr, timedOut, ...(threadId ? { threadId } : {}) });
    });
  });
}

function killGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // ESRCH: gone already
  }
}

/** Every rollout file under $CODEX_HOME/sessions/YYYY/MM/DD/, sorted by path. */
export function rolloutFiles(codexHome: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(dir, n);
      if (/^rollout-.*\.jsonl$/.test(n)) out.push(p);
      else if (!n.includes('.')) walk(p);
    }
  };
  walk(join(codexHome, 'sessions'));
  return out.sort();
}

export interface RolloutLine {
  timestamp: string;
  type: string;
  payload: Record<string, unknown>;
  [k: string]: unknown;
}

export function readRollout(path: string): RolloutLine[] {
  return parseJsonLines(readFileSync(path, 'utf8')) as RolloutLine[];
}

/** The payloads of the `event_msg` / `token_count` lines, one per model response. */
export function tokenCounts(lines: RolloutLine[]): Record<string, unknown>[] {
  return lines.filter((l) => l.type === 'event_msg' && l.payload.type === 'token_count').map((l) => l.payload);
}

/** One hook as `hooks/list` reports it (HookMetadata in codex-rs/app-server-protocol v2). */
export interface ListedHook {
  key: string;
  eventName: string;
  handlerType: string;
  command?: string;
  async?: boolean;
  matcher?: string | null;
  timeoutSec: number;
  source: string;
  sourcePath: string;
  enabled: boolean;
  isManaged: boolean;
  /** untrusted | trusted | modified | managed. */
  trustStatus: string;
  /** The hash Codex expects in [hooks.state."<key>"] trusted_hash. */
  currentHash: string;
  [k: string]: unknown;
}

export interface HooksListEntry {
  cwd: string;
  hooks: ListedHook[];
  warnings: string[];
  errors: { path: string; message: string }[];
}

/**
 * Starts `codex app-server` (JSON-RPC 2.0, one JSON object per line on stdio), sends
 * initialize + initialized, then `hooks/list` for the given cwds, and returns its entries.
 */
export async function codexHooksList(bin: string, box: CodexBox, cwds: string[] = [box.cwd]): Promise<HooksListEntry[]> {
  const rpc = startAppServer(bin, box);
  try {
    await rpc.request('initialize', { clientInfo: { name: 'ccx-e2e', version: '0' } });
    rpc.notify('initialized');
    const res = (await rpc.request('hooks/list', { cwds })) as { data?: HooksListEntry[] };
    return res.data ?? [];
  } finally {
    rpc.close();
  }
}

interface Rpc {
  request(method: string, params: unknown): Promise<unknown>;
  notify(method: string, params?: unknown): void;
  close(): void;
}

function startAppServer(bin: string, box: CodexBox): Rpc {
  const child: ChildProcessWithoutNullStreams = spawn(bin, ['app-server'], { cwd: box.cwd, env: codexEnv(box), detached: true });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let exited = false;
  child.on('close', (code) => {
    exited = true;
    for (const p of pending.values()) p.reject(new Error(`codex app-server exited (${code}): ${stderr.slice(-2000)}`));
    pending.clear();
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    let msg: { id?: unknown; result?: unknown; error?: { message?: string } };
    try {
      msg = JSON.parse(line) as typeof msg;
    } catch {
      return; // not a protocol line
    }
    // Server requests and notifications carry a method; only our responses settle a promise.
    if (typeof msg.id !== 'number' || 'method' in msg) return;
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.error) p.reject(new Error(`app-server: ${JSON.stringify(msg.error)}`));
    else p.resolve(msg.result);
  });
  let nextId = 1;
  const write = (obj: Record<string, unknown>) => child.stdin.write(`${JSON.stringify(obj)}\n`);
  return {
    request(method, params) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        if (exited) return reject(new Error(`codex app-server exited: ${stderr.slice(-2000)}`));
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`app-server ${method} timed out; stderr: ${stderr.slice(-2000)}`));
        }, RPC_TIMEOUT_MS);
        pending.set(id, {
          resolve: (v) => {
            clearTimeout(timer);
            resolve(v);
          },
          reject: (e) => {
            clearTimeout(timer);
            reject(e);
          },
        });
        write({ jsonrpc: '2.0', id, method, params });
      });
    },
    notify(method, params) {
      write({ jsonrpc: '2.0', method, ...(params === undefined ? {} : { params }) });
    },
    close() {
      child.stdin.end();
      killGroup(child.pid);
    },
  };
}
