// lib/settings: ccx's hooks and status line in a profile's settings.json (see README.md).

export { codexHooksStatus, codexKeyPath, installCodexHooks, uninstallCodexHooks } from './codex-file';
export { CODEX_EVENTS, type CodexInstallContext, codexHookHash, codexHookKey, desiredCodexHooks } from './codex-hooks';
export { ccxCodexCommands, codexStatus, planCodexInstall, planCodexUninstall } from './codex-toml';
export { SettingsError } from './errors';
export { type FileOptions, type FileResult, hooksStatus, installHooks, offerStatusLine, readSettingsFile, uninstallHooks } from './file';
export { type Plan, planInstall, planStatusLine, planUninstall, type StatusLineOutcome } from './plan';
export { ccxHooksPresent, settingsPath } from './presence';
export { isCcxHookCommand, isCcxStatusLineCommand } from './recognise';
export { ASYNC_HOOKS_SINCE, type Registration, type RegistrationOptions, registrationOf } from './registration';
export { desiredSettings, type InstallContext } from './snippet';
export { type HookState, type SettingsStatus, settingsStatus } from './status';
export { splitPosixWords } from './words';
