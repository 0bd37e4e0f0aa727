// lib/run: `ccx run` — which profile, what to start, and the supervisor that moves a session to a
// sibling at the hard band (see README.md).

export { exitStatus, spawnChild } from './child';
export { type Choice, chooseProfile } from './choose';
export { findClaude } from './claude-binary';
export { RunError } from './errors';
export { type Launch, launchFor, printLine } from './launch';
export { carrySession, newestSession, resumeArgs, withSessionId } from './session';
export { type Child, type Exit, GRACE_MS, NOTICE_MS, POLL_MS, type SuperviseDeps, type SuperviseInput, supervise } from './supervise';
