// Finds a Codex home's rollouts: $CODEX_HOME/sessions/YYYY/MM/DD/rollout-<ts>-<thread id>.jsonl,
// and archived_sessions/ (where Codex moves archived threads; a moved file is read again under its
// new path and its rows, keyed by thread and running total, are not counted twice). Compressed
// rollouts (.jsonl.zst, newer Codex) are not read: Node 20 has no zstd.
import { basename, join } from 'node:path';
import { walkFiles } from './files';

export const CODEX_ROLLOUT_DIRS = ['sessions', 'archived_sessions'] as const;

const isRollout = (name: string) => name.startsWith('rollout-') && name.endsWith('.jsonl');

export function listRollouts(codexHome: string): string[] {
  const out: string[] = [];
  for (const dir of CODEX_ROLLOUT_DIRS) walkFiles(join(codexHome, dir), isRollout, out);
  return out;
}

const THREAD_ID_RE = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/i;

/** The thread id in a rollout's name (its UUID), else the name without `rollout-` and `.jsonl`. */
export function threadOfFile(file: string): string {
  return THREAD_ID_RE.exec(file)?.[1] ?? basename(file, '.jsonl').replace(/^rollout-/, '');
}
