// How `--once` callers ask a running consolidator for a pass: drop <id>.req in requests/; the
// daemon notes the requests present at the start of a pass and renames each to <id>.done after
// that whole pass is committed (or at once, when lib/consolidator/watch.ts vouches that nothing
// changed since its last clean pass), so the caller knows everything it saw is in. A request that
// asks for a rendered report gets it as <id>.res, written before the rename (lib/contracts/render.ts).
import { type FSWatcher, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, watch, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isRenderAsk, type RenderAsk, type RenderResult } from '../contracts/render';
import { lockHolder } from '../lock-holder';
import type { CcxPaths } from '../paths';

/**
 * What a request asks besides a pass. `zone`: the time zone the caller will report in
 * (lib/store/day-zones.ts). `handover`: `ccx serve` wants the lock; a consolidator that exits when
 * idle leaves at once instead, and the other requests wait for serve. `render`: the report to
 * render once the pass is in (a daemon without a renderer answers without it).
 */
export type RequestAsks = { zone?: string; handover?: boolean; render?: RenderAsk };

/**
 * The file is written under another name and renamed: a daemon woken by its creation must never
 * read it half written (a request without its zone would be answered without that zone's pieces).
 */
export function createRequest(dir: string, id: string, asks: RequestAsks = {}): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `${id}.req`);
  const draft = join(dir, `${id}.new`);
  const lines = [
    String(process.pid),
    ...(asks.zone ? [`zone ${asks.zone}`] : []),
    ...(asks.handover ? ['handover'] : []),
    ...(asks.render ? [`render ${JSON.stringify(asks.render)}`] : []),
  ];
  writeFileSync(draft, `${lines.join('\n')}\n`, { mode: 0o600, flag: 'wx' });
  renameSync(draft, path);
  return path;
}

export type RenderRequest = { req: string; ask: RenderAsk };

/**
 * What `reqs` ask: the zones they name (unchecked: the consolidator validates them), whether one
 * asks for a handover, the reports to render. A request gone meanwhile asks nothing.
 */
export function requestAsks(reqs: string[]): { zones: string[]; handover: boolean; renders: RenderRequest[] } {
  const zones = new Set<string>();
  const renders: RenderRequest[] = [];
  let handover = false;
  for (const req of reqs) {
    let text = '';
    try {
      text = readFileSync(req, 'utf8');
    } catch {
      continue;
    }
    for (const m of text.matchAll(/^zone (\S{1,100})$/gm)) zones.add(m[1]!);
    handover ||= /^handover$/m.test(text);
    const render = /^render (.+)$/m.exec(text);
    const ask = render ? parseAsk(render[1]!) : null;
    if (ask) renders.push({ req, ask });
  }
  return { zones: [...zones], handover, renders };
}

function parseAsk(json: string): RenderAsk | null {
  try {
    const v: unknown = JSON.parse(json);
    return isRenderAsk(v) ? v : null;
  } catch {
    return null;
  }
}

export function pendingRequests(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((n) => n.endsWith('.req'))
      .map((n) => join(dir, n));
  } catch {
    return [];
  }
}

const answerOf = (req: string): string => req.replace(/\.req$/, '.done');
const resultOf = (req: string): string => req.replace(/\.req$/, '.res');

/**
 * The rendered report, written whole (as a draft, renamed) before the request is answered:
 * `<exit code>\n`, then each write as `<fd> <bytes>\n<bytes>`.
 */
export function writeRendered(req: string, r: RenderResult): void {
  const parts = [Buffer.from(`${r.code}\n`)];
  for (const w of r.writes) {
    const text = Buffer.from(w.text);
    parts.push(Buffer.from(`${w.fd} ${text.length}\n`), text);
  }
  const draft = `${resultOf(req)}.new`;
  writeFileSync(draft, Buffer.concat(parts), { mode: 0o600 });
  renameSync(draft, resultOf(req));
}

/** The report rendered for an answered request; null when the daemon rendered none (it had no renderer, or declined). */
export function readRendered(req: string): RenderResult | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(resultOf(req));
  } catch {
    return null;
  }
  const line = (from: number): [string, number] | null => {
    const nl = bytes.indexOf(0x0a, from);
    return nl === -1 ? null : [bytes.subarray(from, nl).toString(), nl + 1];
  };
  const first = line(0);
  if (!first || !/^\d+$/.test(first[0])) return null;
  const writes: RenderResult['writes'] = [];
  for (let at = first[1]; at < bytes.length; ) {
    const head = line(at);
    const m = head && /^([12]) (\d+)$/.exec(head[0]);
    if (!head || !m) return null;
    const end = head[1] + Number(m[2]);
    if (end > bytes.length) return null;
    writes.push({ fd: m[1] === '1' ? 1 : 2, text: bytes.subarray(head[1], end).toString() });
    at = end;
  }
  return { code: Number(first[0]), writes };
}

export function answerRequests(reqs: string[]): void {
  for (const req of reqs) {
    try {
      renameSync(req, answerOf(req));
    } catch {
      // The caller gave up and removed it.
    }
  }
}

export function isAnswered(req: string): boolean {
  return statSync(answerOf(req), { throwIfNoEntry: false }) !== undefined;
}

export type AnswerWait = {
  /** Resolves after `ms`, or as soon as the answer appears (also if it did since the last wait). */
  wait: (ms: number) => Promise<void>;
  close: () => void;
};

/**
 * A daemon that can vouch for state.db answers within a millisecond or two, a poll interval
 * sooner than the caller would look again: the rename wakes the caller. Without inotify, the poll.
 */
export function answerWait(req: string): AnswerWait {
  let seen = false;
  let finish: (() => void) | null = null;
  let watcher: FSWatcher | null = null;
  const done = basename(answerOf(req));
  try {
    watcher = watch(dirname(req), { persistent: false }, (_kind, name) => {
      if (name !== done) return;
      seen = true;
      finish?.();
    });
    watcher.on('error', () => watcher?.close());
  } catch {
    // Polling only.
  }
  return {
    wait: (ms) =>
      new Promise((resolve) => {
        if (seen) return resolve();
        const timer = setTimeout(end, ms);
        function end() {
          clearTimeout(timer);
          finish = null;
          resolve();
        }
        finish = end;
      }),
    close: () => watcher?.close(),
  };
}

const POLL_MS = 50;

/**
 * Waits for `req`'s answer while the lock's holder lives: 'answered', 'gone' (the holder died
 * unanswered: a dead one, killed or dated in the future, is seen at once) or 'late' (past `deadline`).
 */
export async function answerFrom(
  paths: CcxPaths,
  req: string,
  answer: AnswerWait,
  now: () => number,
  deadline: number,
): Promise<'answered' | 'gone' | 'late'> {
  while (lockHolder(paths, now()).state === 'live') {
    if (isAnswered(req)) return 'answered';
    if (now() > deadline) return 'late';
    await answer.wait(POLL_MS);
  }
  return isAnswered(req) ? 'answered' : 'gone';
}

export function removeRequest(req: string): void {
  for (const p of [req, answerOf(req), resultOf(req)]) {
    try {
      unlinkSync(p);
    } catch {
      // Already gone.
    }
  }
}
