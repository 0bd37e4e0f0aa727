// Where a profile's hooks live, and whether ccx's are there at all (what ccx-report says when it
// has no data): any ccx entry counts, current or outdated; `ccx hooks status` judges them.
import { join } from 'node:path';
import type { Profile } from '../contracts/profile';
import { ccxCodexCommands } from './codex-toml';
import { readSettingsFile } from './file';
import { ccxLocations, readSettingsText } from './survey';

/** The file holding a profile's hooks: settings.json, or a Codex home's config.toml. */
export const settingsPath = (p: Profile): string => join(p.config_dir, p.agent === 'codex' ? 'config.toml' : 'settings.json');

/** True or false for Claude Code and Codex profiles; null for OpenCode (a plugin file) or an unreadable file. */
export function ccxHooksPresent(p: Profile): boolean | null {
  try {
    if (p.agent === 'opencode') return null;
    const text = readSettingsFile(settingsPath(p));
    if (text === null) return false;
    if (p.agent === 'codex') return ccxCodexCommands(text).length > 0;
    const s = readSettingsText(text);
    return s.hooks !== null && ccxLocations(text, s.hooks.node).length > 0;
  } catch {
    return null;
  }
}
