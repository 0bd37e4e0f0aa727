// What the ccx e2e suites share: a sandbox with ccx's real hooks installed by ccx itself for one
// profile, the ccx CLI, a foreground consolidation, and reading state.db.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import Database from 'better-sqlite3';
import { SPOOL_SETTLE_MS } from '../../lib/inbox';
import { ensureClaude, REPO_ROOT } from './claude-cli';
import { makeSandbox, type RunResult, type Sandbox, stopConsolidator } from './harness';

export const DIST = join(REPO_ROOT, 'dist');

/**
 * For a test file: installs the pinned Claude Code before its tests (first time: minutes) and
 * runs every registered cleanup after them. `claude()` is the binary's path once installed.
 */
export function claudeSuite(): { claude: () => string; onCleanup: (fn: () => Promise<void>) => void } {
  let path = '';
  const cleanups: (() => Promise<void>)[] = [];
  before(
    async () => {
      path = await ensureClaude();
    },
    { timeout: 11 * 60_000 },
  );
  after(async () => {
    for (const c of cleanups) await c();
  });
  return { claude: () => path, onCleanup: (fn) => void cleanups.push(fn) };
}

/**
 * A sandbox whose default config dir is registered as `profile`, its hooks installed the way a
 * user does it: `ccx profile add` then `ccx hooks install`. `config` holds config.toml keys.
 */
export function ccxSandbox(profile: string, config: Record<string, string | number | boolean> = {}): Sandbox {
  const box = makeSandbox();
  const fields = Object.entries(config).flatMap(([key, value]) => [`--${key.replace(/_/g, '-')}`, String(value)]);
  ccx(box, 'profile', 'add', profile, '--config-dir', box.configDir, '--create', '--no-hooks', ...fields);
  ccx(box, 'hooks', 'install');
  return box;
}

/** `ccx ARGS` (dist/ccx.js) as a child process in the sandbox; its stdout, or a throw unless it exits 0. */
export function ccx(box: Sandbox, ...args: string[]): string {
  const r = spawnSync(process.execPath, [join(DIST, 'ccx.js'), ...args], { env: ccxEnv(box), encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`ccx ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/**
 * One consolidation pass, once the spool has settled: the async hooks (SessionEnd among them) leave
 * their events in spool files that a pass imports only when a second old (SPOOL_SETTLE_MS), so a
 * pass right after `claude -p` exits would not see them yet.
 */
export function consolidate(box: Sandbox): void {
  const spool = join(box.ccxHome, 'spool');
  const deadline = Date.now() + 5_000;
  const fresh = () => {
    const names = existsSync(spool) ? readdirSync(spool) : [];
    return names.some((n) => (statSync(join(spool, n), { throwIfNoEntry: false })?.mtimeMs ?? 0) > Date.now() - SPOOL_SETTLE_MS);
  };
  while (fresh() && Date.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
  const r = spawnSync(process.execPath, [join(DIST, 'consolidator.js'), '--once'], {
    env: ccxEnv(box),
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.status !== 0) throw new Error(`consolidator --once exited ${r.status}: ${r.stderr}`);
}

function ccxEnv(box: Sandbox): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: box.home, CCX_HOME: box.ccxHome, CLAUDE_CONFIG_DIR: box.configDir, TZ: 'UTC' };
}

export function rows<T>(box: Sandbox, sql: string): T[] {
  const db = new Database(join(box.ccxHome, 'state.db'), { readonly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

/**
 * A consolidator that has not caught up: stops the one the hooks started and leaves a live-looking
 * lock (fresh for 30 s), so no hook starts another and quota.json stays as it is.
 */
export async function holdConsolidator(box: Sandbox): Promise<void> {
  await stopConsolidator(box.ccxHome);
  const lock = join(box.ccxHome, 'consolidator.lock');
  mkdirSync(lock, { recursive: true, mode: 0o700 });
  const now = new Date();
  utimesSync(lock, now, now);
}

/** Every ccx message the run showed: SessionStart hook responses and other hooks' notices. */
export function ccxMessages(run: RunResult): string[] {
  const out: string[] = [];
  for (const e of run.events) {
    if (e.type !== 'system') continue;
    if (e.subtype === 'hook_response' && typeof e.stdout === 'string' && e.stdout.trim()) {
      const msg = (JSON.parse(e.stdout) as { systemMessage?: string }).systemMessage;
      if (msg) out.push(`${e.hook_event}: ${msg}`);
    }
    if (e.subtype === 'informational' && typeof e.content === 'string' && e.content.includes('ccx [')) out.push(e.content);
  }
  return out;
}
