// The background consolidator runs while Claude Code works, on the same cores and disk: it takes
// the lowest CPU priority, and on Linux the idle I/O class, so the session never waits for it.
import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';

const LOWEST_NICE = 19;

export function lowerOwnPriority(log: (msg: string) => void): void {
  try {
    setPriority(LOWEST_NICE);
  } catch (err) {
    log(`could not lower CPU priority: ${(err as Error).message}`);
  }
  // Node has no ioprio_set; ionice (util-linux) does it for a pid, once, in the background. Where
  // it is missing the I/O priority still follows the nice value (best-effort, lowest level).
  if (process.platform !== 'linux') return;
  const child = spawn('ionice', ['-c', '3', '-p', String(process.pid)], { stdio: 'ignore' });
  child.on('error', () => undefined);
  child.unref();
}
