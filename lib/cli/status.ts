// `ccx status`: the consolidator and the data at a glance.
import { consolidatorState, fileSize, inboxBacklog } from '../doctor';
import { bytes, durationToSecond, printable } from '../format';
import { hasOtherAgents } from '../profiles';
import { type ServeState, serveState } from '../serve';
import { flag, parse } from './args';
import type { CliContext } from './context';
import { loadConfig, watched } from './targets';

export async function statusCommand(argv: string[], ctx: CliContext): Promise<number> {
  const p = parse(argv, { json: { type: 'boolean' } }, { min: 0, max: 0, names: '' });
  const now = ctx.now();
  const state = consolidatorState(ctx.paths, now);
  const backlog = inboxBacklog(ctx.paths);
  const dbBytes = fileSize(ctx.paths.db);
  const serve = serveState(ctx.paths);
  const profiles = watched(ctx, loadConfig(ctx)).map((x) => ({ name: x.name, agent: x.agent, config_dir: x.config_dir }));
  // A Claude-only user's line stays as it was.
  const agents = hasOtherAgents(profiles);
  if (flag(p, 'json')) {
    ctx.out(
      `${JSON.stringify(
        { home: ctx.paths.home, consolidator: state, serve, backlog, db: { path: ctx.paths.db, bytes: dbBytes }, profiles },
        null,
        2,
      )}\n`,
    );
    return 0;
  }
  const daemon = !state.alive
    ? `not running (the next hook starts it)${staleNote(state.stalePid, state.staleLock)}`
    : state.pid === null
      ? 'starting (lock just taken)'
      : `running, pid ${state.pid}${state.startedAt === null ? '' : `, up ${durationToSecond(now - state.startedAt)}`}`;
  const rows: [string, string][] = [
    ['home', ctx.paths.home],
    ['consolidator', daemon],
    ['serve', serveLine(serve)],
    ['backlog', backlog.lines === 0 ? 'none' : `${backlog.lines} events (${bytes(backlog.bytes)}) in ${backlog.files} inbox file(s)`],
    ['database', dbBytes === null ? `${ctx.paths.db} (not created yet)` : `${ctx.paths.db} (${bytes(dbBytes)})`],
    ['profiles', profiles.map((x) => `${x.name} (${agents ? `${x.agent}, ` : ''}${x.config_dir})`).join(', ')],
  ];
  for (const [k, v] of rows) ctx.out(`${k.padEnd(13)}${printable(v)}\n`);
  return 0;
}

function staleNote(pid: number | null, lock: boolean): string {
  if (pid !== null) return `; pid ${pid} left a ${lock ? 'lock and pid file' : 'pid file'} behind`;
  return lock ? '; a dead consolidator left its lock behind' : '';
}

function serveLine(s: ServeState): string {
  if (s.state === 'running') return `running at ${s.url} (pid ${s.pid})`;
  if (s.state === 'stale') return `not running; daemon.json is stale (pid ${s.pid} is gone)`;
  return 'not running';
}
