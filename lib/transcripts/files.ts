// Finds transcript files: every *.jsonl under <config_dir>/projects, at any depth (subagent
// transcripts live in <project>/<session>/subagents/). A missing projects/ dir is no files.
import { readdirSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';

export function projectsDir(configDir: string): string {
  return join(configDir, 'projects');
}

export function listTranscripts(configDir: string): string[] {
  const out: string[] = [];
  walkFiles(projectsDir(configDir), (name) => name.endsWith('.jsonl'), out);
  return out;
}

/** Every file under `dir`, at any depth, whose name `keep` accepts, into `out`; a missing or unreadable dir holds none. */
export function walkFiles(dir: string, keep: (name: string) => boolean, out: string[]): void {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // vanished or unreadable: nothing to scan there
  }
  for (const e of entries) {
    // `dir` is already normalised and a name holds no separator: plain concatenation gives what
    // join() would (the cursor key), at a fraction of its cost over thousands of files.
    const p = dir + sep + e.name;
    if (e.isDirectory()) walkFiles(p, keep, out);
    else if (e.isFile() && keep(e.name)) out.push(p);
  }
}

/**
 * Session and project fallbacks from a transcript's path, for lines that lack sessionId/cwd:
 * projects/<projectDir>/<session>.jsonl or projects/<projectDir>/<session>/.../agent-x.jsonl.
 */
export function pathContext(configDir: string, file: string): { projectDir: string; sessionId: string } {
  const dir = projectsDir(configDir);
  // A path from listTranscripts starts with the projects dir: slicing it off gives what relative()
  // would, without resolving both paths for every changed file.
  const parts = (file.startsWith(dir + sep) ? file.slice(dir.length + 1) : relative(dir, file)).split(sep);
  const projectDir = parts.length > 1 ? parts[0]! : '';
  const sessionId = parts.length > 2 ? parts[1]! : basename(file, '.jsonl');
  return { projectDir, sessionId };
}
