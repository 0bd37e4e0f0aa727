// The background consolidator: takes the lock (which records it in consolidator.pid) or leaves, then runs passes until nothing has
// happened for `idleMs` (`ccx serve`: idleMs Infinity, until a signal). Before exiting it looks once more at the inbox and the requests: a hook
// that saw the lock alive just before we released it must not be left waiting for the next hook.
import { mkdirSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import type { QuotaSnapshot } from '../contracts/quota';
import type { RenderAsk, RenderResult } from '../contracts/render';
import { Consolidator, type ConsolidatorDeps } from './consolidator';
import { housekeep } from './housekeeping';
import { type Release, tryLock } from './lock';
import { answerRequests, pendingRequests, type RenderRequest, requestAsks, writeRendered } from './requests';
import { BUSY_GAP_MS, quotaDue, scanDue } from './schedule';
import { inboxWaker } from './wake';
import { ChangeWatch } from './watch';

export type DaemonOpts = ConsolidatorDeps & {
  idleMs: number;
  /** Pause between passes: how fast a new inbox line is picked up. */
  tickMs: number;
  /** Transcripts are also scanned after any hook event or request; this is the floor. */
  scanEveryMs: number;
  /** Rolling windows age even when nothing happens: quota.json is rewritten at least this often. */
  quotaEveryMs: number;
  /** Called once the lock is held, before the first pass (`ccx serve` writes daemon.json here). */
  onLocked?: () => void;
  /** Called with each quota.json just written (`ccx serve` turns band rises into live events). */
  onQuota?: (snap: QuotaSnapshot) => void;
  /** Renders the reports requests ask for (lib/report's reportRenderer); without it they are answered unrendered. */
  render?: Renderer;
};

/** Renders a report for a ccx-report process once the pass it waits for is in. */
export type Renderer = {
  /** The zone the report will be in (its day pieces are built first), or null when it renders none. */
  zoneOf(ask: RenderAsk): string | null;
  /** null: declined (a report that writes a file, or the live view: the caller runs those itself). */
  render(ask: RenderAsk): Promise<RenderResult | null>;
};

export async function runDaemon(opts: DaemonOpts): Promise<'finished' | 'busy'> {
  const { paths, now, log } = opts;
  let compromised = false;
  const onCompromised = (err: Error) => {
    compromised = true;
    log(`lock lost (${err.message}); stopping`);
  };
  let release: Release | null = await tryLock(paths, log, onCompromised);
  if (!release) return 'busy';
  try {
    unlinkSync(paths.spawnClaim);
  } catch {
    // Started by hand, not by a hook.
  }
  let stopping = false;
  const waker = inboxWaker(paths.inbox, log);
  const stop = () => {
    stopping = true;
    waker.wake();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  log(`consolidator ${process.pid} started`);
  opts.onLocked?.();
  const swept = housekeep(paths, now());
  if (swept.done + swept.told) log(`removed ${swept.done} old answered request(s), ${swept.told} old told marker(s)`);

  const c = new Consolidator(opts);
  c.thinOldPayloads();
  // A request (ccx-report) ends the pause at once, or the next one when it came during a pass.
  let requested = false;
  mkdirSync(paths.requests, { recursive: true, mode: 0o700 });
  const changes = new ChangeWatch(paths, log, () => {
    requested = true;
    waker.wake();
  });
  let lastActivity = now();
  let lastScan = 0;
  let lastQuota = 0;
  // Work an event asked for but the busy gap postponed: done on a later tick, never dropped.
  let scanPending = false;
  let lastEvent = 0;
  let quotaPending = false;
  /** The profiles the last quota.json was computed for. */
  let quotaProfiles = '';
  try {
    while (!compromised && !stopping) {
      requested = false;
      if (c.ensureDbAtPath()) changes.invalidate();
      const reqs = pendingRequests(paths.requests);
      const asked = reqs.length > 0;
      const asks = requestAsks(reqs);
      // `ccx serve` takes over from a consolidator that would exit when idle; serve answers the rest.
      if (asks.handover && Number.isFinite(opts.idleMs)) {
        log('handing the lock over to ccx serve');
        break;
      }
      const profiles = c.profiles();
      // An edited profile (enforce, caps, plan) changes quota.json even when no transcript did.
      const profilesKey = JSON.stringify(profiles);
      quotaPending ||= profilesKey !== quotaProfiles;
      // A report in a zone with no day pieces yet waits for the scan that builds them.
      scanPending ||= c.askZones([...asks.zones, ...renderZones(opts.render, asks.renders)]);
      if (asked && !scanPending && !quotaPending && (await changes.vouches(profiles))) {
        // Nothing was written since the last clean pass: what the callers want is committed.
        // Logged first: a caller woken by the answer may read the log at once.
        log(`answered ${reqs.length} request(s) without a pass: nothing changed since the last clean one`);
        await renderReports(opts, asks.renders);
        answerRequests(reqs);
        lastActivity = now();
        continue;
      }
      const mark = changes.begin(profiles);
      const inbox = c.applyInbox(profiles);
      scanPending ||= inbox.records > 0;
      if (inbox.records > 0) lastEvent = now();
      let grew = false;
      if (scanDue({ now: now(), asked, lastEvent, lastScan, scanPending, scanEveryMs: opts.scanEveryMs })) {
        grew = c.scan(profiles).bytesRead > 0;
        await changes.settle(mark);
        lastScan = now();
        scanPending = false;
      }
      const active = inbox.records > 0 || grew;
      quotaPending ||= active;
      if (quotaDue({ now: now(), asked, lastQuota, quotaPending, quotaEveryMs: opts.quotaEveryMs })) {
        const snap = c.writeQuota(profiles);
        quotaProfiles = profilesKey;
        opts.onQuota?.(snap);
        lastQuota = now();
        quotaPending = false;
      }
      await renderReports(opts, asks.renders);
      answerRequests(reqs);
      if (active || asked || scanPending || quotaPending) lastActivity = now();
      if (now() - lastActivity >= opts.idleMs) {
        await release();
        release = null;
        if (!hasWork(opts)) break;
        release = await tryLock(paths, log, onCompromised);
        if (!release) break; // another consolidator took over and will see the work
        lastActivity = now();
        continue;
      }
      // After a quiet spell a hook's append starts the next pass at once; in a burst, the tick.
      if (!requested) await waker.pause(opts.tickMs, now() - lastEvent >= BUSY_GAP_MS);
    }
    // Stopped by a signal: events appended since the last pass are applied, not left for later.
    if (stopping && !compromised && release) c.applyInbox(c.profiles());
  } catch (err) {
    log(`pass failed: ${(err as Error).stack ?? String(err)}`);
  } finally {
    waker.close();
    changes.close();
    c.close();
    if (release) await release().catch(() => undefined);
    log(`consolidator ${process.pid} exiting`);
  }
  return 'finished';
}

const renderZones = (r: Renderer | undefined, renders: RenderRequest[]): string[] =>
  r ? renders.flatMap(({ ask }) => r.zoneOf(ask) ?? []) : [];

/** Each asked report, before its request is answered; one that fails is left to its caller. */
async function renderReports(opts: DaemonOpts, renders: RenderRequest[]): Promise<void> {
  if (!opts.render) return;
  for (const { req, ask } of renders) {
    try {
      const r = await opts.render.render(ask);
      if (!r) continue;
      writeRendered(req, r);
      opts.log(`rendered ${ask.name} ${ask.argv.join(' ')}`.trimEnd());
    } catch (err) {
      opts.log(`rendering a report for ${req} failed: ${(err as Error).message}`);
    }
  }
}

function hasWork(opts: DaemonOpts): boolean {
  const st = statSync(opts.paths.inbox, { throwIfNoEntry: false });
  return (st !== undefined && st.size > 0) || pendingRequests(opts.paths.requests).length > 0 || spoolHolds(opts.paths.spool);
}

const spoolHolds = (dir: string): boolean => {
  try {
    return readdirSync(dir).length > 0;
  } catch {
    return false;
  }
};
