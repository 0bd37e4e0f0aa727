// How `--once` callers ask a running consolidator for a pass: drop <id>.req in requests/; the
// daemon notes the requests present at the start of a pass and renames each to <id>.done after
// that whole pass is committed, so the caller knows everything it saw is in.
import { mkdirSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function createRequest(dir: string, id: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `${id}.req`);
  writeFileSync(path, `${process.pid}\n`, { mode: 0o600, flag: 'wx' });
  return path;
}

export function pendingRequests(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((n) => n.endsWith('.req'))
      .map((n) => join(dir, n));
  } catch {
    return [];
  }
}

export function answerRequests(reqs: string[]): void {
  for (const req of reqs) {
    try {
      renameSync(req, req.replace(/\.req$/, '.done'));
    } catch {
      // The caller gave up and removed it.
    }
  }
}

export function isAnswered(req: string): boolean {
  return statSync(req.replace(/\.req$/, '.done'), { throwIfNoEntry: false }) !== undefined;
}

export function removeRequest(req: string): void {
  for (const p of [req, req.replace(/\.req$/, '.done')]) {
    try {
      unlinkSync(p);
    } catch {
      // Already gone.
    }
  }
}
