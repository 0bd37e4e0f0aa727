// The file side of install, uninstall and status: read the settings.json, plan, and when that
// changes something, under the file's lock (../file-lock) read and plan again, back up the
// user's original once, replace it atomically with the same mode and owner. A file that cannot be planned (not JSON,
// `hooks` not an object) or is read-only is left exactly as it was.
import { chmodSync, constants, copyFileSync, mkdirSync, readdirSync, readFileSync, realpathSync, type Stats, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { writeFileAtomic } from '../atomic-write';
import { LockTimeoutError, withFileLock } from '../file-lock';
import { SettingsError } from './errors';
import { type Plan, planInstall, planStatusLine, planUninstall, type StatusLineOutcome } from './plan';
import type { InstallContext } from './snippet';
import { type SettingsStatus, settingsStatus } from './status';

export type FileOptions = { now: () => Date };
export type FileResult = {
  path: string;
  changed: boolean;
  /** The backup this call wrote: only of a file holding nothing of ccx's yet, when none exists. */
  backup: string | null;
};

export function installHooks(settingsPath: string, ctx: InstallContext, opts: FileOptions): FileResult & { disableAllHooks: boolean } {
  return applyPlan(settingsPath, (text) => planInstall(text, ctx), opts);
}

export function uninstallHooks(settingsPath: string, opts: FileOptions): FileResult {
  return applyPlan(settingsPath, planUninstall, opts);
}

export function offerStatusLine(settingsPath: string, ctx: InstallContext, opts: FileOptions): FileResult & { outcome: StatusLineOutcome } {
  return applyPlan(settingsPath, (text) => planStatusLine(text, ctx), opts);
}

export function hooksStatus(settingsPath: string, ctx: InstallContext): SettingsStatus {
  return settingsStatus(readSettingsFile(settingsPath), ctx);
}

/** The file's text, or null when it does not exist. */
export function readSettingsFile(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

export const backupPrefix = (settingsPath: string): string => `${basename(settingsPath)}.ccx-backup-`;

/**
 * Plans on the file's text and writes the result as described above. `original` tells a file
 * holding nothing of ccx's yet (the one to back up); a settings.json's rule by default.
 */
export function applyPlan<P extends Plan>(
  path: string,
  plan: (text: string | null) => P,
  opts: FileOptions,
  original: (text: string) => boolean = isOriginal,
): P & FileResult {
  // Write through a symlink (dotfile managers), not over it; lock the file actually written.
  const target = realTarget(path);
  // Nothing to change: no lock, and no config dir created for one.
  const unlocked = planText(path, plan, readSettingsFile(target));
  if (!unlocked.changed) return { ...unlocked, path, backup: null };
  mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
  try {
    return withFileLock(target, () => replan(path, target, plan, opts, original));
  } catch (err) {
    if (err instanceof LockTimeoutError) throw new SettingsError(`${err.message}; left unchanged`);
    throw err;
  }
}

/** Inside the lock: read the file again, plan on what it holds now, write. */
function replan<P extends Plan>(
  path: string,
  target: string,
  plan: (text: string | null) => P,
  opts: FileOptions,
  original: (text: string) => boolean,
): P & FileResult {
  for (let attempt = 1; ; attempt++) {
    const before = readSettingsFile(target);
    const planned = planText(path, plan, before);
    if (!planned.changed) return { ...planned, path, backup: null };
    const stats = before === null ? null : statSync(target);
    if (stats && (stats.mode & 0o200) === 0) {
      throw new SettingsError(`${path}: read-only (mode ${(stats.mode & 0o777).toString(8)}); left unchanged`);
    }
    const backup = stats && before !== null && original(before) ? backupOnce(path, target, stats, opts.now()) : null;
    // Claude Code (or Codex) does not take ccx's lock: replace the file only if it is still what was planned on.
    const written = writeFileAtomic(target, planned.text, {
      mode: stats ? stats.mode : 0o600,
      owner: stats ? { uid: stats.uid, gid: stats.gid } : undefined,
      beforeRename: () => readSettingsFile(target) === before,
    });
    if (written) return { ...planned, path, backup };
    if (attempt === 3) throw new SettingsError(`${path}: kept changing while ccx was writing it; try again`);
  }
}

function planText<P extends Plan>(path: string, plan: (text: string | null) => P, text: string | null): P {
  try {
    return plan(text);
  } catch (err) {
    if (err instanceof SettingsError) throw new SettingsError(`${path}: ${err.message}; left unchanged`);
    throw err;
  }
}

function realTarget(path: string): string {
  try {
    return realpathSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return path;
    throw err;
  }
}

/**
 * The file as it was before ccx touched it: no ccx entry in it yet (uninstall would change
 * nothing). A file ccx created, or edited before, is not: a backup of it would keep ccx's hooks
 * and not the user's original, whichever process or command made those edits.
 */
function isOriginal(text: string): boolean {
  try {
    return !planUninstall(text).changed;
  } catch (err) {
    // Only the status line was planned on a file whose `hooks` ccx cannot read: none of ccx's there.
    if (err instanceof SettingsError) return true;
    throw err;
  }
}

function backupOnce(path: string, target: string, stats: Stats, now: Date): string | null {
  const prefix = backupPrefix(path);
  const dir = dirname(path);
  if (readdirSync(dir).some((name) => name.startsWith(prefix))) return null;
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const backup = join(dir, prefix + stamp);
  copyFileSync(target, backup, constants.COPYFILE_EXCL);
  chmodSync(backup, stats.mode & 0o7777);
  return backup;
}
