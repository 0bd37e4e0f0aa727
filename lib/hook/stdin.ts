// Bounded read of the hook's stdin. Claude Code sometimes leaves stdin open after writing the
// event, so we stop as soon as what we have parses as JSON, or when no byte arrived for
// `idleMs`, or at `totalMs` whatever happens; more than `maxBytes` is refused, never buffered.
//
// Fast path: by the time node has booted, Claude Code has written the whole event, so we take
// what is already there with non-blocking readSync calls. That skips `process.stdin`, whose
// net/stream machinery is a third of a hook's start-up cost. Only when the bytes so far are not
// yet a whole event do we wait on `process.stdin` (epoll on the main loop). Never a blocking or
// thread-pool read on fd 0: either one, on a pipe that never closes, hangs the process for good
// (process.exit joins a thread-pool read forever).
import { fstatSync, readSync } from 'node:fs';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './depth';

export const STDIN_MAX_BYTES = 10 * 1024 * 1024;
export const STDIN_IDLE_MS = 2000;
export const STDIN_TOTAL_MS = 5000;

export type StdinResult =
  | { kind: 'json'; value: unknown; bytes: number }
  | { kind: 'too-large'; bytes: number }
  | { kind: 'invalid'; reason: string; bytes: number };

type Limits = { maxBytes?: number; idleMs?: number; totalMs?: number };

export function readHookStdin(opts: Limits = {}): Promise<StdinResult> {
  const bytes = new Collected(opts.maxBytes ?? STDIN_MAX_BYTES);
  const early = readWhatIsThere(bytes);
  if (early) return Promise.resolve(early);
  return readStream(process.stdin, bytes, opts.idleMs ?? STDIN_IDLE_MS, opts.totalMs ?? STDIN_TOTAL_MS);
}

/** The bytes read so far, and what they amount to. */
class Collected {
  private chunks: Buffer[] = [];
  bytes = 0;
  constructor(private readonly maxBytes: number) {}

  /** False once the total is over the limit: the caller stops reading and reports too-large. */
  add(chunk: Buffer): boolean {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) return false;
    this.chunks.push(chunk);
    return true;
  }

  tooLarge(): StdinResult {
    return { kind: 'too-large', bytes: this.bytes };
  }

  /** A whole JSON value, else null — or, when `final` (no more bytes will come), the reason. */
  result(final: boolean): StdinResult | null {
    const text = Buffer.concat(this.chunks, this.bytes).toString('utf8').trim();
    if (text === '') return final ? { kind: 'invalid', reason: 'empty stdin', bytes: this.bytes } : null;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      return final ? { kind: 'invalid', reason: `not JSON: ${(err as Error).message}`, bytes: this.bytes } : null;
    }
    if (nestsDeeperThan(value, MAX_JSON_DEPTH))
      return { kind: 'invalid', reason: `JSON nested deeper than ${MAX_JSON_DEPTH} levels`, bytes: this.bytes };
    return { kind: 'json', value, bytes: this.bytes };
  }

  /** Only the tail can end an object: trying a parse only then keeps large inputs linear. */
  mayBeWhole(): boolean {
    for (let c = this.chunks.length - 1; c >= 0; c--) {
      const chunk = this.chunks[c]!;
      for (let i = chunk.length - 1; i >= 0; i--) {
        const b = chunk[i]!;
        if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) continue;
        return b === 0x7d;
      }
    }
    return false;
  }
}

/**
 * Reads whatever fd 0 holds right now without blocking. Returns the outcome when that settles
 * it (EOF, too large, a whole event), or null to go on waiting on the stream.
 */
function readWhatIsThere(bytes: Collected): StdinResult | null {
  if (!makeNonBlocking()) return null;
  const buf = Buffer.allocUnsafe(64 * 1024);
  for (;;) {
    let n: number;
    try {
      n = readSync(0, buf, 0, buf.length, null);
    } catch (err) {
      // EAGAIN: nothing more for now. Anything else: let the stream path meet it and report it.
      return (err as NodeJS.ErrnoException).code === 'EAGAIN' && bytes.mayBeWhole() ? bytes.result(false) : null;
    }
    if (n === 0) return bytes.result(true);
    if (!bytes.add(Buffer.from(buf.subarray(0, n)))) return bytes.tooLarge();
  }
}

/** Keeps the handle alive: were it collected and closed, fd 0 would close with it. */
const heldHandles: object[] = [];

/**
 * True when a readSync on fd 0 cannot block: a regular file, or a pipe/socket switched to
 * O_NONBLOCK. Node has no public fcntl; opening a libuv pipe handle on the fd is what sets the
 * flag (process.stdin does the same, at the cost of loading net). A TTY, or a Node where the
 * binding is unavailable (permission model), takes the stream path.
 */
function makeNonBlocking(): boolean {
  try {
    const st = fstatSync(0);
    if (st.isFile()) return true;
    if (!st.isFIFO() && !st.isSocket()) return false;
    const { Pipe, constants } = (process as unknown as { binding(name: string): PipeWrap }).binding('pipe_wrap');
    const handle = new Pipe(constants.SOCKET);
    if (handle.open(0) !== 0) return false;
    heldHandles.push(handle);
    return true;
  } catch {
    return false;
  }
}
type PipeWrap = { Pipe: new (type: number) => { open(fd: number): number }; constants: { SOCKET: number } };

function readStream(stream: NodeJS.ReadableStream, bytes: Collected, idleMs: number, totalMs: number): Promise<StdinResult> {
  return new Promise((resolve) => {
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
    // What arrived before a timeout is used if it is a whole event; otherwise the timeout is the news.
    const onTimeout = (why: string): StdinResult => {
      const r = bytes.result(true)!;
      return r.kind === 'invalid' ? { ...r, reason: `${why}; ${r.reason}` } : r;
    };
    const armIdle = () => {
      clearTimeout(idle);
      idle = setTimeout(() => finish(onTimeout(`stdin idle for ${idleMs} ms without EOF`)), idleMs);
    };
    const total = setTimeout(() => finish(onTimeout(`stdin still open after ${totalMs} ms`)), totalMs);
    stream.on('data', (chunk: Buffer) => {
      if (!bytes.add(chunk)) return finish(bytes.tooLarge());
      const r = bytes.mayBeWhole() ? bytes.result(false) : null;
      if (r) finish(r);
      else armIdle();
    });
    stream.on('end', () => finish(bytes.result(true)!));
    stream.on('error', (err) => finish({ kind: 'invalid', reason: `stdin error: ${err.message}`, bytes: bytes.bytes }));
    armIdle();
  });
}
