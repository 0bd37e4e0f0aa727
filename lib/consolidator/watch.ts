// What lets a live consolidator answer a `--once` request (ccx-report) without a pass: inotify
// watches on every directory a transcript scan lists and on what hooks write into $CCX_HOME, and
// a count of the events they deliver. A pass that saw no event between its start and its end
// (after the events queued meanwhile are dispatched) left state.db holding everything on disk;
// until the next event it still does, so a request can be answered at once.
//
// Why a request and not a stamp file a report would read: the daemon learns of a write only
// when it gets round to reading the inotify queue (it runs at nice 19), so a stamp can say
// "clean" after the write already happened. One inotify queue serves every watch of a process
// (libuv), in order: once the daemon has seen a request file and then read the queue dry, every
// write made before the request was created has been counted.
//
// Unsure means no: a watch that cannot be set (inotify limits, a missing config dir), an error
// on one, a profile of another agent (other files than Claude Code's projects/) or on a network
// file system (writes from elsewhere raise no event), a changed profile set or state.db, a spool
// file waiting, any platform but Linux. Queue overflow cannot make it say yes wrongly: the kernel
// drops events only behind a full queue, and those queued events are counted when they are read.
import { type FSWatcher, readdirSync, statfsSync, statSync, watch } from 'node:fs';
import { basename, join } from 'node:path';
import type { Profile } from '../contracts/profile';
import { CLAIMED_INBOX_RE } from '../inbox';
import type { Logger } from '../log';
import type { CcxPaths } from '../paths';
import { projectsDir } from '../transcripts';

/** Where a pass started: compared with the count when it ends. */
export type PassMark = { changes: number; roots: string };

/** Lets the events queued so far (inotify) reach their listeners: the poll phase runs before it. */
const dispatchQueued = (): Promise<void> => new Promise((done) => setImmediate(done));

export class ChangeWatch {
  private changes = 0;
  /** The count at the start of the last pass that saw no change, while nothing has changed since. */
  private cleanAt: number | null = null;
  private cleanRoots = '';
  /** The watches of $CCX_HOME, spool/ and requests/ are up (set once; a daemon restart retries). */
  private homeOk = true;
  /** Every directory of the last walk is watched and no watch has failed since. */
  private dirsOk = false;
  /** A directory was created, removed or renamed (or the roots changed): walk again. */
  private walkDue = true;
  private roots = '';
  private readonly dirs = new Map<string, FSWatcher>();
  private readonly homeWatchers: FSWatcher[] = [];

  constructor(
    private readonly paths: CcxPaths,
    private readonly log: Logger,
    /** A `.req` file appeared in requests/: someone waits for an answer. */
    onRequest: () => void,
  ) {
    // The ordering argument above is inotify's; elsewhere libuv watches through other means.
    if (process.platform !== 'linux') {
      this.homeOk = false;
      return;
    }
    this.watchHome(paths.home, (kind, name) => {
      // Hooks append (one write per line) to inbox.jsonl, or to a claimed file they opened before
      // the rename; the daemon itself only renames and removes those ('rename').
      if (kind === 'change' && name !== null && (name === basename(paths.inbox) || CLAIMED_INBOX_RE.test(name))) this.changes++;
    });
    this.watchHome(paths.spool, () => this.changes++);
    this.watchHome(paths.requests, (_kind, name) => {
      if (name?.endsWith('.req')) onRequest();
    });
  }

  /** Before a pass: a watch on every directory its scan will list, then the count to compare. */
  begin(profiles: Profile[]): PassMark {
    const roots = rootsOf(profiles);
    if (roots !== this.roots) {
      this.roots = roots;
      this.walkDue = true;
    }
    if (this.walkDue && this.homeOk) this.walk(profiles);
    return { changes: this.changes, roots };
  }

  /** After a pass that scanned transcripts: clean when no event came since `mark`. */
  async settle(mark: PassMark): Promise<void> {
    await dispatchQueued();
    const clean = this.homeOk && this.dirsOk && this.changes === mark.changes && mark.roots === this.roots;
    this.cleanAt = clean ? mark.changes : null;
    this.cleanRoots = mark.roots;
  }

  /**
   * Whether state.db still holds everything on disk, for a request already seen: the events
   * queued before it was made are dispatched first.
   */
  async vouches(profiles: Profile[]): Promise<boolean> {
    await dispatchQueued();
    return (
      this.homeOk &&
      this.dirsOk &&
      this.cleanAt !== null &&
      this.changes === this.cleanAt &&
      rootsOf(profiles) === this.cleanRoots &&
      isEmptyDir(this.paths.spool)
    );
  }

  /** state.db was replaced, or a pass failed: the next clean pass decides again. */
  invalidate(): void {
    this.cleanAt = null;
  }

  close(): void {
    for (const w of [...this.dirs.values(), ...this.homeWatchers]) w.close();
    this.dirs.clear();
  }

  private watchHome(dir: string, onEvent: (kind: string, name: string | null) => void): void {
    try {
      const w = watch(dir, { persistent: false }, onEvent);
      w.on('error', () => {
        this.homeOk = false;
        this.log(`${dir}: watch error: every request gets a full pass`);
      });
      this.homeWatchers.push(w);
    } catch (err) {
      this.homeOk = false;
      this.log(`not watching ${dir} (${(err as Error).message}): every request gets a full pass`);
    }
  }

  /** Every directory under each Claude Code profile's projects/ (its config dir while projects/ is missing). */
  private walk(profiles: Profile[]): void {
    const want = new Set<string>();
    let ok = true;
    for (const p of profiles) {
      if (p.agent !== 'claude' || isRemote(p.config_dir)) ok = false;
      else if (!collectDirs(projectsDir(p.config_dir), want)) {
        // projects/ missing: its creation shows in the config dir.
        if (isDir(p.config_dir)) want.add(p.config_dir);
        else ok = false;
      }
    }
    for (const [dir, w] of this.dirs) {
      if (want.has(dir)) continue;
      w.close();
      this.dirs.delete(dir);
    }
    for (const dir of want) {
      if (!this.dirs.has(dir) && !this.watchDir(dir)) ok = false;
    }
    this.dirsOk = ok;
    this.walkDue = !ok;
  }

  private watchDir(dir: string): boolean {
    try {
      const w = watch(dir, { persistent: false }, (kind, name) => {
        this.changes++;
        if (kind !== 'rename') return;
        this.walkDue = true;
        // The directory itself removed or moved (libuv names it by its own basename): a new one
        // at the same path needs a new watch.
        if (name === basename(dir)) this.drop(dir);
      });
      w.on('error', () => {
        this.changes++;
        this.drop(dir);
        this.dirsOk = false;
        this.walkDue = true;
        this.log(`${dir}: watch error: full passes until the next walk`);
      });
      this.dirs.set(dir, w);
      return true;
    } catch (err) {
      this.log(`not watching ${dir} (${(err as Error).message}): requests get full passes until it can be`);
      return false;
    }
  }

  private drop(dir: string): void {
    this.dirs.get(dir)?.close();
    this.dirs.delete(dir);
  }
}

/** Which directories a pass covers: a change of profiles or config dirs is a new walk. */
const rootsOf = (profiles: Profile[]): string => JSON.stringify(profiles.map((p) => [p.name, p.agent, p.config_dir]));

/** `dir` and every directory below it into `out`; false when `dir` itself cannot be read. */
function collectDirs(dir: string, out: Set<string>): boolean {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  out.add(dir);
  for (const e of entries) if (e.isDirectory()) collectDirs(join(dir, e.name), out);
  return true;
}

/**
 * File systems whose writes may come from another machine, which inotify never reports: NFS, SMB
 * and CIFS, FUSE (sshfs and the like), 9p (WSL's Windows drives, VMs), Ceph, AFS.
 */
const REMOTE_FS: ReadonlySet<number> = new Set([0x6969, 0x517b, 0xff534d42, 0xfe534d42, 0x65735546, 0x01021997, 0x00c36400, 0x5346414f]);

function isRemote(dir: string): boolean {
  try {
    return REMOTE_FS.has(statfsSync(dir).type);
  } catch {
    return false; // missing: the walk decides
  }
}

const isDir = (p: string): boolean => statSync(p, { throwIfNoEntry: false })?.isDirectory() === true;

function isEmptyDir(dir: string): boolean {
  try {
    return readdirSync(dir).length === 0;
  } catch {
    return false;
  }
}
