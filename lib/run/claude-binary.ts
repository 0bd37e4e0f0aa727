// Which `claude` ccx run starts: --claude PATH, else $CCX_CLAUDE, else `claude` on PATH. Resolved
// to an absolute path up front, so --print-only shows what would run and a missing one is one
// clear line instead of a spawn error.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import type { Env } from '../paths';
import { RunError } from './errors';

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** A relative path is taken from the current directory. */
export function findClaude(option: string | undefined, env: Env): string {
  const given = option ?? (env.CCX_CLAUDE || undefined);
  if (given !== undefined) {
    // A name without a slash is looked up on PATH, like a shell would.
    if (given.includes('/')) {
      const path = resolve(given);
      if (isExecutableFile(path)) return path;
      throw new RunError(`${path} (${option !== undefined ? '--claude' : 'CCX_CLAUDE'}) is not an executable file`);
    }
    return onPath(given, env) ?? notFound(given, env);
  }
  return onPath('claude', env) ?? notFound('claude', env);
}

function onPath(name: string, env: Env): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutableFile(join(dir, name))) return join(dir, name);
  }
  return null;
}

function notFound(name: string, env: Env): never {
  throw new RunError(
    `${name} not found on PATH (${env.PATH ?? ''}); install Claude Code, or name the binary with --claude PATH or CCX_CLAUDE=PATH`,
  );
}
