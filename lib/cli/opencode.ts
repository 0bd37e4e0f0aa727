// `ccx hooks install|uninstall|status` for a profile with agent = opencode: ccx's plugin file in
// OpenCode's plugins dir instead of hooks in a settings.json (lib/opencode/install.ts).
import type { Profile } from '../contracts/profile';
import type { HooksVerdict } from '../doctor';
import { installOpenCodePlugin, openCodePluginStatus, uninstallOpenCodePlugin } from '../opencode';
import type { CliContext } from './context';

const pluginContext = (ctx: CliContext) => ({ node: ctx.node, distDir: ctx.distDir, env: ctx.env });

export function installOpenCodeProfile(ctx: CliContext, p: Profile): void {
  const r = installOpenCodePlugin(p, pluginContext(ctx));
  ctx.out(`${p.name}: ${r.changed ? 'OpenCode plugin installed:' : 'OpenCode plugin already installed:'} ${r.path}\n`);
}

export function uninstallOpenCodeProfile(ctx: CliContext, p: Profile): void {
  const r = uninstallOpenCodePlugin(p, pluginContext(ctx));
  ctx.out(`${p.name}: ${r.changed ? 'ccx plugin removed:' : 'no ccx plugin at'} ${r.path}\n`);
}

/** The status line of an OpenCode profile, in the verdict shape settings.json profiles get. */
export function openCodeStatus(ctx: CliContext, p: Profile): { profile: string; settings: string } & HooksVerdict {
  const { path, state } = openCodePluginStatus(p, pluginContext(ctx));
  const fix = `ccx hooks install --profile ${p.name}`;
  const verdict: HooksVerdict = {
    installed: { state: 'installed', detail: 'OpenCode plugin installed', fix: null },
    outdated: { state: 'outdated', detail: 'OpenCode plugin written by another ccx checkout or version', fix },
    missing: { state: 'missing', detail: 'no ccx plugin in OpenCode', fix },
    foreign: { state: 'invalid', detail: `${path} is not ccx's`, fix: `move it away, then run: ${fix}` },
  }[state] as HooksVerdict;
  return { profile: p.name, settings: path, ...verdict };
}
