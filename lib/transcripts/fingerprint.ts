// Are the bytes before a cursor's offset still the ones it read? A transcript rewritten in place
// (truncated and regrown past the offset, or deleted and recreated on a reused inode) keeps its
// inode and may be larger than before, so inode and size cannot tell; a hash of the file's head
// and of the bytes just before the offset can.
import { readSync } from 'node:fs';

/** Bytes hashed at each end: at most two small preads per changed file. */
const SPAN = 4096;
const scratch = Buffer.allocUnsafe(SPAN);

/** Hash of the first up to 4 KiB of `fd` and of the up to 4 KiB before `offset`. */
export function fingerprint(fd: number, offset: number): string {
  // Required here: a pass that finds every file unchanged never loads node:crypto (~4 ms).
  const hash = (require('node:crypto') as typeof import('node:crypto')).createHash('sha1');
  const take = (from: number, n: number) => hash.update(scratch.subarray(0, readSync(fd, scratch, 0, n, from)));
  if (offset <= SPAN) take(0, offset);
  else {
    take(0, SPAN);
    take(offset - SPAN, SPAN);
  }
  return hash.digest('base64');
}
