import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { isNativeExecutable, REPO_ROOT } from './claude-cli';
import { installedVersion, npmInstall } from './npm-install';

/** Pinned: hook payloads, rollout lines and the tool list change between releases. */
export const CODEX_VERSION = '0.169.0';

const PKG = '@openai/codex';

export const CODEX_CACHE_DIR = join(REPO_ROOT, '.cache', 'codex');

export async function ensureCodex(): Promise<string> {
  // A matching version without a binary is a half-finished install: install again.
  let bin = installedVersion(CODEX_CACHE_DIR, PKG) === CODEX_VERSION ? findCodexBinary() : undefined;
  if (!bin) {
    await installAside();
    bin = findCodexBinary();
  }
  if (!bin) throw new Error(`${PKG}@${CODEX_VERSION} installed in ${CODEX_CACHE_DIR} but no runnable codex binary found`);
  return bin;
}

/**
 * npm installs into a dir of this process's own, moved into place when complete: two test files
 * starting at once cannot mix their installs, and an interrupted one never looks finished.
 */
async function installAside(): Promise<void> {
  const aside = `${CODEX_CACHE_DIR}.installing-${process.pid}`;
  rmSync(aside, { recursive: true, force: true });
  try {
    await npmInstall(aside, `${PKG}@${CODEX_VERSION}`);
    if (installedVersion(CODEX_CACHE_DIR, PKG) === CODEX_VERSION && findCodexBinary()) return; // another process won the race
    rmSync(CODEX_CACHE_DIR, { recursive: true, force: true });
    renameSync(aside, CODEX_CACHE_DIR);
  } finally {
    rmSync(aside, { recursive: true, force: true });
  }
}

/**
 * The wrapper package (bin/codex.js) only execs a native binary shipped in a platform package,
 * installed under the alias @openai/codex-<platform>-<arch> as vendor/<target triple>/bin/codex.
 * Running that binary directly spares a node start per run and keeps the wrapper's
 * CODEX_MANAGED_BY_NPM marker (which changes update hints) out of the runs.
 */
export function findCodexBinary(): string | undefined {
  const vendor = join(CODEX_CACHE_DIR, 'node_modules', '@openai', `codex-${process.platform}-${process.arch}`, 'vendor');
  if (!existsSync(vendor)) return undefined;
  return readdirSync(vendor)
    .map((triple) => join(vendor, triple, 'bin', process.platform === 'win32' ? 'codex.exe' : 'codex'))
    .find(isNativeExecutable);
}

/** A suite's Codex: `bin` once installed, else why not (`unavailable`: skip each test with it); `cleanups` run after its tests. */
export type CodexSuite = { bin: string; unavailable: string | undefined; cleanups: (() => Promise<void> | void)[] };

/** Registers the suite's before (install, up to 11 min) and after hooks; call at the top of a test file. */
export function codexSuite(): CodexSuite {
  const suite: CodexSuite = { bin: '', unavailable: undefined, cleanups: [] };
  before(
    async () => {
      try {
        suite.bin = await ensureCodex();
      } catch (err) {
        suite.unavailable = `@openai/codex@${CODEX_VERSION} cannot be installed (offline?): ${(err as Error).message.split('\n')[0]}`;
      }
    },
    { timeout: 11 * 60_000 },
  );
  after(async () => {
    for (const c of suite.cleanups) await c();
  });
  return suite;
}
