// ccx's plugin in an OpenCode profile: one file, `<config dir>/plugins/ccx-<profile>.js`, that
// imports dist/opencode-plugin.mjs and names the profile. Install writes it (atomically) only when
// its bytes differ, uninstall removes it only when it is ccx's (its first line), status compares.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../atomic-write';
import type { Profile } from '../contracts/profile';
import type { Env } from '../paths';
import { SettingsError } from '../settings';
import { openCodeConfigDir } from './paths';
import type { PluginConfig } from './plugin';

/** The bundle scripts/build.mjs writes from plugin.ts. */
const PLUGIN_BUNDLE = 'opencode-plugin.mjs';
/** How ccx's plugin file begins: what uninstall and status recognise. */
const PLUGIN_MARK = '// ccx: ';

export type PluginContext = { node: string; distDir: string; env: Env };
export type PluginState = 'installed' | 'outdated' | 'missing' | 'foreign';

function openCodePluginPath(p: Profile, env: Env): string {
  const dir = openCodeConfigDir(p.config_dir, env);
  if (!dir)
    throw new SettingsError(
      `${p.config_dir} is not an OpenCode data dir ccx can pair with a config dir ($XDG_DATA_HOME/opencode or <home>/.local/share/opencode), so OpenCode would not load ccx's plugin`,
    );
  return join(dir, 'plugins', `ccx-${p.name}.js`);
}

function openCodePluginText(p: Profile, ctx: PluginContext): string {
  const config: PluginConfig = { profile: p.name, dataDir: p.config_dir, node: ctx.node, distDir: ctx.distDir };
  return [
    `${PLUGIN_MARK}OpenCode events -> ccx's inbox for profile ${p.name}. Written by \`ccx hooks install\`; \`ccx hooks uninstall\` removes it.`,
    `import { ccxPlugin } from ${JSON.stringify(join(ctx.distDir, PLUGIN_BUNDLE))};`,
    `export const CcxPlugin = ccxPlugin(${JSON.stringify(config)});`,
    '',
  ].join('\n');
}

const read = (path: string): string | null => {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
};

export function openCodePluginStatus(p: Profile, ctx: PluginContext): { path: string; state: PluginState } {
  const path = openCodePluginPath(p, ctx.env);
  const text = read(path);
  const state: PluginState =
    text === null ? 'missing' : text === openCodePluginText(p, ctx) ? 'installed' : text.startsWith(PLUGIN_MARK) ? 'outdated' : 'foreign';
  return { path, state };
}

export function installOpenCodePlugin(p: Profile, ctx: PluginContext): { path: string; changed: boolean } {
  const { path, state } = openCodePluginStatus(p, ctx);
  if (state === 'installed') return { path, changed: false };
  if (state === 'foreign') throw new SettingsError(`${path} exists and is not ccx's: move it away to install ccx's plugin`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomic(path, openCodePluginText(p, ctx), { mode: 0o644 });
  return { path, changed: true };
}

export function uninstallOpenCodePlugin(p: Profile, ctx: { env: Env }): { path: string; changed: boolean } {
  const path = openCodePluginPath(p, ctx.env);
  const text = read(path);
  if (text === null || !text.startsWith(PLUGIN_MARK)) return { path, changed: false };
  rmSync(path);
  return { path, changed: true };
}
