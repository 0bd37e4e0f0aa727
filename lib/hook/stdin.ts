// Bounded read of the hook's stdin. Claude Code sometimes leaves stdin open after writing the
// event, so we stop as soon as what we have parses as JSON, or when no byte arrived for
// `idleMs`, or at `totalMs` whatever happens; more than `maxBytes` is refused, never buffered.
// It must be process.stdin (epoll on the main loop), not fs.read on fd 0: a thread-pool read
// blocked on a pipe that never closes makes process.exit hang, joining that thread forever.
import type { Readable } from 'node:stream';

export const STDIN_MAX_BYTES = 10 * 1024 * 1024;
export const STDIN_IDLE_MS = 2000;
export const STDIN_TOTAL_MS = 5000;

export type StdinResult =
  | { kind: 'json'; value: unknown; bytes: number }
  | { kind: 'too-large'; bytes: number }
  | { kind: 'invalid'; reason: string; bytes: number };

export function readHookStdin(
  stream: Readable,
  opts: { maxBytes?: number; idleMs?: number; totalMs?: number } = {},
): Promise<StdinResult> {
  const maxBytes = opts.maxBytes ?? STDIN_MAX_BYTES;
  const idleMs = opts.idleMs ?? STDIN_IDLE_MS;
  const totalMs = opts.totalMs ?? STDIN_TOTAL_MS;
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let done = false;
    let idle: NodeJS.Timeout | undefined;
    const finish = (r: StdinResult) => {
      if (done) return;
      done = true;
      clearTimeout(idle);
      clearTimeout(total);
      stream.removeAllListeners('data');
      stream.pause();
      resolve(r);
    };
    const parseOrWhy = (final: boolean): StdinResult | null => {
      const text = Buffer.concat(chunks, bytes).toString('utf8').trim();
      if (text === '') return final ? { kind: 'invalid', reason: 'empty stdin', bytes } : null;
      try {
        return { kind: 'json', value: JSON.parse(text), bytes };
      } catch (err) {
        return final ? { kind: 'invalid', reason: `not JSON: ${(err as Error).message}`, bytes } : null;
      }
    };
    const armIdle = () => {
      clearTimeout(idle);
      idle = setTimeout(() => finish(onTimeout(`stdin idle for ${idleMs} ms without EOF`)), idleMs);
    };
    // What arrived before a timeout is used if it is a whole event; otherwise the timeout is the news.
    const onTimeout = (why: string): StdinResult => {
      const r = parseOrWhy(true)!;
      return r.kind === 'invalid' ? { ...r, reason: `${why}; ${r.reason}` } : r;
    };
    const total = setTimeout(() => finish(onTimeout(`stdin still open after ${totalMs} ms`)), totalMs);
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxBytes) return finish({ kind: 'too-large', bytes });
      chunks.push(chunk);
      // Only try a parse when this chunk could end an object: keeps large inputs linear.
      const r = endsWithBrace(chunk) ? parseOrWhy(false) : null;
      if (r) finish(r);
      else armIdle();
    });
    stream.on('end', () => finish(parseOrWhy(true)!));
    stream.on('error', (err) => finish({ kind: 'invalid', reason: `stdin error: ${err.message}`, bytes }));
    armIdle();
  });
}

function endsWithBrace(chunk: Buffer): boolean {
  for (let i = chunk.length - 1; i >= 0; i--) {
    const c = chunk[i]!;
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    return c === 0x7d;
  }
  return false;
}
