// One full pass, in the foreground. With the lock free, run it here. With a live consolidator,
// ask it (requests.ts) and return as soon as it has committed a pass that started after we asked
// (or vouched that its last one holds everything: watch.ts);
// if it dies meanwhile, take over. Never waits out the other's idle period.

import { lockHolder } from '../lock-holder';
import { Consolidator, type ConsolidatorDeps, type PassStats } from './consolidator';
import { tryLock } from './lock';
import { type AnswerWait, answerFrom, answerWait, createRequest, removeRequest } from './requests';

/** A live consolidator did not answer in time; what is committed is still readable. */
export class ConsolidatorBusyError extends Error {
  constructor(waitedMs: number) {
    super(`the running consolidator did not finish a pass within ${Math.round(waitedMs / 1000)} s`);
    this.name = 'ConsolidatorBusyError';
  }
}

export type OnceResult = { ranBy: 'self'; stats: PassStats } | { ranBy: 'daemon' };

/** `zone`: the zone the caller reports in; the pass keeps day pieces of it (lib/store/day-zones.ts). */
export async function runOnce(deps: ConsolidatorDeps, opts: { timeoutMs?: number; zone?: string } = {}): Promise<OnceResult> {
  const { paths, now } = deps;
  const timeoutMs = opts.timeoutMs ?? 15 * 60_000;
  const deadline = now() + timeoutMs;
  let req: string | null = null;
  let answer: AnswerWait | null = null;
  try {
    for (;;) {
      // A live holder would refuse the lock: ask it straight away (and load no lock library).
      const release =
        lockHolder(paths, now()).state === 'live'
          ? null
          : await tryLock(paths, deps.log, (err) => deps.log(`lock lost during --once: ${err.message}`));
      if (release) {
        const c = new Consolidator(deps);
        try {
          if (opts.zone) c.askZones([opts.zone]);
          return { ranBy: 'self', stats: c.pass() };
        } finally {
          c.close();
          await release().catch(() => undefined);
        }
      }
      if (!req) req = createRequest(paths.requests, `${process.pid}-${now()}`, { zone: opts.zone });
      answer ??= answerWait(req);
      // A holder gone unanswered: back to tryLock.
      const got = await answerFrom(paths, req, answer, now, deadline);
      if (got === 'answered') return { ranBy: 'daemon' };
      if (got === 'late') throw new ConsolidatorBusyError(timeoutMs);
    }
  } finally {
    answer?.close();
    if (req) removeRequest(req);
  }
}
