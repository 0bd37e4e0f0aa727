// The pinned CLIs the e2e suites drive (Claude Code, Codex, OpenCode) are npm packages installed
// on demand into .cache/<name>, never package.json dependencies: what they share.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const INSTALL_TIMEOUT_MS = 10 * 60_000;

/** The version of `pkg` installed under `prefix`, or undefined when there is none. */
export function installedVersion(prefix: string, pkg: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(prefix, 'node_modules', pkg, 'package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** `npm install` of `spec` (name@version) into `prefix`, optional platform packages included. */
export function npmInstall(prefix: string, spec: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  mkdirSync(prefix, { recursive: true });
  const args = ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', '--include=optional', spec];
  return new Promise((resolve, reject) => {
    execFile('npm', args, { timeout: INSTALL_TIMEOUT_MS, env }, (err, _out, stderr) =>
      err ? reject(new Error(`npm ${args.join(' ')} failed: ${err.message}\n${stderr}`)) : resolve(),
    );
  });
}
