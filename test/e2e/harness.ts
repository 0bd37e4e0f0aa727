// Runs the real Claude Code CLI in a sealed sandbox: temp HOME, temp CLAUDE_CONFIG_DIR, temp
// CCX_HOME, API on 127.0.0.1. Nothing of the caller's environment leaks in except PATH, so an
// outer Claude Code session (CLAUDECODE, ANTHROPIC_*) cannot steer the run.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ccxPaths } from '../../lib/paths';

const RUN_TIMEOUT_MS = 120_000;

export interface Sandbox {
  root: string;
  /** HOME for claude; everything else lives under it, like on a real machine. */
  home: string;
  /** CLAUDE_CONFIG_DIR of the default profile: <home>/.claude. */
  configDir: string;
  /** Working directory of the session. */
  cwd: string;
  ccxHome: string;
  /** Stops a consolidator ccx's hooks spawned in this sandbox, then removes the tree. */
  cleanup(): Promise<void>;
}

/** A fresh temp tree: <root>/home/{.claude,project}, <root>/ccx. */
export function makeSandbox(): Sandbox {
  const root = mkdtempSync(join(tmpdir(), 'ccx-e2e-'));
  const home = join(root, 'home');
  const cwd = join(home, 'project');
  const ccxHome = join(root, 'ccx');
  for (const d of [cwd, ccxHome]) mkdirSync(d, { recursive: true, mode: 0o700 });
  return {
    root,
    home,
    configDir: makeProfile(home, '.claude'),
    cwd,
    ccxHome,
    cleanup: async () => {
      await stopConsolidator(ccxHome);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * ccx's hooks start a detached consolidator that idles for minutes after claude exits; it must
 * not outlive the test or keep writing into a deleted CCX_HOME.
 */
export async function stopConsolidator(ccxHome: string): Promise<void> {
  let pid: number;
  try {
    pid = (JSON.parse(readFileSync(ccxPaths(ccxHome).pidFile, 'utf8')) as { pid: number }).pid;
  } catch {
    return; // never started, or already gone and cleaned up after itself
  }
  // The pid may have been reused since: only stop it if it is still that sandbox's consolidator.
  if (!Number.isInteger(pid) || !readEnviron(pid).includes(`CCX_HOME=${ccxHome}`)) return;
  signal(pid, 'SIGTERM');
  for (let i = 0; i < 50 && isAlive(pid); i++) await sleep(100);
  if (isAlive(pid)) signal(pid, 'SIGKILL');
}

/** process.kill that tolerates the process having exited meanwhile. */
function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // ESRCH: gone already, which is what we wanted
  }
}

function readEnviron(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  } catch {
    return [];
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A profile = a Claude Code config dir, pre-seeded so no first-run wizard can appear. */
export function makeProfile(root: string, name: string): string {
  const configDir = join(root, name);
  mkdirSync(configDir, { recursive: true, mode: 0o700 });
  // With CLAUDE_CONFIG_DIR set, Claude Code keeps its global state in <dir>/.claude.json. -p
  // skips onboarding today, but some builds exit silently without this flag (claude-code#95217).
  writeFileSync(join(configDir, '.claude.json'), JSON.stringify({ hasCompletedOnboarding: true }, null, 2));
  return configDir;
}

export interface RunOptions {
  configDir: string;
  home: string;
  ccxHome: string;
  apiUrl: string;
  prompt: string;
  cwd: string;
  extraArgs?: string[];
  extraEnv?: Record<string, string>;
  timeoutMs?: number;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** stdout lines that parsed as JSON (stream-json: system/init, assistant, user, result...). */
  events: Record<string, unknown>[];
  stdout: string;
  stderr: string;
  timedOut: boolean;
  ms: number;
}

export function claudeEnv(o: Pick<RunOptions, 'configDir' | 'home' | 'ccxHome' | 'apiUrl' | 'extraEnv'>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: o.home,
    CLAUDE_CONFIG_DIR: o.configDir,
    // Hooks inherit claude's environment, so this is how they find the temp ccx state.
    CCX_HOME: o.ccxHome,
    ANTHROPIC_BASE_URL: o.apiUrl,
    ANTHROPIC_API_KEY: 'sk-ant-test-0000000000000000000000000000000000000000',
    DISABLE_TELEMETRY: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    // A failing request must end the run now, not after minutes of exponential back-off.
    CLAUDE_CODE_MAX_RETRIES: '0',
    ...o.extraEnv,
  };
}

export function runClaude(claudePath: string, o: RunOptions): Promise<RunResult> {
  const args = ['-p', o.prompt, '--output-format', 'stream-json', '--verbose', ...(o.extraArgs ?? [])];
  return runAgent(claudePath, args, { cwd: o.cwd, env: claudeEnv(o), timeoutMs: o.timeoutMs ?? RUN_TIMEOUT_MS });
}

/**
 * One run of an agent's CLI (claude, codex): stdin closed, output collected, stdout's JSON lines
 * parsed. Detached: its own process group, so a timeout kills it and the commands it spawned.
 */
export function runAgent(
  bin: string,
  args: string[],
  o: { cwd: string; env: Record<string, string>; timeoutMs: number },
): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd: o.cwd, env: o.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, o.timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      resolve({ code, signal: sig, events: parseJsonLines(stdout), stdout, stderr, timedOut, ms: Date.now() - started });
    });
  });
}

/** SIGKILL to a detached child's whole process group, if it is still there. */
export function killGroup(pid: number | undefined): void {
  if (pid) signal(-pid, 'SIGKILL');
}

export function parseJsonLines(text: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const v: unknown = JSON.parse(line);
      if (v && typeof v === 'object' && !Array.isArray(v)) out.push(v as Record<string, unknown>);
    } catch {
      // claude may print a plain-text warning between JSON lines; those are not events
    }
  }
  return out;
}
