// Finds a Codex home's rollouts: $CODEX_HOME/sessions/YYYY/MM/DD/rollout-<ts>-<thread id>.jsonl,
// and archived_sessions/ (where Codex moves archived threads; a moved file is read again under its
// new path and its rows, keyed by thread and running total, are not counted twice). Compressed
// rollouts (.jsonl.zst, newer Codex) are not read: Node 20 has no zstd.
import { readdirSync } from 'node:fs';
import { basename, join, sep } from 'node:path';

export const CODEX_ROLLOUT_DIRS = ['sessions', 'archived_sessions'] as const;

export function listRollouts(codexHome: string): string[] {
  const out: string[] = [];
  for (const dir of CODEX_ROLLOUT_DIRS) walk(join(codexHome, dir), out);
  return out;
}

function walk(dir: string, out: string[]): void {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // vanished or unreadable: nothing to scan there
  }
  for (const e of entries) {
    const p = dir + sep + e.name;
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile() && e.name.startsWith('rollout-') && e.name.endsWith('.jsonl')) out.push(p);
  }
}

const THREAD_ID_RE = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/i;

/** The thread id in a rollout's name (its UUID), else the name without `rollout-` and `.jsonl`. */
export function threadOfFile(file: string): string {
  return THREAD_ID_RE.exec(file)?.[1] ?? basename(file, '.jsonl').replace(/^rollout-/, '');
}
