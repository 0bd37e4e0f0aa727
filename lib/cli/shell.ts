// `ccx use NAME` prints what switches a shell to a profile; `ccx init SHELL` prints the rc-file
// function that evaluates it, so `ccx use NAME` works without eval.
import { basename, join } from 'node:path';
import { initSnippet, isShell, quoteFor, SHELLS, type Shell, useSnippet } from '../shell';
import { parse, str } from './args';
import type { CliContext } from './context';
import { UsageError } from './errors';
import { findProfile, loadConfig } from './targets';

function shellArg(value: string): Shell {
  if (!isShell(value)) throw new UsageError(`unknown shell "${value}": expected one of ${SHELLS.join(', ')}`);
  return value;
}

/** The user's login shell when ccx knows it, else bash. */
export const guessShell = (ctx: CliContext): Shell => {
  const name = basename(ctx.env.SHELL ?? '');
  return isShell(name) ? name : 'bash';
};

export async function useCommand(argv: string[], ctx: CliContext): Promise<number> {
  const p = parse(argv, { shell: { type: 'string' } }, { min: 1, max: 1, names: 'the profile NAME' });
  const shell = shellArg(str(p, 'shell') ?? guessShell(ctx));
  const profile = findProfile(ctx, loadConfig(ctx), p.positionals[0]!);
  ctx.out(useSnippet(shell, { profile: profile.name, configDir: profile.config_dir }));
  // Printed code does nothing until a shell evaluates it: say how, where a person will see it.
  if (ctx.outIsTTY) ctx.err(`ccx: this only prints; to make \`ccx use\` switch the shell, ${rcAdvice(ctx, shell)}\n`);
  return 0;
}

export async function initCommand(argv: string[], ctx: CliContext): Promise<number> {
  const p = parse(argv, {}, { min: 1, max: 1, names: `the SHELL (${SHELLS.join(', ')})` });
  const shell = shellArg(p.positionals[0]!);
  ctx.out(initSnippet(shell, { ccxCommand: [ctx.node, join(ctx.distDir, 'ccx.js')] }));
  return 0;
}

export const RC_FILES: Record<Shell, string> = { bash: '~/.bashrc', zsh: '~/.zshrc', fish: '~/.config/fish/config.fish', pwsh: '$PROFILE' };

/** "add to ~/.zshrc: eval ..." — the one line that loads `ccx init` in the shell's rc file. */
export function rcAdvice(ctx: CliContext, shell: Shell): string {
  const init = [ctx.node, join(ctx.distDir, 'ccx.js'), 'init', shell].map((w) => quoteFor(shell, w)).join(' ');
  const line = {
    bash: `eval "$(${init})"`,
    zsh: `eval "$(${init})"`,
    fish: `${init} | source`,
    pwsh: `& ${init} | Out-String | Invoke-Expression`,
  }[shell];
  return `add to ${RC_FILES[shell]}: ${line}`;
}
