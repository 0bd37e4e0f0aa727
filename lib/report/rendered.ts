// ccx-report rendered inside the live consolidator for a ccx-report process that asked
// (lib/contracts/render.ts): the same runReport, its streams captured, its environment the
// caller's (REPORT_ENV) in this daemon's home, no pass of its own (the daemon's is in).
import { statSync } from 'node:fs';
import type { RenderAsk, RenderResult } from '../contracts/render';
import { ccxPaths } from '../paths';
import { type Db, memoizeFacts } from '../store';
import { resolveTimeZone } from '../time';
import { parseArgs, type ReportArgs } from './args';
import { openReadOnly, runReport } from './run';

export type ReportRendererDeps = {
  /** The daemon's $CCX_HOME: the caller found the daemon through it. */
  home: string;
  clock: () => number;
};

/** The daemon's Renderer (lib/consolidator's DaemonOpts.render). */
export function reportRenderer(deps: ReportRendererDeps) {
  const paths = ccxPaths(deps.home);
  // One reader for every report: its facts are kept until the consolidator commits (memoizeFacts).
  // A state.db moved aside and recreated is a new file: a new reader.
  let reader: { db: Db; ino: number } | null = null;
  const db = (): Db => {
    const ino = statSync(paths.db, { throwIfNoEntry: false })?.ino ?? -1;
    if (reader?.ino === ino) return reader.db;
    reader?.db.close();
    reader = null;
    const opened = openReadOnly(paths);
    memoizeFacts(opened);
    reader = { db: opened, ino };
    return opened;
  };
  return {
    zoneOf(ask: RenderAsk): string | null {
      const args = argsOf(ask);
      return args && !args.help ? (args.timezone ?? resolveTimeZone(ask.env.TZ)) : null;
    },
    async render(ask: RenderAsk): Promise<RenderResult | null> {
      // A file to write in the caller's directory, or a terminal to drive: the caller's own job.
      const args = argsOf(ask);
      if (args && (args.html !== null || args.live)) return null;
      const writes: RenderResult['writes'] = [];
      const stream = (fd: 1 | 2, isTTY: boolean, columns: number | undefined) => ({
        isTTY,
        columns,
        write: (text: string) => writes.push({ fd, text }),
      });
      const code = await runReport({
        name: ask.name,
        argv: ask.argv,
        env: { ...ask.env, CCX_HOME: deps.home },
        clock: deps.clock,
        db,
        stdout: stream(1, ask.tty, ask.columns ?? undefined),
        stderr: stream(2, false, undefined),
        consolidate: async () => undefined,
        // Required when asked, as in ccx-report: only a report with nothing recorded wants to know.
        hooksPresent: (p) => (require('../settings') as typeof import('../settings')).ccxHooksPresent(p),
      });
      return { code, writes };
    },
  };
}

/** The parsed arguments, or null when they do not parse (runReport then says why, as in the caller). */
function argsOf(ask: RenderAsk): ReportArgs | null {
  try {
    return parseArgs(ask.argv);
  } catch {
    return null;
  }
}
