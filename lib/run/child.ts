// The real child: claude with the terminal (stdio inherited). While it runs, ccx ignores the
// terminal's SIGINT/SIGQUIT (they reach claude too, which decides what they mean) and passes
// SIGTERM/SIGHUP on to it; the child's exit becomes ccx's.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { Launch } from './launch';
import type { Child, Exit } from './supervise';

export function spawnChild(launch: Launch): Child {
  const child = spawn(launch.binary, launch.args, { env: launch.env, stdio: 'inherit' });
  const ignore = () => {};
  const forward = (signal: NodeJS.Signals) => void child.kill(signal);
  const handlers: [NodeJS.Signals, (s: NodeJS.Signals) => void][] = [
    ['SIGINT', ignore],
    ['SIGQUIT', ignore],
    ['SIGTERM', forward],
    ['SIGHUP', forward],
  ];
  for (const [s, h] of handlers) process.on(s, h);
  const exited = new Promise<Exit>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal }));
  }).finally(() => {
    for (const [s, h] of handlers) process.off(s, h);
  });
  return { exited, kill: (signal) => void child.kill(signal) };
}

/** The exit status to pass back: the child's code, or 128 + the signal that ended it (as a shell reports it). */
export function exitStatus(exit: Exit): number {
  if (exit.code !== null) return exit.code;
  return 128 + (exit.signal ? (constants.signals[exit.signal] ?? 0) : 0);
}
