// One profile's hooks, judged: the state lib/settings reports, said in a line with its fix, and
// whether the commands ccx registered still point at files that exist.

import { existsSync } from 'node:fs';
import type { Profile } from '../contracts/profile';
import {
  ccxCodexCommands,
  codexHooksStatus,
  hooksStatus,
  type InstallContext,
  isCcxHookCommand,
  isCcxStatusLineCommand,
  readSettingsFile,
  type SettingsStatus,
  splitPosixWords,
} from '../settings';
import type { Status } from './check';

export type HooksVerdict = { state: SettingsStatus['state']; detail: string; fix: string | null };
/** A verdict and the file it is about. */
export type HooksReport = { settings: string } & HooksVerdict;

/** How a verdict counts, for doctor and for `ccx hooks status`'s exit code alike. */
export function verdictStatus(v: HooksVerdict): Status {
  return v.state === 'installed' ? 'ok' : v.state === 'disabled' ? 'warn' : 'fail';
}

/** `settingsPath` is the file holding the hooks: settings.json, or a Codex home's config.toml. */
export function judgeHooks(p: Profile, settingsPath: string, ctx: InstallContext): HooksVerdict {
  let s: SettingsStatus;
  const codex = p.agent === 'codex';
  try {
    s = codex ? codexHooksStatus(p.config_dir, ctx) : hooksStatus(settingsPath, ctx);
  } catch (err) {
    return {
      state: 'invalid',
      detail: `cannot read ${settingsPath}: ${(err as Error).message}`,
      fix: `make it readable: chmod u+rw ${settingsPath}`,
    };
  }
  const install = `ccx hooks install --profile ${p.name}`;
  if (s.state === 'invalid')
    return { state: s.state, detail: s.error, fix: `fix the ${codex ? 'TOML' : 'JSON'} in ${settingsPath}, then run: ${install}` };
  const events = Object.entries(s.events);
  const ok = events.filter(([, v]) => v === 'ok').length;
  const stale = events.filter(([, v]) => v === 'stale').map(([k]) => k);
  switch (s.state) {
    case 'installed':
      return { state: s.state, detail: `all ${events.length} hooks installed`, fix: null };
    case 'missing':
      return { state: s.state, detail: 'no ccx hooks', fix: install };
    case 'outdated': {
      const outdated = events.filter(([, v]) => v === 'outdated').map(([k]) => k);
      return {
        state: s.state,
        detail: `${outdated.length} of ${events.length} hooks registered another way than this ccx registers them (${outdated.join(', ')})`,
        fix: install,
      };
    }
    case 'untrusted': {
      const untrusted = events.filter(([, v]) => v === 'untrusted').map(([k]) => k);
      return {
        state: s.state,
        detail: `${untrusted.length} of ${events.length} hooks not trusted, which Codex skips (${untrusted.join(', ')})`,
        fix: install,
      };
    }
    case 'partial': {
      const parts = [`${ok} of ${events.length} hooks current`];
      if (stale.length) parts.push(`${stale.length} from another checkout or node (${stale.join(', ')})`);
      if (s.surplus) parts.push(`${s.surplus} extra`);
      return { state: s.state, detail: parts.join(', '), fix: install };
    }
    case 'disabled':
      return {
        state: s.state,
        detail: `"disableAllHooks": true: Claude Code runs no hooks (ccx hooks: ${s.hooks})`,
        fix: `remove "disableAllHooks" from ${settingsPath}`,
      };
  }
}

/**
 * Files named by ccx's hook and status line commands (node and script) that do not exist, in a
 * settings.json or (`codex`) a Codex home's config.toml.
 */
export function missingCommandFiles(settingsPath: string, codex = false): string[] {
  let commands: string[];
  try {
    const text = readSettingsFile(settingsPath);
    commands = codex ? ccxCodexCommands(text) : ccxCommands(JSON.parse(text ?? '{}'));
  } catch {
    return []; // judgeHooks already reports the file as invalid
  }
  const missing = new Set<string>();
  for (const command of commands) {
    const words = splitPosixWords(command) ?? [];
    const script = words.findIndex((w) => /\/dist\/(hooks\/[a-z0-9-]+|ccx)\.js$/.test(w));
    for (const file of words.slice(0, script + 1)) if (file.startsWith('/') && !existsSync(file)) missing.add(file);
  }
  return [...missing];
}

function ccxCommands(doc: unknown): string[] {
  const out: string[] = [];
  const root = doc as { hooks?: unknown; statusLine?: { command?: unknown } } | null;
  if (root?.hooks && typeof root.hooks === 'object') {
    for (const groups of Object.values(root.hooks as Record<string, unknown>)) {
      for (const group of Array.isArray(groups) ? groups : []) {
        for (const entry of Array.isArray(group?.hooks) ? group.hooks : []) {
          if (isCcxHookCommand(entry?.command)) out.push(entry.command as string);
        }
      }
    }
  }
  if (isCcxStatusLineCommand(root?.statusLine?.command)) out.push(root!.statusLine!.command as string);
  return out;
}
