// The conversation ccx run --supervise carries from one profile to the next. Claude Code keeps a
// session's transcript in <config dir>/projects/<project key>/<session id>.jsonl (and its
// subagents' and tool results in <session id>/ beside it), and `claude --resume <id>` looks for it
// in the current config dir only. So the transcript is copied into the sibling's projects/ under
// the same project key first; resumed there, Claude Code keeps the session id and appends to the
// copy (checked with the real CLI: test/e2e/run-supervise.test.ts).
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { markCopied } from '../contracts/transcript-copy';

const SESSION_ID = '--session-id';
const RESUME = ['--resume', '-r'];
const CONTINUE = ['--continue', '-c'];

/** The value after `flag` (`--flag V` or `--flag=V`), if args have it. */
function valueOf(args: string[], flags: string[]): string | null | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = flags.find((f) => a.startsWith(`${f}=`));
    if (eq) return a.slice(eq.length + 1);
    if (flags.includes(a)) {
      const next = args[i + 1];
      return next !== undefined && !next.startsWith('-') ? next : null;
    }
  }
  return undefined;
}

/**
 * The session the first run will be in: the one the arguments name (--session-id, --resume ID),
 * else a new id given to claude with --session-id so that it is known; null after --continue or a
 * bare --resume (the session is then found by its transcript, `newestSession`).
 */
export function withSessionId(args: string[], newId: () => string): { args: string[]; sessionId: string | null } {
  const named = valueOf(args, [SESSION_ID]) ?? valueOf(args, RESUME);
  if (typeof named === 'string') return { args, sessionId: named };
  if (named === null || args.some((a) => CONTINUE.includes(a))) return { args, sessionId: null };
  const id = newId();
  return { args: [...args, SESSION_ID, id], sessionId: id };
}

/** The arguments for the next profile: the same, minus the session choice, plus `--resume ID`. */
export function resumeArgs(args: string[], sessionId: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (CONTINUE.includes(a) || a === '--fork-session') continue;
    if ([SESSION_ID, ...RESUME].some((f) => a.startsWith(`${f}=`))) continue;
    if (a === SESSION_ID) {
      i++;
      continue;
    }
    if (RESUME.includes(a)) {
      if (args[i + 1] !== undefined && !args[i + 1]!.startsWith('-')) i++;
      continue;
    }
    out.push(a);
  }
  return [...out, '--resume', sessionId];
}

const projectDirs = (configDir: string): string[] => {
  const projects = join(configDir, 'projects');
  try {
    return readdirSync(projects).map((d) => join(projects, d));
  } catch {
    return [];
  }
};

/** The project dir (under <config dir>/projects/) holding the session's transcript, or null. */
export function sessionProject(configDir: string, sessionId: string): string | null {
  return projectDirs(configDir).find((d) => existsSync(join(d, `${sessionId}.jsonl`))) ?? null;
}

/** The session whose transcript changed last at or after `since` (ms), for a run that did not say which. */
export function newestSession(configDir: string, since: number): string | null {
  let best: { id: string; mtime: number } | null = null;
  for (const dir of projectDirs(configDir)) {
    let names: string[];
    try {
      names = readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
    } catch {
      continue;
    }
    for (const f of names) {
      const mtime = statSync(join(dir, f), { throwIfNoEntry: false })?.mtimeMs ?? 0;
      if (mtime >= since && (!best || mtime > best.mtime)) best = { id: f.slice(0, -'.jsonl'.length), mtime };
    }
  }
  return best?.id ?? null;
}

/**
 * Copies the session's transcript (and its <id>/ folder: subagents, tool results) into `to` under
 * the same project key, every transcript line marked as copied from `fromProfile` (contracts/
 * transcript-copy.ts): counted once, where it was spent. False if there is no transcript.
 */
export function carrySession(from: string, to: string, sessionId: string, fromProfile: string): boolean {
  const project = sessionProject(from, sessionId);
  if (!project) return false;
  const target = join(to, 'projects', project.slice(join(from, 'projects').length + 1));
  mkdirSync(target, { recursive: true, mode: 0o700 });
  copyMarked(join(project, `${sessionId}.jsonl`), join(target, `${sessionId}.jsonl`), fromProfile);
  const extra = join(project, sessionId);
  if (existsSync(extra)) copyTree(extra, join(target, sessionId), fromProfile);
  return true;
}

function copyTree(from: string, to: string, fromProfile: string): void {
  mkdirSync(to, { recursive: true, mode: 0o700 });
  for (const e of readdirSync(from, { withFileTypes: true })) {
    const [src, dst] = [join(from, e.name), join(to, e.name)];
    if (e.isDirectory()) copyTree(src, dst, fromProfile);
    else if (e.name.endsWith('.jsonl')) copyMarked(src, dst, fromProfile);
    else if (e.isFile()) copyFileSync(src, dst);
  }
}

const CHUNK = 1 << 20;

/** A JSONL file copied line by line with the mark, a chunk at a time (transcripts reach hundreds of MB). */
function copyMarked(src: string, dst: string, fromProfile: string): void {
  const input = openSync(src, 'r');
  const output = openSync(dst, 'w', 0o600);
  try {
    const buf = Buffer.alloc(CHUNK);
    let carry = '';
    for (let n = readSync(input, buf); n > 0; n = readSync(input, buf)) {
      const lines = (carry + buf.toString('utf8', 0, n)).split('\n');
      carry = lines.pop()!;
      if (lines.length) writeSync(output, `${lines.map((l) => markCopied(l, fromProfile)).join('\n')}\n`);
    }
    if (carry) writeSync(output, markCopied(carry, fromProfile));
  } finally {
    closeSync(input);
    closeSync(output);
  }
}
