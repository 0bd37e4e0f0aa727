// The hooks block and status line ccx installs: settings.snippet.json, filled in for one profile.
// Placeholders {{node}}, {{dist}} and {{profile}} are replaced inside each space-separated word of
// a command, and each resulting word is then shell-quoted as a whole.
import { isAbsolute, resolve } from 'node:path';
import snippetJson from '../../settings.snippet.json';
import { PROFILE_NAME_RE } from '../contracts/profile';
import { quotePosix } from '../shell';
import { SettingsError } from './errors';
import { guardedCommand, spooledCommand } from './guard';
import { isPlainObject } from './json-text';
import { CCX_ENTRY_KEYS, type RegistrationOptions, registrationOf } from './registration';

export type InstallContext = {
  /** Absolute path of the node binary that runs the hooks. */
  node: string;
  /** Absolute path of the checkout's dist/ directory. */
  distDir: string;
  profile: string;
} & RegistrationOptions;
export type CommandEntry = { type: 'command'; command: string; timeout?: number; async?: true };
/** One hook ccx wants: a group holding one entry, under `event`. */
export type DesiredHook = { event: string; matcher?: string; entry: CommandEntry };
export type DesiredSettings = { hooks: DesiredHook[]; statusLine: CommandEntry };

export function desiredSettings(ctx: InstallContext, snippet: unknown = snippetJson): DesiredSettings {
  if (!isAbsolute(ctx.node) || !isAbsolute(ctx.distDir)) {
    throw new SettingsError(`node (${ctx.node}) and dist dir (${ctx.distDir}) must be absolute paths`);
  }
  if (!PROFILE_NAME_RE.test(ctx.profile)) throw new SettingsError(`invalid profile name: ${JSON.stringify(ctx.profile)}`);
  const values: Record<string, string> = { node: ctx.node, dist: resolve(ctx.distDir), profile: ctx.profile };
  const fill = (entry: CommandEntry): CommandEntry => ({ ...entry, command: fillCommand(entry.command, values) });
  const { hooks, statusLine } = readSnippet(snippet);
  const register = (h: DesiredHook): DesiredHook => {
    const entry = fill(h.entry);
    switch (registrationOf(h.event, ctx)) {
      case 'sync':
        return { ...h, entry };
      case 'async':
        return { ...h, entry: { ...entry, command: spooledCommand(entry.command, ctx.profile), async: true } };
      case 'guarded':
        return { ...h, entry: { ...entry, command: guardedCommand(entry.command, ctx.profile) } };
    }
  };
  return { hooks: hooks.map(register), statusLine: fill(statusLine) };
}

/**
 * ccx's entry as install leaves it: the keys ccx decides as wanted (an `async` it no longer
 * wants goes), the keys a user added kept.
 */
export function rewrittenEntry(current: Record<string, unknown>, want: CommandEntry): Record<string, unknown> {
  const kept = Object.fromEntries(Object.entries(current).filter(([k]) => !(CCX_ENTRY_KEYS as readonly string[]).includes(k) || k in want));
  return { ...kept, ...want };
}

function fillCommand(template: string, values: Record<string, string>): string {
  return template
    .split(' ')
    .map((word) =>
      quotePosix(
        word.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
          const v = values[name];
          if (v === undefined) throw new SettingsError(`settings.snippet.json: unknown placeholder {{${name}}}`);
          return v;
        }),
      ),
    )
    .join(' ');
}

function commandEntry(v: unknown, where: string): CommandEntry {
  if (!isPlainObject(v) || v.type !== 'command' || typeof v.command !== 'string') {
    throw new SettingsError(`settings.snippet.json: ${where} must be {"type": "command", "command": …}`);
  }
  return v as CommandEntry;
}

/** The snippet's shape: every event holds exactly one group with exactly one command. */
function readSnippet(snippet: unknown): { hooks: DesiredHook[]; statusLine: CommandEntry } {
  if (!isPlainObject(snippet) || !isPlainObject(snippet.hooks)) throw new SettingsError('settings.snippet.json: no "hooks" object');
  const hooks = Object.entries(snippet.hooks).map(([event, groups]): DesiredHook => {
    const group: unknown = Array.isArray(groups) && groups.length === 1 ? groups[0] : null;
    if (!isPlainObject(group) || !Array.isArray(group.hooks) || group.hooks.length !== 1) {
      throw new SettingsError(`settings.snippet.json: hooks.${event} must hold one group with one hook`);
    }
    const entry = commandEntry(group.hooks[0], `hooks.${event}`);
    return typeof group.matcher === 'string' ? { event, matcher: group.matcher, entry } : { event, entry };
  });
  return { hooks, statusLine: commandEntry(snippet.statusLine, 'statusLine') };
}
