// lib/settings: ccx's hooks and status line in a profile's settings.json (see README.md).
export { SettingsError } from './errors';
export { installHooks, uninstallHooks, offerStatusLine, hooksStatus, readSettingsFile, type FileOptions, type FileResult } from './file';
export { planInstall, planUninstall, planStatusLine, type Plan, type StatusLineOutcome } from './plan';
export { settingsStatus, type SettingsStatus, type HookState } from './status';
export { desiredSettings, type InstallContext } from './snippet';
export { isCcxHookCommand, isCcxStatusLineCommand } from './recognise';
export { splitPosixWords } from './words';
