// Checks on the consolidator: alive or not, `ccx serve` (daemon.json), and whether hook events are piling up unapplied.

import { bytes, durationToSecond } from '../format';
import type { CcxPaths } from '../paths';
import { daemonFilePath, serveState } from '../serve';
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
  checks.push(serveCheck(paths));
  if (backlog.lines === 0) checks.push(ok('inbox backlog', 'empty'));
  else if (!state.alive) checks.push(warn('inbox backlog', `${waiting} and no consolidator running`, `run: ${onceCommand}`));
  else if (backlog.lines > BACKLOG_WARN_LINES) checks.push(warn('inbox backlog', `${waiting}: the consolidator is falling behind`, log));
  else checks.push(ok('inbox backlog', waiting));
  return checks;
}

/** `ccx serve` from daemon.json: running (and where), not running, or a stale file left behind. */
function serveCheck(paths: CcxPaths): Check {
  const s = serveState(paths);
  if (s.state === 'running') return ok('ccx serve', `running at ${s.url} (pid ${s.pid})`);
  if (s.state === 'stale') {
    return warn(
      'ccx serve',
      `daemon.json says running but pid ${s.pid} is gone`,
      `remove ${daemonFilePath(paths)} or start ccx serve again`,
    );
  }
  return ok('ccx serve', 'not running');
}
