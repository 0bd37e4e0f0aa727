// One full pass, in the foreground. With the lock free, run it here. With a live consolidator,
// ask it (requests.ts) and return as soon as it has committed a pass that started after we asked;
// if it dies meanwhile, take over. Never waits out the other's idle period.

import { lockHolder } from '../lock-holder';
import { Consolidator, type ConsolidatorDeps, type PassStats } from './consolidator';
import { tryLock } from './lock';
import { createRequest, isAnswered, removeRequest } from './requests';

const POLL_MS = 50;

/** A live consolidator did not answer in time; what is committed is still readable. */
export class ConsolidatorBusyError extends Error {
  constructor(waitedMs: number) {
    super(`the running consolidator did not finish a pass within ${Math.round(waitedMs / 1000)} s`);
    this.name = 'ConsolidatorBusyError';
  }
}

export type OnceResult = { ranBy: 'self'; stats: PassStats } | { ranBy: 'daemon' };

export async function runOnce(deps: ConsolidatorDeps, opts: { timeoutMs?: number } = {}): Promise<OnceResult> {
  const { paths, now } = deps;
  const timeoutMs = opts.timeoutMs ?? 15 * 60_000;
  const deadline = now() + timeoutMs;
  let req: string | null = null;
  try {
    for (;;) {
      const release = await tryLock(paths, deps.log, (err) => deps.log(`lock lost during --once: ${err.message}`));
      if (release) {
        const c = new Consolidator(deps);
        try {
          return { ranBy: 'self', stats: c.pass() };
        } finally {
          c.close();
          await release().catch(() => undefined);
        }
      }
      req ??= createRequest(paths.requests, `${process.pid}-${now()}`);
      // A dead holder (killed, or a lock dated in the future) is seen at once: back to tryLock.
      while (lockHolder(paths, now()).state === 'live') {
        if (isAnswered(req)) return { ranBy: 'daemon' };
        if (now() > deadline) throw new ConsolidatorBusyError(timeoutMs);
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
      if (isAnswered(req)) return { ranBy: 'daemon' };
    }
  } finally {
    if (req) removeRequest(req);
  }
}
