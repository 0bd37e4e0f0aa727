// Replace a file so that readers see the old bytes or the new ones, never a mix: write a temp
// file beside it, fsync, rename over, fsync the directory. The one way ccx rewrites a file.
import { chmodSync, chownSync, closeSync, fsyncSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export type AtomicWriteOpts = {
  /** Mode of the new file; default: the old file's, or 0600 for a new one. */
  mode?: number;
  /** Owner to give the new file (root rewriting a user's file, e.g. `sudo ./install.sh`). */
  owner?: { uid: number; gid: number };
  /** Last check before the rename; false abandons the write (the file changed under us). */
  beforeRename?: () => boolean;
  /**
   * Default true: fsync the data and the directory, so the new bytes survive a power loss.
   * false for files rewritten on every pass anyway (quota.json): readers still never see a mix,
   * a crash may only lose the newest copy, and a warm `ccx-report` saves two fsyncs.
   */
  durable?: boolean;
};

/** True when the file was replaced; false when `beforeRename` said no. */
export function writeFileAtomic(path: string, data: string | Buffer, opts: AtomicWriteOpts = {}): boolean {
  const mode = (opts.mode ?? statSync(path, { throwIfNoEntry: false })?.mode ?? 0o600) & 0o7777;
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2, 8)}.tmp`);
  const fd = openSync(tmp, 'wx', mode);
  try {
    try {
      const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off, buf.length - off);
      if (opts.durable !== false) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(tmp, mode); // open's mode went through the umask
    if (opts.owner && process.getuid?.() === 0) chownSync(tmp, opts.owner.uid, opts.owner.gid);
    if (opts.beforeRename && !opts.beforeRename()) {
      rmSync(tmp, { force: true });
      return false;
    }
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  if (opts.durable !== false) syncDir(dirname(path));
  return true;
}

function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
