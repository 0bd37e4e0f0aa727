// lib/warnings: what a hook prints — a quota warning once per band, or a deny (see README.md).
export { hookOutput, type HookOutput } from './hook-output';
export { readSnapshot, snapshotProfile } from './snapshot';
