// lib/doctor: `ccx doctor`'s checks, and the verdicts `ccx hooks status` and `ccx status` share
// with it (see README.md).
export { runDoctor, type DoctorInput } from './run';
export type { Check, Status } from './check';
export { renderChecks } from './render';
export { judgeHooks, type HooksVerdict } from './hooks';
export { consolidatorState, fileSize, inboxBacklog } from './runtime';
export { bytes, duration } from './format';
