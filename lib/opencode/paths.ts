// Where an OpenCode install keeps what ccx reads and writes. A profile's config_dir is OpenCode's
// data dir ($XDG_DATA_HOME/opencode, by default ~/.local/share/opencode); the plugin goes in its
// config dir ($XDG_CONFIG_HOME/opencode), which OpenCode scans for `{plugin,plugins}/*.{ts,js}`.
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Env } from '../paths';

/** `opencode.db` (the latest/beta/prod channels) and `opencode-<channel>.db` (any other build). */
const DB_NAME_RE = /^opencode(-[A-Za-z0-9._-]+)?\.db$/;

/** The OpenCode databases in a data dir, sorted; none when the dir is missing. */
export function openCodeDatabases(dataDir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dataDir);
  } catch {
    return [];
  }
  return names
    .filter((n) => DB_NAME_RE.test(n))
    .sort()
    .map((n) => join(dataDir, n));
}

/** The data dir OpenCode uses in an environment (its xdg-basedir rule). */
export function openCodeDataDir(env: Env): string | null {
  const base = env.XDG_DATA_HOME || (env.HOME ? join(env.HOME, '.local', 'share') : null);
  return base ? join(base, 'opencode') : null;
}

/**
 * The config dir that goes with a data dir: `$XDG_CONFIG_HOME/opencode` when the data dir is this
 * environment's, else the XDG layout's sibling (`<home>/.local/share/opencode` → `<home>/.config/opencode`).
 * Null when neither says: OpenCode would not find a plugin ccx put anywhere else.
 */
export function openCodeConfigDir(dataDir: string, env: Env): string | null {
  if (dataDir === openCodeDataDir(env)) {
    const base = env.XDG_CONFIG_HOME || (env.HOME ? join(env.HOME, '.config') : null);
    if (base) return join(base, 'opencode');
  }
  const share = dirname(dataDir);
  if (basename(dataDir) === 'opencode' && basename(share) === 'share' && basename(dirname(share)) === '.local')
    return join(dirname(dirname(share)), '.config', 'opencode');
  return null;
}
