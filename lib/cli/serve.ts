// `ccx serve [--port N] [--metrics]`: the consolidator in this process (no idle exit) plus the
// local HTTP API, its live event stream and the dashboard. Each quota.json the loop writes is
// judged against the one before it: a band that rose is a `recommendation` event at once.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { consolidatorDeps, createRequest, envMs, removeRequest, runDaemon } from '../consolidator';
import type { DaemonStatus } from '../contracts/daemon';
import type { QuotaSnapshot } from '../contracts/quota';
import { procStart } from '../lock-holder';
import { loadPrices } from '../pricing';
import { reportRenderer } from '../report';
import { apiRoutes, bandRises, LiveHub, newStartToken, serveState, startServer, usageEvent, writeDaemonFile } from '../serve';
import { readSnapshot } from '../warnings';
import { flag, parse, str } from './args';
import type { CliContext } from './context';
import { CliError, UsageError } from './errors';
import { loadConfig, watched } from './targets';

const BUSY_RETRY_MS = 1_000;

export async function serveCommand(argv: string[], ctx: CliContext): Promise<number> {
  const p = parse(argv, { port: { type: 'string' }, metrics: { type: 'boolean' } }, { min: 0, max: 0, names: '' });
  const port = Number(str(p, 'port') ?? '0');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port takes a number from 0 to 65535');
  refuseSecondServe(ctx);
  const deps = consolidatorDeps(ctx.env);
  const token = newStartToken();
  let status: DaemonStatus | null = null;
  // What the last events were judged on: at start the quota.json on disk, so a restart does not
  // announce a band again.
  let snapshot: QuotaSnapshot | null = readSnapshot(ctx.paths.quota);
  const live = new LiveHub(() => (snapshot ? { event: 'usage', data: usageEvent(snapshot) } : null));
  const onQuota = (next: QuotaSnapshot) => {
    for (const rec of bandRises(snapshot, next)) live.send({ event: 'recommendation', data: rec });
    snapshot = next;
    live.send({ event: 'usage', data: usageEvent(next) });
  };
  const routes = apiRoutes({
    paths: ctx.paths,
    tz: deps.tz,
    now: ctx.now,
    prices: loadPrices(ctx.paths.pricing).prices,
    status: () => status,
    snapshot: () => snapshot,
    live,
    metrics: flag(p, 'metrics'),
    // Read per request: a profile added while serving is labelled right; a broken config.toml labels by the rows.
    profiles: () => {
      try {
        return loadConfig(ctx).profiles;
      } catch {
        return [];
      }
    },
  });
  const bound = await startServer(
    port,
    () => token,
    routes,
    (err) => deps.log(`serve: ${err.stack ?? err.message}`),
  ).catch((err: Error) => {
    throw new CliError(`cannot listen on 127.0.0.1:${port}: ${err.message}`);
  });
  const url = `http://127.0.0.1:${bound.port}/`;
  let signalled = false;
  const onSignal = () => {
    signalled = true;
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  // Asks a hook-started consolidator holding the lock to leave it now rather than when idle.
  let handover: string | null = null;
  try {
    for (;;) {
      const result = await runDaemon({
        ...deps,
        idleMs: Number.POSITIVE_INFINITY,
        tickMs: envMs(ctx.env, 'CCX_TICK_MS', 250),
        scanEveryMs: envMs(ctx.env, 'CCX_SCAN_EVERY_MS', 5_000),
        quotaEveryMs: 30_000,
        onQuota,
        render: reportRenderer({ home: ctx.paths.home, clock: ctx.now }),
        onLocked: () => {
          if (handover) removeRequest(handover);
          handover = null;
          snapshot = readSnapshot(ctx.paths.quota); // another consolidator may have run since
          status = {
            pid: process.pid,
            version: packageVersion(ctx.distDir),
            started_at: new Date(ctx.now()).toISOString(),
            port: bound.port,
            url,
            db_path: ctx.paths.db,
            log_path: ctx.paths.consolidatorLog,
            executable_path: process.execPath,
            start_token: token,
            process_identity: { pid: process.pid, proc_start: procStart(process.pid) },
            profiles_watched: watched(ctx, loadConfig(ctx)).map((x) => x.name),
            running: true,
          };
          writeDaemonFile(ctx.paths, status);
          ctx.out(`${url}\n`);
        },
      });
      if (result === 'finished' || signalled) break;
      // Another serve that started at the same moment won the lock.
      refuseSecondServe(ctx);
      if (!handover) {
        handover = createRequest(ctx.paths.requests, `serve-${process.pid}`, { handover: true });
        ctx.err('ccx: a background consolidator holds the lock; asked it to hand over\n');
      }
      await new Promise((r) => setTimeout(r, BUSY_RETRY_MS));
      if (signalled) break;
    }
  } finally {
    if (handover) removeRequest(handover);
    live.close();
    const closed = new Promise((r) => bound.server.close(r));
    bound.server.closeAllConnections();
    await closed;
    if (status) writeDaemonFile(ctx.paths, { ...(status as DaemonStatus), running: false });
  }
  return 0;
}

function refuseSecondServe(ctx: CliContext): void {
  const other = serveState(ctx.paths);
  if (other.state === 'running') throw new CliError(`ccx serve already runs (pid ${other.pid}) at ${other.url}`);
}

function packageVersion(distDir: string): string {
  try {
    return (JSON.parse(readFileSync(join(distDir, '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
