// `ccx` and `ccx-report` runnable by name: install links them from the user's bin dir
// ($XDG_BIN_HOME, else ~/.local/bin) to this checkout's dist/, and says the one line that puts
// that dir on PATH when it is not. A path held by anything but a ccx link is never replaced.
import { lstatSync, mkdirSync, readlinkSync, realpathSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { basename, delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { quoteFor, type Shell } from '../shell';
import type { CliContext } from './context';
import { RC_FILES } from './shell';

export const LINKED_COMMANDS = ['ccx', 'ccx-report'] as const;

/** Where the links go: $XDG_BIN_HOME (when absolute, as the XDG spec asks), else ~/.local/bin. */
export function binDir(ctx: CliContext): string {
  const xdg = ctx.env.XDG_BIN_HOME;
  if (xdg && isAbsolute(xdg)) return xdg;
  return join(ctx.env.HOME ?? '', '.local', 'bin');
}

/** What a link path holds: nothing, this checkout's entry, another ccx checkout's, or anything else. */
type Slot = 'free' | 'ours' | 'ccx' | 'foreign';

function slotOf(link: string, target: string): Slot {
  let pointsAt: string;
  try {
    if (!lstatSync(link).isSymbolicLink()) return 'foreign';
    pointsAt = resolve(dirname(link), readlinkSync(link));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'free';
    throw err;
  }
  if (pointsAt === target) return 'ours';
  // Another checkout's (moved, or an older clone): same shape as ours, taken over like its hooks.
  return basename(pointsAt) === basename(target) && basename(dirname(pointsAt)) === 'dist' ? 'ccx' : 'foreign';
}

export type LinkResult = {
  dir: string;
  /** Each command: how to run it now (its name when linked and the dir is on PATH). */
  run: Record<(typeof LINKED_COMMANDS)[number], string>;
  /** The rc line that puts `dir` on PATH, when some link was made and `dir` is not on it. */
  pathHint: string | null;
};

export function linkCommands(ctx: CliContext, shell: Shell): LinkResult {
  const dir = binDir(ctx);
  const onPath = isOnPath(dir, ctx.env.PATH ?? '');
  let linked = false;
  const run = {} as LinkResult['run'];
  for (const name of LINKED_COMMANDS) {
    const link = join(dir, name);
    const target = join(ctx.distDir, `${name}.js`);
    const slot = slotOf(link, target);
    if (slot === 'foreign') {
      ctx.err(`ccx: ${link} is not ccx's link; left as it is\n`);
      run[name] = [ctx.node, target].map((w) => quoteFor(shell, w)).join(' ');
      continue;
    }
    if (slot !== 'ours') {
      mkdirSync(dir, { recursive: true });
      replaceLink(link, target);
      ctx.out(`${slot === 'free' ? 'linked' : 'pointed at this checkout:'} ${link} -> ${target}\n`);
    }
    linked = true;
    run[name] = onPath ? name : quoteFor(shell, link);
  }
  return { dir, run, pathHint: linked && !onPath ? pathLine(ctx, shell, dir) : null };
}

/** Removes the links that point at this checkout; anything else at those paths stays. */
export function unlinkCommands(ctx: CliContext): void {
  const dir = binDir(ctx);
  for (const name of LINKED_COMMANDS) {
    const link = join(dir, name);
    const slot = slotOf(link, join(ctx.distDir, `${name}.js`));
    if (slot === 'ours') {
      rmSync(link);
      ctx.out(`removed ${link}\n`);
    } else if (slot !== 'free') ctx.out(`${link} is not this checkout's; left as it is\n`);
  }
}

/** A new link under a temporary name, renamed over the old one: the command never goes missing. */
function replaceLink(link: string, target: string): void {
  const tmp = `${link}.ccx-tmp-${process.pid}`;
  rmSync(tmp, { force: true });
  symlinkSync(target, tmp);
  renameSync(tmp, link);
}

function isOnPath(dir: string, path: string): boolean {
  const real = (p: string): string => {
    try {
      return realpathSync(p);
    } catch {
      return resolve(p);
    }
  };
  const want = real(dir);
  return path.split(delimiter).some((entry) => entry !== '' && isAbsolute(entry) && real(entry) === want);
}

/** "add this line to ~/.zshrc ...: export PATH=..." — spelt with $HOME / ~ where it can be, quoted where not. */
function pathLine(ctx: CliContext, shell: Shell, dir: string): string {
  const home = ctx.env.HOME;
  const rest = home && dir.startsWith(`${home}/`) ? dir.slice(home.length + 1) : null;
  const plain = rest !== null && /^[\w./-]+$/.test(rest) ? rest : null;
  switch (shell) {
    case 'bash':
    case 'zsh':
      return `${addTo(shell)}export PATH=${plain ? `"$HOME/${plain}:$PATH"` : `${quoteFor(shell, dir)}:"$PATH"`}`;
    case 'fish':
      // fish_add_path keeps the dir in a universal variable: run once, no rc file needed.
      return `run once: fish_add_path ${plain ? `~/${plain}` : quoteFor(shell, dir)}`;
    case 'pwsh':
      return `${addTo(shell)}$env:PATH = ${quoteFor(shell, dir)} + [IO.Path]::PathSeparator + $env:PATH`;
  }
}

const addTo = (shell: Shell): string => `add this line to ${RC_FILES[shell]} and open a new shell: `;
