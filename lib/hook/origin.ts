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

/**
 * CLAUDE_CONFIG_DIR when Claude Code runs with one, else the dir above the transcript's projects/.
 * For Codex (`codex`): CODEX_HOME, else the dir above the rollout's sessions/.
 */
export function configDirOf(env: Env, transcriptPath: unknown, codex = false): string | null {
  const dir = codex ? env.CODEX_HOME : env.CLAUDE_CONFIG_DIR;
  if (dir) return resolve(dir);
  const at = typeof transcriptPath === 'string' ? transcriptPath.lastIndexOf(codex ? '/sessions/' : '/projects/') : -1;
  return at > 0 ? (transcriptPath as string).slice(0, at) : null;
}

/** `--agent codex` from the command line: the hook was registered in a Codex home. */
export function isCodexHook(argv: string[]): boolean {
  const i = argv.indexOf('--agent');
  return i >= 0 && argv[i + 1] === 'codex';
}
