// lib/doctor: `ccx doctor`'s checks, and the verdicts `ccx hooks status` and `ccx status` share
// with it (see README.md).

export type { Check, Status } from './check';
export { type HooksReport, type HooksVerdict, judgeHooks, verdictStatus } from './hooks';
export { renderChecks } from './render';
export { type DoctorInput, runDoctor } from './run';
export { consolidatorState, fileSize, inboxBacklog } from './runtime';
