// Checks on the consolidator: alive or not, and whether hook events are piling up unapplied.

import { bytes, durationToSecond } from '../format';
import type { CcxPaths } from '../paths';
import { type Check, ok, warn } from './check';
import { consolidatorState, inboxBacklog } from './runtime';

/** Beyond this many waiting events a live consolidator is falling behind. */
const BACKLOG_WARN_LINES = 10_000;

export function daemonChecks(paths: CcxPaths, now: number, onceCommand: string): Check[] {
  const state = consolidatorState(paths, now);
  const backlog = inboxBacklog(paths);
  const waiting = `${backlog.lines} events (${bytes(backlog.bytes)}) waiting`;
  const log = `see ${paths.consolidatorLog}`;
  const checks: Check[] = [];
  if (state.alive && state.pid === null) {
    checks.push(ok('consolidator', 'starting (lock just taken)'));
  } else if (state.alive) {
    const up = state.startedAt === null ? '' : `, up ${durationToSecond(now - state.startedAt)}`;
    checks.push(ok('consolidator', `running, pid ${state.pid}${up}`));
  } else if (state.stalePid !== null || state.staleLock) {
    const who = state.stalePid === null ? 'a consolidator' : `pid ${state.stalePid}`;
    checks.push(warn('consolidator', `not running; ${who} stopped without cleaning up`, `${log}; the next hook starts a new one`));
  } else {
    checks.push(ok('consolidator', 'not running (the next hook starts it)'));
  }
  if (backlog.lines === 0) checks.push(ok('inbox backlog', 'empty'));
  else if (!state.alive) checks.push(warn('inbox backlog', `${waiting} and no consolidator running`, `run: ${onceCommand}`));
  else if (backlog.lines > BACKLOG_WARN_LINES) checks.push(warn('inbox backlog', `${waiting}: the consolidator is falling behind`, log));
  else checks.push(ok('inbox backlog', waiting));
  return checks;
}
