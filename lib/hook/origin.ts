// Which profile an event comes from, as both hooks and the status line work it out: the
// `--profile NAME` their command was registered with, else the Claude Code config dir.
import { resolve } from 'node:path';
import { PROFILE_NAME_RE } from '../contracts/profile';
import type { Env } from '../paths';

/** `--profile NAME` from the command line; an invalid name is reported and ignored. */
export function profileArg(argv: string[], log: (msg: string) => void): string | null {
  const i = argv.indexOf('--profile');
  if (i < 0) return null;
  const name = argv[i + 1];
  if (name && PROFILE_NAME_RE.test(name)) return name;
  log(`ignoring invalid --profile ${JSON.stringify(name ?? '')}`);
  return null;
}

/** CLAUDE_CONFIG_DIR when Claude Code runs with one, else the dir above the transcript's projects/. */
export function configDirOf(env: Env, transcriptPath: unknown): string | null {
  if (env.CLAUDE_CONFIG_DIR) return resolve(env.CLAUDE_CONFIG_DIR);
  const at = typeof transcriptPath === 'string' ? transcriptPath.lastIndexOf('/projects/') : -1;
  return at > 0 ? (transcriptPath as string).slice(0, at) : null;
}
