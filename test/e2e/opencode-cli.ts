// Installs the real OpenCode CLI (opencode-ai, a native Bun binary in a platform package) on
// demand into .cache/opencode, pinned, and finds its binary; never a package.json dependency.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './claude-cli';

/** Pinned: its database schema, events and plugin API are what lib/opencode was checked against. */
export const OPENCODE_VERSION = '1.18.33';
export const OPENCODE_CACHE = join(REPO_ROOT, '.cache', 'opencode');
const INSTALL_TIMEOUT_MS = 10 * 60_000;

export async function ensureOpenCode(): Promise<string> {
  let bin = installedVersion() === OPENCODE_VERSION ? findBinary() : undefined;
  if (!bin) {
    await install();
    bin = findBinary();
  }
  if (!bin) throw new Error(`opencode-ai@${OPENCODE_VERSION} installed in ${OPENCODE_CACHE} but no opencode binary found`);
  return bin;
}

function installedVersion(): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(OPENCODE_CACHE, 'node_modules', 'opencode-ai', 'package.json'), 'utf8')) as { version?: string })
      .version;
  } catch {
    return undefined;
  }
}

function install(): Promise<void> {
  mkdirSync(OPENCODE_CACHE, { recursive: true });
  const args = [
    'install',
    '--prefix',
    OPENCODE_CACHE,
    '--no-save',
    '--no-audit',
    '--no-fund',
    '--include=optional',
    `opencode-ai@${OPENCODE_VERSION}`,
  ];
  return new Promise((resolve, reject) => {
    execFile('npm', args, { timeout: INSTALL_TIMEOUT_MS }, (err, _out, stderr) =>
      err ? reject(new Error(`npm ${args.join(' ')} failed: ${err.message}\n${stderr}`)) : resolve(),
    );
  });
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
