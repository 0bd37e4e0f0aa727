// What the ccx e2e suites share: a sandbox with ccx's real hooks registered for one profile, a
// foreground consolidation, and reading state.db.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import Database from 'better-sqlite3';
import { ensureClaude, REPO_ROOT } from './claude-cli';
import { makeSandbox, type Sandbox, writeHooksSettings } from './harness';

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

/** A sandbox whose default config dir is registered as `profile` with ccx's hooks installed. */
export function ccxSandbox(profile: string, config: Record<string, string | number | boolean> = {}): Sandbox {
  const box = makeSandbox();
  const extra = Object.entries(config).map(([k, v]) => `${k} = ${JSON.stringify(v)}`);
  writeConfig(box, profile, extra);
  writeHooksSettings(box.configDir, { node: process.execPath, distDir: DIST, profile });
  return box;
}

export function writeConfig(box: Sandbox, profile: string, lines: string[]): void {
  writeFileSync(
    join(box.ccxHome, 'config.toml'),
    [`[profiles.${profile}]`, `config_dir = ${JSON.stringify(box.configDir)}`, ...lines, ''].join('\n'),
  );
}

export function consolidate(box: Sandbox): void {
  const r = spawnSync(process.execPath, [join(DIST, 'consolidator.js'), '--once'], {
    env: { PATH: process.env.PATH, HOME: box.home, CCX_HOME: box.ccxHome, CLAUDE_CONFIG_DIR: box.configDir, TZ: 'UTC' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.status !== 0) throw new Error(`consolidator --once exited ${r.status}: ${r.stderr}`);
}

export function rows<T>(box: Sandbox, sql: string): T[] {
  const db = new Database(join(box.ccxHome, 'state.db'), { readonly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}
