// Is $CCX_HOME ours alone? Hooks append to files there and the consolidator truncates and
// renames them, so a home another user can write to lets that user point ccx's writes at any
// file of ours (inbox.jsonl → ~/.bashrc). Like ssh's StrictModes: the home and every directory
// above it must be safe, and nothing in the home may be a symlink or someone else's.
// No heavy imports: every hook runs this first (a dozen lstat calls, microseconds).
import { lstatSync, realpathSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { GROUP_OTHER_WRITE, untrustedBecause, whoWrites } from './fs-trust';
import { type CcxPaths, lockPath } from './paths';

export type HomeProblem = { path: string; why: string; fix: string };

const STICKY = 0o1000;

/** The entries of the home ccx opens; any of them a symlink or another uid's is refused. */
function entries(paths: CcxPaths): { path: string; dir: boolean }[] {
  const dirs = [
    paths.logs,
    paths.cache,
    paths.told,
    paths.lastTurn,
    paths.quiet,
    paths.statusline,
    paths.requests,
    paths.lock,
    lockPath(paths.config),
  ];
  const files = [
    paths.inbox,
    paths.quarantine,
    paths.quota,
    paths.db,
    paths.config,
    paths.pricing,
    paths.pidFile,
    paths.spawnClaim,
    paths.hooksLog,
  ];
  return [...dirs.map((path) => ({ path, dir: true })), ...files.map((path) => ({ path, dir: false }))];
}

/**
 * Null when ccx may use this home; otherwise what is wrong and how to fix it. `euid` undefined
 * (Windows) skips the check: there is no uid to compare with.
 */
export function homeProblem(paths: CcxPaths, euid: number | undefined = process.geteuid?.()): HomeProblem | null {
  if (euid === undefined) return null;
  const home = paths.home;
  const st = lstat(home);
  if (!st) return ancestorsProblem(home, euid); // ccx creates it 0700, under a safe parent
  let real = home;
  if (st.isSymbolicLink()) {
    if (st.uid !== euid && st.uid !== 0) return { path: home, why: `is a symlink owned by uid ${st.uid}`, fix: `remove it (rm ${home})` };
    const resolved = realpath(home);
    if (resolved === null) return { path: home, why: 'is a symlink to nothing', fix: `remove it (rm ${home})` };
    real = resolved;
  }
  const target = real === home ? st : lstat(real);
  if (!target?.isDirectory()) return { path: home, why: 'is not a directory', fix: 'set CCX_HOME to a directory' };
  const why = untrustedBecause(target, euid);
  if (why) return { path: home, why: `is ${why}`, fix: target.uid === euid ? `chmod 700 ${home}` : ownFix(home, euid, target.uid) };
  const above = ancestorsProblem(dirname(real), euid) ?? (real === home ? null : ancestorsProblem(dirname(home), euid));
  if (above) return above;
  for (const e of entries(paths)) {
    const s = lstat(e.path);
    if (!s) continue;
    if (s.isSymbolicLink())
      return { path: e.path, why: 'is a symlink (ccx never follows links in its home)', fix: `remove it (rm ${e.path})` };
    // A file's mode is its own business (doctor warns on readable ones); a directory's is not.
    const why = untrustedBecause(e.dir ? s : { uid: s.uid, mode: 0 }, euid);
    if (why) return { path: e.path, why: `is ${why}`, fix: s.uid === euid ? `chmod 700 ${e.path}` : ownFix(home, euid, s.uid) };
  }
  return null;
}

/** Where a loader keeps its code cache: nowhere (compile from source) in a home we cannot trust. */
export function cacheDirOf(paths: CcxPaths): string | null {
  return homeProblem(paths) ? null : paths.cache;
}

/** What is wrong, without the fix (doctor prints the fix on its own line). */
export function homeProblemText(p: HomeProblem): string {
  return `refusing to use ${p.path}: it ${p.why}`;
}

/** One line for a CLI: what is wrong, then the fix. */
export function describeHomeProblem(p: HomeProblem): string {
  return `${homeProblemText(p)}. Fix: ${p.fix}, or set CCX_HOME to a directory of your own`;
}

/**
 * Every existing directory from `dir` up to / must be root's or ours, and writable by no one
 * else unless sticky (/tmp): otherwise its owner could swap the home for a directory of theirs.
 */
function ancestorsProblem(dir: string, euid: number): HomeProblem | null {
  for (let d = dir; ; d = dirname(d)) {
    const s = lstat(d);
    if (s) {
      const target = s.isSymbolicLink() ? realpath(d) : d;
      const st = target === d ? s : target === null ? undefined : lstat(target);
      if (st && st.uid !== 0 && st.uid !== euid) {
        return { path: d, why: `is owned by uid ${st.uid}, who could replace what is inside`, fix: 'move CCX_HOME elsewhere' };
      }
      if (st && st.mode & GROUP_OTHER_WRITE && !(st.mode & STICKY)) {
        return { path: d, why: `is writable by ${whoWrites(st.mode)} without the sticky bit`, fix: `chmod go-w ${d}` };
      }
    }
    if (dirname(d) === d) return null;
  }
}

function realpath(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

/** Missing, or not reachable (ENOTDIR, EACCES): nothing there for anyone to have planted. */
function lstat(path: string): Stats | undefined {
  try {
    return lstatSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** Root must not take over a user's home (that user could then plant files root writes to). */
function ownFix(home: string, euid: number, owner: number): string {
  if (euid === 0) return `run ccx as its owner (uid ${owner}) instead of as root`;
  return `chown -R ${euid} ${home} && chmod 700 ${home}`;
}
