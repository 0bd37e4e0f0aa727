// The spool: where a shell-only hook (lib/settings/guard.ts, PreToolUse) leaves an event without
// starting node. One file per writing shell, `<profile>.<pid>`, holding the event lines Claude Code
// gave it. The consolidator turns settled files into inbox records and deletes them.
//
// A file is taken once it has not been written for SPOOL_SETTLE_MS (a shell's printf lasts
// microseconds; a reused pid may append later, into a fresh file by then). Its records get ids
// from the file's inode, mtime and line, so a crash between the append and the unlink re-imports
// the same ids, which the consolidator applies once.
import { closeSync, constants, fstatSync, openSync, readdirSync, readSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { HOOK_EVENTS, type HookEventName, hookInputSchema } from '../contracts/hook-input';
import { INBOX_VERSION } from '../contracts/inbox';
import { PROFILE_NAME_RE } from '../contracts/profile';
import { appendInbox } from './append';

export const SPOOL_SETTLE_MS = 1000;
/** As the hook's own stdin limit: more is not an event Claude Code sent. */
const MAX_SPOOL_FILE_BYTES = 10 * 1024 * 1024;

export type SpoolStats = { files: number; records: number; bad: number };

export function importSpool(dir: string, inbox: string, now: number, log: (msg: string) => void): SpoolStats {
  const stats: SpoolStats = { files: 0, records: 0, bad: 0 };
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return stats;
  }
  for (const name of names) {
    const profile = name.slice(0, name.lastIndexOf('.'));
    const fd = openOwn(join(dir, name));
    if (fd === null) continue;
    try {
      const st = fstatSync(fd);
      if (now - st.mtimeMs < SPOOL_SETTLE_MS) continue;
      if (!PROFILE_NAME_RE.test(profile) || st.size > MAX_SPOOL_FILE_BYTES) {
        log(`spool: dropped ${name} (${st.size} bytes): not an event file`);
        stats.bad++;
      } else {
        const text = readAll(fd, st.size);
        const id = `sp-${st.ino.toString(36)}-${Math.floor(st.mtimeMs * 1000).toString(36)}`;
        text.split('\n').forEach((line, i) => {
          if (!line) return;
          if (importLine(line, `${id}-${i}`, profile, Math.floor(st.mtimeMs), inbox)) stats.records++;
          else {
            log(`spool: skipped line ${i + 1} of ${name}: not a valid hook event`);
            stats.bad++;
          }
        });
      }
      unlinkSync(join(dir, name));
      stats.files++;
    } finally {
      closeSync(fd);
    }
  }
  return stats;
}

function importLine(line: string, id: string, profile: string, at: number, inbox: string): boolean {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return false;
  }
  const event = (value as { hook_event_name?: unknown } | null)?.hook_event_name;
  if (typeof event !== 'string' || !(event in HOOK_EVENTS)) return false;
  const parsed = hookInputSchema(event as HookEventName).safeParse(value);
  if (!parsed.success) return false;
  appendInbox(inbox, { v: INBOX_VERSION, id, kind: 'hook', received_at: at, profile, config_dir: null, event, payload: parsed.data });
  return true;
}

/** A regular file of this user, never through a symlink. */
function openOwn(path: string): number | null {
  try {
    const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const st = fstatSync(fd);
    if (st.isFile() && (process.geteuid === undefined || st.uid === process.geteuid())) return fd;
    closeSync(fd);
  } catch {
    // gone meanwhile, or a symlink: not ours to read
  }
  return null;
}

function readAll(fd: number, size: number): string {
  const buf = Buffer.alloc(size);
  let got = 0;
  while (got < size) {
    const n = readSync(fd, buf, got, size - got, got);
    if (n === 0) break;
    got += n;
  }
  return buf.toString('utf8', 0, got);
}
