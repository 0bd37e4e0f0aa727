// $CCX_HOME/daemon.json: who serves, where, with which token. Written atomically, 0600 (it holds
// the token); marked running:false on a clean exit, so a file saying running:true whose process is
// gone (or is another process under a reused pid) is stale.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-write';
import { type DaemonStatus, daemonStatusSchema } from '../contracts/daemon';
import { procStart } from '../lock-holder';
import type { CcxPaths } from '../paths';

export function daemonFilePath(paths: CcxPaths): string {
  return join(paths.home, 'daemon.json');
}

export function newStartToken(): string {
  return randomBytes(32).toString('hex');
}

export function writeDaemonFile(paths: CcxPaths, status: DaemonStatus): void {
  writeFileAtomic(daemonFilePath(paths), `${JSON.stringify(status, null, 2)}\n`, { mode: 0o600 });
}

/** The file's content, or null when absent or not a DaemonStatus. */
export function readDaemonFile(paths: CcxPaths): DaemonStatus | null {
  try {
    const parsed = daemonStatusSchema.safeParse(JSON.parse(readFileSync(daemonFilePath(paths), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export type ServeState =
  | { state: 'none' }
  | { state: 'stopped' }
  | { state: 'running'; url: string; pid: number }
  /** running:true, but its process is gone or the pid now belongs to another process. */
  | { state: 'stale'; pid: number };

export function serveState(paths: CcxPaths): ServeState {
  const d = readDaemonFile(paths);
  if (!d) return { state: 'none' };
  if (!d.running) return { state: 'stopped' };
  const { pid, proc_start } = d.process_identity;
  const alive = proc_start !== null ? procStart(pid) === proc_start : pidAlive(pid);
  return alive ? { state: 'running', url: d.url, pid } : { state: 'stale', pid };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
