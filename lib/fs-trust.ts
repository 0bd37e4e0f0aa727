// Whether a file or directory under $CCX_HOME is the effective user's alone: owned by the
// effective uid (root: by root) and writable by no one else. Decided on an open fd (fstat), never
// on a path checked before it is opened, so nothing can be swapped in between the check and use.
import { closeSync, constants, fstatSync, openSync } from 'node:fs';

type Owned = { uid: number; mode: number };

/** Without an effective uid (not POSIX) nothing can be vouched for. */
const euidNow = (): number => process.geteuid?.() ?? -1;

/** Why `st` is not the effective user's alone, or null when it is. */
export function untrustedBecause(st: Owned, euid: number = euidNow()): string | null {
  if (st.uid !== euid) return `owned by uid ${st.uid}, not by you (uid ${euid})`;
  if (st.mode & GROUP_OTHER_WRITE) return `writable by ${whoWrites(st.mode)} (mode 0${(st.mode & 0o7777).toString(8)})`;
  return null;
}

export const GROUP_OTHER_WRITE = 0o022;

export function whoWrites(mode: number): string {
  return mode & 0o020 && mode & 0o002 ? 'group and others' : mode & 0o020 ? 'its group' : 'others';
}

export function isOwnedPrivate(st: Owned, euid: number = euidNow()): boolean {
  return untrustedBecause(st, euid) === null;
}

/** Thrown by openOwnedPrivate; `code` tells it from the open's own errors (ENOENT, EACCES, …). */
export class UntrustedError extends Error {
  readonly code = 'EUNTRUSTED';
}

/**
 * Opens `path` (flags: read-only unless given; `mode` if O_CREAT creates it) without following a
 * symlink in its last component, and returns the fd only when it is a `kind` that isOwnedPrivate
 * vouches for; otherwise closes it and throws an UntrustedError saying why. A FIFO put in its
 * place cannot block the open.
 */
export function openOwnedPrivate(path: string, kind: 'file' | 'directory', flags: number = constants.O_RDONLY, mode = 0o600): number {
  const extra = kind === 'directory' ? constants.O_DIRECTORY : constants.O_NONBLOCK;
  let fd: number;
  try {
    fd = openSync(path, flags | extra | constants.O_NOFOLLOW, mode);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') throw new UntrustedError(`${path} is a symlink`);
    throw err;
  }
  try {
    const st = fstatSync(fd);
    const why = (kind === 'directory' ? st.isDirectory() : st.isFile()) ? untrustedBecause(st) : `not a ${kind}`;
    if (why) throw new UntrustedError(`${path} is ${why}`);
    return fd;
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}
