// The file side for a Codex home: $CODEX_HOME/config.toml, through the same locked, re-planned,
// backed-up atomic write as a settings.json (file.ts).
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import type { CodexInstallContext } from './codex-hooks';
import { codexStatus, planCodexInstall, planCodexUninstall } from './codex-toml';
import { applyPlan, type FileOptions, type FileResult, readSettingsFile } from './file';
import type { SettingsStatus } from './status';

const codexConfigPath = (codexHome: string): string => join(codexHome, 'config.toml');

/**
 * config.toml's path as Codex names it in trust keys: CODEX_HOME resolved (Codex canonicalizes
 * it), the file name as is.
 */
export function codexKeyPath(codexHome: string): string {
  try {
    return join(realpathSync(codexHome), 'config.toml');
  } catch {
    return codexConfigPath(codexHome);
  }
}

/** A file holding no ccx block yet: the user's original, the one to back up. */
const holdsNoCcxBlock = (text: string): boolean => !planCodexUninstall(text, '').changed;

export function installCodexHooks(codexHome: string, ctx: CodexInstallContext, opts: FileOptions): FileResult {
  return applyPlan(codexConfigPath(codexHome), (text) => planCodexInstall(text, ctx, codexKeyPath(codexHome)), opts, holdsNoCcxBlock);
}

export function uninstallCodexHooks(codexHome: string, opts: FileOptions): FileResult {
  return applyPlan(codexConfigPath(codexHome), (text) => planCodexUninstall(text, codexKeyPath(codexHome)), opts, holdsNoCcxBlock);
}

export function codexHooksStatus(codexHome: string, ctx: CodexInstallContext): SettingsStatus {
  return codexStatus(readSettingsFile(codexConfigPath(codexHome)), ctx, codexKeyPath(codexHome));
}
