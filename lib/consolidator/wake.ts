// The daemon's pause between passes, cut short when a hook creates or appends to inbox.jsonl
// after a quiet spell: the first event of a turn is applied at once, not a tick later. During a
// burst the tick still paces the passes, so a busy session's appends are applied together.
// Where inotify is unavailable (or out of watches) the pause is the plain tick.
import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';

export type Waker = { pause: (ms: number, wakeEarly: boolean) => Promise<void>; close: () => void };

export function inboxWaker(inbox: string, log: (msg: string) => void): Waker {
  let wake: (() => void) | null = null;
  let watcher: FSWatcher | null = null;
  try {
    watcher = watch(dirname(inbox), { persistent: false }, (_kind, name) => {
      if (name === basename(inbox)) wake?.();
    });
    watcher.on('error', () => watcher?.close());
  } catch (err) {
    log(`inbox not watched (${(err as Error).message}); polling every tick`);
  }
  return {
    pause: (ms, wakeEarly) =>
      new Promise((done) => {
        const timer = setTimeout(finish, ms);
        function finish() {
          clearTimeout(timer);
          wake = null;
          done();
        }
        if (wakeEarly) wake = finish;
      }),
    close: () => watcher?.close(),
  };
}
