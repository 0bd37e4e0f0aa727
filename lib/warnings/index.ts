// lib/warnings: what a hook prints — a quota warning once per band, or a deny (see README.md).
export { type HookOutput, hookOutput } from './hook-output';
export { isQuiet, writeWithQuietFlags } from './quiet';
export { readSnapshot, snapshotProfile } from './snapshot';
