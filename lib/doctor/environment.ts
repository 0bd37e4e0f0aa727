// Checks on the machine and on $CCX_HOME itself: node, the directory's and files' permissions.
import { accessSync, constants, statSync } from 'node:fs';
import { homeProblem, homeProblemText } from '../home-trust';
import type { CcxPaths } from '../paths';
import { type Check, fail, ok, warn } from './check';

export function nodeCheck(version: string, execPath: string): Check {
  const major = Number(version.replace(/^v/, '').split('.')[0]);
  return major >= 20
    ? ok('node', `${version} (${execPath})`)
    : fail('node', `${version} is too old: ccx needs Node 20 or newer`, 'install Node 20+ and re-run ./install.sh');
}

/** $CCX_HOME holds prompts and usage: it should be private to its owner. `onceCommand` creates it. */
export function homeChecks(paths: CcxPaths, onceCommand: string): Check[] {
  const st = statSync(paths.home, { throwIfNoEntry: false });
  if (!st) return [warn('ccx home', `${paths.home} does not exist yet`, `the first hook event creates it, or run: ${onceCommand}`)];
  if (!st.isDirectory()) return [fail('ccx home', `${paths.home} is not a directory`, `move it aside; ccx creates the directory itself`)];
  const problem = homeProblem(paths);
  if (problem) {
    return [
      fail(
        'ccx home',
        `${homeProblemText(problem)}; hooks record nothing meanwhile`,
        `${problem.fix}, or set CCX_HOME to a directory of your own`,
      ),
    ];
  }
  try {
    accessSync(paths.home, constants.W_OK | constants.X_OK);
  } catch {
    return [fail('ccx home', `${paths.home} is not writable by you`, `chown -R "$(id -un)" ${paths.home}`)];
  }
  const checks: Check[] = [];
  const mode = st.mode & 0o777;
  checks.push(
    mode & 0o077
      ? warn('ccx home', `${paths.home} is mode ${mode.toString(8)}: other users can read your usage`, `chmod 700 ${paths.home}`)
      : ok('ccx home', `${paths.home} (mode ${mode.toString(8)})`),
  );
  const open = [paths.config, paths.db, paths.inbox, paths.quota].filter((f) => {
    const fst = statSync(f, { throwIfNoEntry: false });
    return fst !== undefined && (fst.mode & 0o077) !== 0;
  });
  if (open.length) checks.push(warn('ccx files', `readable by others: ${open.join(', ')}`, `chmod 600 ${open.join(' ')}`));
  return checks;
}
