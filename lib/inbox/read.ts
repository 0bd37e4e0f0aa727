// Reads a claimed inbox file line by line in fixed-size chunks: memory stays bounded by the chunk
// and the longest line, whatever the file's size (a whole-file read wedged at 512 MiB, V8's string
// limit, and peaked near 2 GB for 284 MiB).
import { closeSync, openSync, readSync } from 'node:fs';
import { type InboxRecord, inboxRecordSchema } from '../contracts/inbox';

const CHUNK_BYTES = 1 << 20;
/**
 * Longer lines are skipped unread. Records are capped far below (append.ts); this only bounds what
 * an old ccx or a stranger could have left.
 */
export const MAX_LINE_BYTES = 32 << 20;

export type InboxLine = {
  /** Where the line starts, and just past its newline: where the next read would start. */
  offset: number;
  end: number;
  /** The record, or the one salvaged from behind a torn line; null when nothing is usable. */
  record: InboxRecord | null;
  /** The record's text, for the quarantine if it cannot be applied. */
  text: string;
  /** Why the line is not a record as it stands (then logged and skipped). */
  bad: string | null;
};

export class InboxReader {
  private readonly fd: number;
  private pos: number;
  private pending: Buffer = Buffer.alloc(0);
  /** Where `pending` starts in the file. */
  private start: number;

  constructor(path: string, from = 0) {
    this.fd = openSync(path, 'r');
    this.pos = from;
    this.start = from;
  }

  /** The next whole line, or null when only an unterminated line (or nothing) is left: done. */
  next(): InboxLine | null {
    let searchFrom = 0;
    for (;;) {
      const nl = this.pending.indexOf(0x0a, searchFrom);
      if (nl >= 0) {
        const offset = this.start;
        const bytes = this.pending.subarray(0, nl);
        this.pending = this.pending.subarray(nl + 1);
        this.start += nl + 1;
        if (bytes.length === 0 || isBlank(bytes)) {
          searchFrom = 0;
          continue;
        }
        return { offset, end: this.start, ...parseLine(bytes.toString('utf8')) };
      }
      if (this.pending.length > MAX_LINE_BYTES) return this.skipLongLine();
      searchFrom = this.pending.length;
      if (!this.readChunk()) return null;
    }
  }

  /** Bytes after the last whole line: a line still being written, or a torn one. */
  get tail(): number {
    return this.pos - this.start;
  }

  close(): void {
    closeSync(this.fd);
  }

  private readChunk(): boolean {
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    const n = readSync(this.fd, chunk, 0, chunk.length, this.pos);
    if (n === 0) return false;
    this.pos += n;
    this.pending = this.pending.length === 0 ? chunk.subarray(0, n) : Buffer.concat([this.pending, chunk.subarray(0, n)]);
    return true;
  }

  /** Drops an over-long line chunk by chunk; reported once its newline is found. */
  private skipLongLine(): InboxLine | null {
    const offset = this.start;
    let skipped = this.pending.length;
    this.pending = Buffer.alloc(0);
    for (;;) {
      const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
      const n = readSync(this.fd, chunk, 0, chunk.length, this.pos);
      // Unterminated: left for the next pass, as any last line still being written.
      if (n === 0) return null;
      this.pos += n;
      const nl = chunk.subarray(0, n).indexOf(0x0a);
      if (nl >= 0) {
        this.pending = Buffer.from(chunk.subarray(nl + 1, n));
        this.start = offset + skipped + nl + 1;
        return { offset, end: this.start, record: null, text: '', bad: `line over ${MAX_LINE_BYTES} bytes` };
      }
      skipped += n;
    }
  }
}

function isBlank(bytes: Buffer): boolean {
  for (const b of bytes) if (b !== 0x20 && b !== 0x09 && b !== 0x0d) return false;
  return true;
}

/**
 * A line that is not a record is reported, not fatal. A torn line (a hook that died mid-write, a
 * full disk) glued to the next record is split at the last record start, so that record survives.
 */
function parseLine(text: string): Pick<InboxLine, 'record' | 'text' | 'bad'> {
  const rec = parseRecord(text);
  if (rec.ok) return { record: rec.record, text, bad: null };
  const at = text.lastIndexOf('{"v":');
  const salvaged = at > 0 ? parseRecord(text.slice(at)) : null;
  if (salvaged?.ok) return { record: salvaged.record, text: text.slice(at), bad: rec.reason };
  return { record: null, text, bad: rec.reason };
}

function parseRecord(line: string): { ok: true; record: InboxRecord } | { ok: false; reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return { ok: false, reason: `not JSON (${(err as Error).message})` };
  }
  const r = inboxRecordSchema.safeParse(value);
  if (!r.success) return { ok: false, reason: r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  return { ok: true, record: r.data };
}
