// Runs the real Codex CLI in a sealed sandbox: temp HOME, temp CODEX_HOME whose config.toml
// points a custom provider at the stub on 127.0.0.1. Nothing of the caller's environment leaks
// in except PATH, so an outer Codex or Claude session (CODEX_*, OPENAI_*) cannot steer the run.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { killGroup, parseJsonLines, type RunResult, runAgent } from './harness';

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
  /** false: no --dangerously-bypass-approvals-and-sandbox (approvals and the sandbox apply). */
  bypassApprovals?: boolean;
  /** Without --json: Codex's human output (config summary, `hook: <Event>` lines) on stderr. */
  humanOutput?: boolean;
  /** Defaults to the box's cwd. */
  cwd?: string;
  timeoutMs?: number;
}

/** `events`: stdout's JSONL events (thread.started, turn.started, item.completed, turn.completed...). */
export interface CodexRun extends RunResult {
  /** From thread.started; the session id that resume/fork take. */
  threadId?: string;
}

/**
 * `codex exec --json --skip-git-repo-check -C DIR --dangerously-bypass-approvals-and-sandbox`,
 * then `resume ID` / `fork ID` if asked, then `-- PROMPT`; stdin closed, so Codex reads no
 * extra input.
 */
export async function runCodex(bin: string, box: CodexBox, prompt: string, o: RunCodexOptions = {}): Promise<CodexRun> {
  const cwd = o.cwd ?? box.cwd;
  const sub = o.resume === 'last' ? ['resume', '--last'] : o.resume ? ['resume', o.resume] : o.fork ? ['fork', o.fork] : [];
  const args = [
    'exec',
    ...(o.humanOutput ? [] : ['--json']),
    '--skip-git-repo-check',
    '-C',
    cwd,
    ...(o.bypassApprovals === false ? [] : ['--dangerously-bypass-approvals-and-sandbox']),
    ...(o.extraArgs ?? []),
    ...sub,
    '--',
    prompt,
  ];
  const run = await runAgent(bin, args, { cwd, env: codexEnv(box, o.extraEnv), timeoutMs: o.timeoutMs ?? RUN_TIMEOUT_MS });
  const started = run.events.find((e) => e.type === 'thread.started');
  const threadId = typeof started?.thread_id === 'string' ? started.thread_id : undefined;
  return { ...run, ...(threadId ? { threadId } : {}) };
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

/** One command hook for config.toml: `[[hooks.<event>]]` with one `[[hooks.<event>.hooks]]`. */
export interface CodexHookSpec {
  /** Codex's config spelling: SessionStart, PreToolUse, Stop... */
  event: string;
  command: string;
  matcher?: string;
  timeout?: number;
  async?: boolean;
}

/** The TOML of the hooks, one matcher group each, in order (the group index is the position among the same event's). */
export function hooksToml(hooks: CodexHookSpec[]): string {
  return hooks
    .map((h) =>
      [
        `[[hooks.${h.event}]]`,
        ...(h.matcher === undefined ? [] : [`matcher = ${JSON.stringify(h.matcher)}`]),
        `[[hooks.${h.event}.hooks]]`,
        'type = "command"',
        `command = ${JSON.stringify(h.command)}`,
        ...(h.timeout === undefined ? [] : [`timeout = ${h.timeout}`]),
        ...(h.async === undefined ? [] : [`async = ${h.async}`]),
        '',
      ].join('\n'),
    )
    .join('\n');
}

/** `[hooks.state."<key>"] trusted_hash = …` for each hook, as Codex's own trust prompt writes it. */
export function hookTrustToml(entries: { key: string; hash: string }[]): string {
  return entries.map((e) => `[hooks.state.${JSON.stringify(e.key)}]\ntrusted_hash = ${JSON.stringify(e.hash)}\n`).join('\n');
}

/**
 * Appends the hooks to the box's config.toml and trusts them with the hashes `hooks/list`
 * reports, so that they run (Codex skips an untrusted hook silently).
 */
export async function installTrustedHooks(bin: string, box: CodexBox, hooks: CodexHookSpec[]): Promise<ListedHook[]> {
  const config = join(box.codexHome, 'config.toml');
  writeFileSync(config, `${readFileSync(config, 'utf8')}\n${hooksToml(hooks)}`);
  const listed = (await codexHooksList(bin, box)).flatMap((e) => e.hooks);
  writeFileSync(config, `${readFileSync(config, 'utf8')}\n${hookTrustToml(listed.map((h) => ({ key: h.key, hash: h.currentHash })))}`);
  return listed;
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
  const rpc = await startAppServer(bin, box);
  try {
    const res = (await rpc.request('hooks/list', { cwds })) as { data?: HooksListEntry[] };
    return res.data ?? [];
  } finally {
    rpc.close();
  }
}

export interface AppServerNotification {
  method: string;
  params: Record<string, unknown>;
}

/** A `codex app-server` on stdio, initialized; close() ends it. */
export interface AppServer {
  request(method: string, params: unknown): Promise<unknown>;
  notify(method: string, params?: unknown): void;
  /** Every notification the server sent so far (thread/started, hook/completed, turn/completed...). */
  notifications: AppServerNotification[];
  /** Resolves with the first notification of `method` matching `pred`, already received or to come. */
  waitFor(method: string, pred?: (params: Record<string, unknown>) => boolean): Promise<AppServerNotification>;
  close(): void;
}

export async function startAppServer(bin: string, box: CodexBox, extraEnv?: Record<string, string>): Promise<AppServer> {
  const rpc = spawnAppServer(bin, box, extraEnv);
  try {
    await rpc.request('initialize', { clientInfo: { name: 'ccx-e2e', version: '0' } });
  } catch (err) {
    rpc.close();
    throw err;
  }
  rpc.notify('initialized');
  return rpc;
}

function spawnAppServer(bin: string, box: CodexBox, extraEnv?: Record<string, string>): AppServer {
  const child: ChildProcessWithoutNullStreams = spawn(bin, ['app-server'], { cwd: box.cwd, env: codexEnv(box, extraEnv), detached: true });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let exited = false;
  child.on('close', (code) => {
    exited = true;
    for (const p of pending.values()) p.reject(new Error(`codex app-server exited (${code}): ${stderr.slice(-2000)}`));
    pending.clear();
  });
  const notifications: AppServerNotification[] = [];
  const waiters: { method: string; pred: (p: Record<string, unknown>) => boolean; resolve: (n: AppServerNotification) => void }[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    let msg: { id?: unknown; method?: unknown; params?: unknown; result?: unknown; error?: { message?: string } };
    try {
      msg = JSON.parse(line) as typeof msg;
    } catch {
      return; // not a protocol line
    }
    if (typeof msg.method === 'string' && msg.id === undefined) {
      const n = { method: msg.method, params: (msg.params ?? {}) as Record<string, unknown> };
      notifications.push(n);
      for (const w of waiters.filter((x) => x.method === n.method && x.pred(n.params))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(n);
      }
      return;
    }
    // Server requests carry a method too; only our responses settle a promise.
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
    notifications,
    waitFor(method, pred = () => true) {
      const seen = notifications.find((n) => n.method === method && pred(n.params));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`app-server: no ${method} within ${RPC_TIMEOUT_MS} ms`)), RPC_TIMEOUT_MS);
        waiters.push({
          method,
          pred,
          resolve: (n) => {
            clearTimeout(timer);
            resolve(n);
          },
        });
      });
    },
    close() {
      child.stdin.end();
      killGroup(child.pid);
    },
  };
}
