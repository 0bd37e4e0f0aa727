// Shared test plumbing: temp CCX_HOME and profile dirs, hook and consolidator processes, the DB.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after } from 'node:test';
import Database from 'better-sqlite3';
import type { HookEventName } from '../../lib/contracts/hook-input';
import { HOOK_EVENTS } from '../../lib/contracts/hook-input';
import { INBOX_VERSION, type InboxRecord } from '../../lib/contracts/inbox';
import { newEventId } from '../../lib/inbox';
import { type Db, openDb } from '../../lib/store/open';

/** Tests are bundled into build/test/*.test.js (or build/e2e): the repo is two levels up. */
export const ROOT = resolve(__dirname, '../..');
export const DIST = join(ROOT, 'dist');

export type Sandbox = { root: string; home: string; configDir: string; env: NodeJS.ProcessEnv; cleanup: () => void };

/** A temp HOME with CCX_HOME and a default Claude config dir inside; nothing touches the real home. */
export function sandbox(extraEnv: Record<string, string> = {}): Sandbox {
  const root = mkdtempSync(join(tmpdir(), 'ccx-test-'));
  const home = join(root, 'ccx');
  const configDir = join(root, 'claude');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: root,
    CCX_HOME: home,
    CLAUDE_CONFIG_DIR: configDir,
    TZ: 'UTC',
    CCX_IDLE_MS: '1000',
    CCX_TICK_MS: '50',
    ...extraEnv,
  };
  return { root, home, configDir, env, cleanup: () => removeSandbox(root, home) };
}

/**
 * Kills every process working in `home` (CCX_HOME in its environment): a consolidator a test's
 * hooks started, also one still starting or already past its pid file, and hooks a guarded
 * command left running in the background. They would write into a sandbox being removed.
 */
export function stopHomeProcesses(home: string): void {
  const mark = `CCX_HOME=${home}\0`;
  const ours = (pid: number) => {
    try {
      return `${readFileSync(`/proc/${pid}/environ`, 'utf8')}\0`.includes(mark);
    } catch {
      return false; // gone, or not ours to read
    }
  };
  let pids: number[];
  try {
    pids = readdirSync('/proc')
      .filter((n) => /^\d+$/.test(n))
      .map(Number)
      .filter((pid) => pid !== process.pid && ours(pid));
  } catch {
    return; // no /proc
  }
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // exited meanwhile
    }
  }
  const deadline = Date.now() + 2000;
  while (pids.some(ours) && Date.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
}

/** What a test's hooks started may still run there: stop it, then remove it all. */
function removeSandbox(root: string, home: string): void {
  stopHomeProcesses(home);
  rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
}

/** A sandbox factory for a test file: every sandbox it made is removed after the file's tests. */
export function sandboxPool(): () => Sandbox {
  const boxes: Sandbox[] = [];
  after(() => {
    for (const b of boxes) b.cleanup();
  });
  return () => {
    const sb = sandbox();
    boxes.push(sb);
    return sb;
  };
}

/** A migrated state.db in a temp dir for the length of `fn`. */
export function withTempDb(fn: (db: Db) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'ccx-db-'));
  const db = openDb(join(dir, 'state.db'));
  try {
    fn(db);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export type ProcResult = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number };

/**
 * Runs a node script with `input` on stdin. `keepStdinOpen` writes the input but never closes the
 * pipe, like Claude Code's bug. Killed after `timeoutMs` so a hanging child fails the test, not CI.
 */
export function runNode(script: string, args: string[], opts: RunOpts): Promise<ProcResult> {
  return runWithInput(process.execPath, [script, ...args], opts);
}

type RunOpts = { env: NodeJS.ProcessEnv; input?: string | Buffer; keepStdinOpen?: boolean; timeoutMs?: number };

/** runNode for any program, e.g. /bin/sh running a registered hook command. */
export function runWithInput(cmd: string, args: string[], opts: RunOpts): Promise<ProcResult> {
  return new Promise((done) => {
    const t0 = Date.now();
    const child = spawn(cmd, args, { env: opts.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.stdin.on('error', () => undefined); // the child may exit before reading everything
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 20_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      child.stdin.destroy();
      done({ code, signal, stdout, stderr, ms: Date.now() - t0 });
    });
    if (opts.input !== undefined) child.stdin.write(opts.input);
    if (!opts.keepStdinOpen) child.stdin.end();
  });
}

export function hookScript(event: HookEventName): string {
  return join(DIST, 'hooks', `${HOOK_EVENTS[event]}.js`);
}

export function runHook(
  event: HookEventName,
  payload: unknown,
  sb: Sandbox,
  opts: { profile?: string; keepStdinOpen?: boolean; raw?: string | Buffer; env?: NodeJS.ProcessEnv } = {},
): Promise<ProcResult> {
  const args = opts.profile ? ['--profile', opts.profile] : [];
  const input = opts.raw ?? JSON.stringify(payload);
  return runNode(hookScript(event), args, { env: opts.env ?? sb.env, input, keepStdinOpen: opts.keepStdinOpen });
}

/** One foreground pass (or the running consolidator's), synchronously. */
export function consolidateOnce(sb: Sandbox): void {
  const r = spawnSync(process.execPath, [join(DIST, 'consolidator.js'), '--once'], { env: sb.env, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`consolidator --once exited ${r.status}: ${r.stderr}`);
}

export function query<T = Record<string, unknown>>(sb: Sandbox, sql: string, ...params: unknown[]): T[] {
  const db = new Database(join(sb.home, 'state.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** A payload shaped like Claude Code's, plus fields it may add later that ccx must keep. */
export function payload(event: HookEventName, sessionId: string, sb: Sandbox, extra: Record<string, unknown> = {}) {
  return {
    session_id: sessionId,
    transcript_path: join(sb.configDir, 'projects', '-tmp-proj', `${sessionId}.jsonl`),
    cwd: '/tmp/proj',
    permission_mode: 'default',
    hook_event_name: event,
    future_field: { nested: [1, 2, 3] },
    ...extra,
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `fn` returns true or the time is up; returns whether it did. */
export async function waitFor(fn: () => boolean, timeoutMs = 10_000, everyMs = 50): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (fn()) return true;
    await sleep(everyMs);
  }
  return fn();
}

/** An inbox line as a hook of profile `work` writes it, for tests that feed the consolidator directly. */
export function hookRecord(sb: Sandbox, event: string, sessionId: string, ts: number, extra: Record<string, unknown> = {}): InboxRecord {
  return {
    v: INBOX_VERSION,
    id: newEventId(ts, Math.floor(Math.random() * 1e6)),
    kind: 'hook',
    received_at: ts,
    profile: 'work',
    config_dir: sb.configDir,
    event,
    payload: { session_id: sessionId, hook_event_name: event, cwd: '/tmp/proj', ...extra },
  };
}
