// The daemon's pause between passes, cut short when a hook appends to inbox.jsonl
// after a quiet spell: the first event of a turn is applied at once, not a tick later. During a
// burst the tick still paces the passes, so a busy session's appends are applied together.
// Where inotify is unavailable (or out of watches) the pause is the plain tick.
import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';

export type Waker = {
  /** Resolves after `ms`, or at the inbox's next change when `wakeEarly`, or at `wake()`. */
  pause: (ms: number, wakeEarly: boolean) => Promise<void>;
  /** Ends the current pause (a signal: stop now, not a tick later). */
  wake: () => void;
  close: () => void;
};

export function inboxWaker(inbox: string, log: (msg: string) => void): Waker {
  let current: { finish: () => void; early: boolean } | null = null;
  let watcher: FSWatcher | null = null;
  try {
    // 'change' (data written), not 'rename': a hook's open creates the file before its line is
    // in, and a pass woken then would claim an empty file and see the line only a tick later.
    watcher = watch(dirname(inbox), { persistent: false }, (kind, name) => {
      if (kind === 'change' && name === basename(inbox) && current?.early) current.finish();
    });
    watcher.on('error', () => watcher?.close());
  } catch (err) {
    log(`inbox not watched (${(err as Error).message}); polling every tick`);
  }
  return {
    pause: (ms, early) =>
      new Promise((done) => {
        const timer = setTimeout(finish, ms);
        function finish() {
          clearTimeout(timer);
          current = null;
          done();
        }
        current = { finish, early };
      }),
    wake: () => current?.finish(),
    close: () => watcher?.close(),
  };
}
