// lib/hook: what a Claude Code hook process does (see README.md). hooks/<event>.ts call
// startHook; the status line shares the stdin reader and the profile lookup.

export { configDirOf, profileArg } from './origin';
export { startHook } from './start';
export { readHookStdin, type StdinResult } from './stdin';
