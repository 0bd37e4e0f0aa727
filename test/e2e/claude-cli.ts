import { accessSync, closeSync, constants, existsSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { installedVersion, npmInstall } from './npm-install';

/** Pinned: hook payloads and transcript lines change between releases. */
export const CLAUDE_CODE_VERSION = '2.1.329';

const PKG = '@anthropic-ai/claude-code';

/**
 * Tests are bundled to build/e2e/*.test.js (two levels below the root), but walking up to the
 * package.json keeps this right if the build layout moves.
 */
export const REPO_ROOT = findRepoRoot(__dirname);
export const CACHE_DIR = join(REPO_ROOT, '.cache', 'claude-code');

function findRepoRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    try {
      if ((JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name === 'ccx') return dir;
    } catch {
      // no package.json here, or not ours: keep going up
    }
  }
  return join(from, '..', '..');
}

export async function ensureClaude(): Promise<string> {
  // A matching version without a binary is a half-finished install: install again.
  let bin = installedVersion(CACHE_DIR, PKG) === CLAUDE_CODE_VERSION ? findBinary() : undefined;
  if (!bin) {
    // engine-strict off: the package asks for node >= 22 but ships a native binary that needs no node.
    await npmInstall(CACHE_DIR, `${PKG}@${CLAUDE_CODE_VERSION}`, { ...process.env, npm_config_engine_strict: 'false' });
    bin = findBinary();
  }
  if (!bin) throw new Error(`${PKG}@${CLAUDE_CODE_VERSION} installed in ${CACHE_DIR} but no runnable claude binary found`);
  return bin;
}

/**
 * The native binary lives in a platform package (@anthropic-ai/claude-code-linux-x64, -musl...).
 * The wrapper's postinstall copies it over bin/claude.exe, but npm may skip install scripts, which
 * leaves a placeholder there; so prefer the platform package and accept bin/claude.exe only
 * when it is a real executable (ELF or Mach-O), not the stub script.
 */
export function findBinary(): string | undefined {
  const scope = join(CACHE_DIR, 'node_modules', '@anthropic-ai');
  const platformDirs = existsSync(scope)
    ? readdirSync(scope)
        .filter((d) => d.startsWith(`claude-code-${process.platform}-${process.arch}`))
        .sort(preferMatchingLibc)
    : [];
  const candidates = [
    ...platformDirs.flatMap((d) => [join(scope, d, 'claude'), join(scope, d, 'claude.exe')]),
    join(scope, 'claude-code', 'bin', 'claude.exe'),
    join(scope, 'claude-code', 'bin', 'claude'),
  ];
  return candidates.find(isNativeExecutable);
}

/** glibc hosts take the plain package first, musl hosts the -musl one. */
function preferMatchingLibc(a: string, b: string): number {
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  const musl = process.platform === 'linux' && !header?.glibcVersionRuntime;
  const score = (d: string) => (d.endsWith('-musl') === musl ? 0 : 1);
  return score(a) - score(b);
}

const ELF = 0x7f454c46;
const MACHO_64 = [0xfeedfacf, 0xcffaedfe];

export function isNativeExecutable(p: string): boolean {
  let fd: number | undefined;
  try {
    accessSync(p, constants.X_OK);
    fd = openSync(p, 'r');
    const magic = Buffer.alloc(4);
    if (readSync(fd, magic, 0, 4, 0) !== 4) return false;
    const m = magic.readUInt32BE(0);
    return m === ELF || MACHO_64.includes(m);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
