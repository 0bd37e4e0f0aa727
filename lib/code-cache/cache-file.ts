// A cache file: MAGIC, the source's byte length (u32 LE), the source itself, then V8's data. V8
// checks a cache against the source's length only; the copy of the source binds the cache to the
// exact bytes about to run (a memcmp, cheaper than hashing them, and node:crypto costs a hook 3 ms).
// Read and written only where the effective user alone can write (README.md, threat model).
import { closeSync, constants, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { openOwnedPrivate } from '../fs-trust';

const MAGIC = Buffer.from('ccx\x01');
const HEADER_BYTES = MAGIC.length + 4;

/** Another bundle's (or Node version's) cache untouched this long is removed. */
export const STALE_CACHE_MS = 7 * 24 * 3600_000;

export type CacheLookup = {
  /** V8's data, when a cache of exactly `source` was found where only we can have written it. */
  data?: Buffer;
  /** Why a cache that is there was not used. */
  refused?: string;
  /** Whether a new cache may be written: the directory is ours alone, or missing. */
  mayWrite: boolean;
};

export function readCache(path: string, source: Buffer): CacheLookup {
  try {
    closeSync(openOwnedPrivate(dirname(path), 'directory'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { mayWrite: true };
    return { refused: (err as Error).message, mayWrite: false };
  }
  let bytes: Buffer;
  try {
    const fd = openOwnedPrivate(path, 'file');
    try {
      bytes = readFileSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { mayWrite: true };
    return { refused: (err as Error).message, mayWrite: true };
  }
  const data = cachedDataOf(bytes, source);
  return data ? { data, mayWrite: true } : { refused: `${path} was not made from this source`, mayWrite: true };
}

function cachedDataOf(bytes: Buffer, source: Buffer): Buffer | undefined {
  if (bytes.length < HEADER_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const end = HEADER_BYTES + source.length;
  if (bytes.readUInt32LE(MAGIC.length) !== source.length || bytes.length < end) return undefined;
  return bytes.subarray(HEADER_BYTES, end).equals(source) ? bytes.subarray(end) : undefined;
}

/**
 * Best effort: the cache is only an optimisation, so every failure here is silent. Written whole
 * under a new (O_EXCL) temporary name in a directory that is ours alone, then renamed: a reader
 * never sees half a cache, and nobody else can have put anything under either name.
 */
export function writeCache(path: string, source: Buffer, data: Buffer): void {
  const dir = dirname(path);
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    // Never creates $CCX_HOME itself: a command that just removed it (uninstall) leaves it gone.
    mkdirSync(dir, { mode: 0o700 });
  } catch {
    // There already (checked below), or no $CCX_HOME.
  }
  try {
    closeSync(openOwnedPrivate(dir, 'directory'));
    const header = Buffer.alloc(HEADER_BYTES);
    MAGIC.copy(header);
    header.writeUInt32LE(source.length, MAGIC.length);
    const fd = openOwnedPrivate(tmp, 'file', constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL);
    try {
      for (const part of [header, source, data]) writeSync(fd, part);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
    pruneStale(dir, path, Date.now());
  } catch {
    try {
      unlinkSync(tmp);
    } catch {
      // Never created.
    }
  }
}

function pruneStale(dir: string, keep: string, now: number): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (path === keep || !(name.endsWith('.v8') || name.endsWith('.tmp'))) continue;
    const st = lstatSync(path, { throwIfNoEntry: false });
    if (st && now - st.mtimeMs > STALE_CACHE_MS) unlinkSync(path);
  }
}
