import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './claude-cli';
import { installedVersion, npmInstall } from './npm-install';

/** Pinned: its database schema, events and plugin API are what lib/opencode was checked against. */
export const OPENCODE_VERSION = '1.18.33';
export const OPENCODE_CACHE = join(REPO_ROOT, '.cache', 'opencode');

export async function ensureOpenCode(): Promise<string> {
  let bin = installedVersion(OPENCODE_CACHE, 'opencode-ai') === OPENCODE_VERSION ? findBinary() : undefined;
  if (!bin) {
    await npmInstall(OPENCODE_CACHE, `opencode-ai@${OPENCODE_VERSION}`);
    bin = findBinary();
  }
  if (!bin) throw new Error(`opencode-ai@${OPENCODE_VERSION} installed in ${OPENCODE_CACHE} but no opencode binary found`);
  return bin;
}

/**
 * The binary of the platform package (opencode-linux-x64, -baseline, -musl...): the wrapper's
 * postinstall only copies one of them to bin/opencode.exe, and npm may skip install scripts.
 */
function findBinary(): string | undefined {
  const modules = join(OPENCODE_CACHE, 'node_modules');
  const prefix = `opencode-${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  const dirs = existsSync(modules)
    ? readdirSync(modules)
        .filter((d) => d.startsWith(prefix))
        .sort()
    : [];
  return dirs.map((d) => join(modules, d, 'bin', 'opencode')).find((p) => existsSync(p));
}
