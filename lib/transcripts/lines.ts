// Reads complete lines from an open file with one reusable buffer, so memory stays bounded
// whatever the file size. A line longer than MAX_LINE_BYTES is skipped by scanning for its end
// without ever holding it whole; an unterminated tail is left for the next pass.
import { readSync } from 'node:fs';

export const MAX_LINE_BYTES = 10 * 1024 * 1024;
const INITIAL_BUFFER = 1024 * 1024;
const NL = 0x0a;

export type LineSink = {
  /** A complete line without its '\n'; `end` is the file offset just past the '\n'. */
  line(bytes: Buffer, end: number): void;
  /** An over-long line was skipped; `end` is the file offset just past its '\n'. */
  overlong(end: number): void;
};

export type ReadLinesOpts = {
  maxLineBytes?: number;
  bufferBytes?: number;
  /**
   * Where to read, reused from file to file (a long line still reads into a bigger, temporary
   * one): a fresh 1 MiB buffer per file paid page faults on every byte read into it.
   */
  buffer?: Buffer;
};

/** A buffer to pass as `ReadLinesOpts.buffer`. */
export function lineBuffer(): Buffer {
  return Buffer.allocUnsafe(INITIAL_BUFFER);
}

/**
 * Feeds every complete line in [from, until) to `sink` and returns the offset just past the
 * last complete line (where the next pass resumes). `until` is the size seen at stat time: bytes
 * appended later wait for the next pass, so one pass never chases a growing file.
 */
export function readLines(fd: number, from: number, until: number, sink: LineSink, opts: ReadLinesOpts = {}): number {
  const maxLine = opts.maxLineBytes ?? MAX_LINE_BYTES;
  let buf = opts.buffer ?? Buffer.allocUnsafe(Math.min(opts.bufferBytes ?? INITIAL_BUFFER, maxLine + 1));
  let start = 0; // first unconsumed byte in buf
  let end = 0; // end of valid data in buf
  let bufPos = from; // file offset of buf[0]
  let filePos = from; // next file offset to read
  let skipping = false; // inside an over-long line: drop bytes until its '\n'
  let consumed = from;

  while (filePos < until) {
    if (end === buf.length) {
      if (start > 0) {
        buf.copyWithin(0, start, end);
        end -= start;
        bufPos += start;
        start = 0;
      } else if (buf.length <= maxLine) {
        const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, maxLine + 1));
        buf.copy(bigger, 0, 0, end);
        buf = bigger;
      } else {
        // Full buffer, no '\n', already past the limit: this line is over-long.
        skipping = true;
        bufPos += end;
        start = end = 0;
      }
    }
    const n = readSync(fd, buf, end, Math.min(buf.length - end, until - filePos), filePos);
    if (n === 0) break; // the file shrank under us; the next pass sees it
    filePos += n;
    let scanFrom = end;
    end += n;
    for (;;) {
      const nl = buf.indexOf(NL, scanFrom);
      if (nl === -1 || nl >= end) break;
      const lineEnd = bufPos + nl + 1;
      if (skipping) {
        skipping = false;
        sink.overlong(lineEnd);
      } else if (nl - start > maxLine) {
        sink.overlong(lineEnd);
      } else {
        sink.line(buf.subarray(start, nl), lineEnd);
      }
      consumed = lineEnd;
      start = scanFrom = nl + 1;
    }
    if (skipping) {
      bufPos += end;
      start = end = 0;
    }
  }
  return consumed;
}
