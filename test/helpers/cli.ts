// Test plumbing for the ccx CLI and install.sh: run them as real processes, and a throw-away
// copy of the checkout (dist/, install.sh, lock file, node_modules linked) with a fake npm.
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST, type ProcResult, ROOT, runNode, type Sandbox } from './ccx';

export const CLI = join(DIST, 'ccx-cli.js');

export function ccx(sb: Sandbox, args: string[], env: NodeJS.ProcessEnv = {}, cli: string = CLI): Promise<ProcResult> {
  return runNode(cli, args, { env: { ...sb.env, ...env }, timeoutMs: 60_000 });
}

export function runProcess(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<ProcResult> {
  return new Promise((done) => {
    const t0 = Date.now();
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}

export type Checkout = { dir: string; dist: string; bin: string; npmLog: string };

/**
 * A copy of the built checkout in a fresh directory (so its paths differ from the repo's), with
 * node_modules entries linked to the repo's and a fake `npm` in `bin` that only logs its arguments.
 */
export function checkout(parent: string = mkdtempSync(join(tmpdir(), 'ccx-checkout-'))): Checkout {
  const dir = join(parent, 'checkout');
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  copyFileSync(join(ROOT, 'install.sh'), join(dir, 'install.sh'));
  copyFileSync(join(ROOT, 'package-lock.json'), join(dir, 'package-lock.json'));
  copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  cpSync(DIST, join(dir, 'dist'), { recursive: true });
  for (const name of readdirSync(join(ROOT, 'node_modules'))) {
    if (!name.startsWith('.')) symlinkSync(join(ROOT, 'node_modules', name), join(dir, 'node_modules', name));
  }
  const bin = join(parent, 'bin');
  const npmLog = join(parent, 'npm.log');
  mkdirSync(bin);
  writeFileSync(join(bin, 'npm'), `#!/bin/sh\necho "$*" >> '${npmLog}'\n`);
  chmodSync(join(bin, 'npm'), 0o755);
  return { dir, dist: join(dir, 'dist'), bin, npmLog };
}

export function installSh(co: Checkout, sb: Sandbox, args: string[], env: NodeJS.ProcessEnv = {}): Promise<ProcResult> {
  return runProcess('bash', [join(co.dir, 'install.sh'), ...args], { ...sb.env, PATH: `${co.bin}:${sb.env.PATH}`, ...env });
}
