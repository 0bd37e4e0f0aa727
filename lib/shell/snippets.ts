// What `ccx use` and `ccx init` print. `use` prints code the calling shell evaluates to switch
// profile; `init` prints the rc-file function that does that evaluation, so `ccx use NAME` works
// without the user typing eval.
import { quoteFor, type Shell } from './quote';

export type UseTarget = { profile: string; configDir: string };

/** Code that sets CLAUDE_CONFIG_DIR and CCX_ACTIVE_PROFILE in the shell that evaluates it. */
export function useSnippet(shell: Shell, { profile, configDir }: UseTarget): string {
  const vars: [string, string][] = [
    ['CLAUDE_CONFIG_DIR', configDir],
    ['CCX_ACTIVE_PROFILE', profile],
  ];
  const line = ([name, value]: [string, string]): string => {
    const q = quoteFor(shell, value);
    switch (shell) {
      case 'bash':
      case 'zsh':
        return `export ${name}=${q}`;
      case 'fish':
        return `set -gx ${name} ${q}`;
      case 'pwsh':
        return `$env:${name} = ${q}`;
    }
  };
  return `${vars.map(line).join('\n')}\n`;
}

export type InitOptions = {
  /** argv prefix that runs the real ccx, e.g. ['ccx'] or [process.execPath, '/abs/dist/ccx.js']. */
  ccxCommand: readonly string[];
};

/**
 * A shell function `ccx`: `ccx use …` (without -h/--help) evaluates the output of the real
 * `ccx use --shell SHELL …`; anything else is passed through unchanged.
 */
export function initSnippet(shell: Shell, { ccxCommand }: InitOptions): string {
  if (ccxCommand.length === 0) throw new Error('initSnippet: ccxCommand is empty');
  const real = ccxCommand.map((w) => quoteFor(shell, w)).join(' ');
  switch (shell) {
    case 'bash':
    case 'zsh':
      return posixInit(shell, real);
    case 'fish':
      return fishInit(real);
    case 'pwsh':
      return pwshInit(ccxCommand, real);
  }
}

function posixInit(shell: 'bash' | 'zsh', real: string): string {
  // `command` skips this function when the real ccx is found on PATH under the same name.
  return `# ccx shell integration (${shell}): \`ccx use NAME\` switches this shell's Claude Code profile.
ccx() {
  if [ "$#" -gt 0 ] && [ "$1" = use ]; then
    local __ccx_arg __ccx_out
    for __ccx_arg in "$@"; do
      case "$__ccx_arg" in -h|--help) command ${real} "$@"; return;; esac
    done
    shift
    __ccx_out="$(command ${real} use --shell ${shell} "$@")" || return
    eval "$__ccx_out"
  else
    command ${real} "$@"
  fi
}
`;
}

function fishInit(real: string): string {
  return `# ccx shell integration (fish): \`ccx use NAME\` switches this shell's Claude Code profile.
function ccx
    if test (count $argv) -gt 0; and test "$argv[1]" = use; and not contains -- -h $argv; and not contains -- --help $argv
        set -l __ccx_out (command ${real} use --shell fish $argv[2..-1])
        or return
        string join \\n -- $__ccx_out | source
    else
        command ${real} $argv
    end
end
`;
}

function pwshInit(ccxCommand: readonly string[], real: string): string {
  // A bare name would call this very function again: look the application up instead.
  const [head, ...rest] = ccxCommand;
  const call = /[\\/]/.test(head!)
    ? `& ${real}`
    : [
        '& (Get-Command -CommandType Application -TotalCount 1 -Name',
        `${quoteFor('pwsh', head!)})`,
        ...rest.map((w) => quoteFor('pwsh', w)),
      ].join(' ');
  return `# ccx shell integration (pwsh): \`ccx use NAME\` switches this shell's Claude Code profile.
function ccx {
  if ($args.Count -gt 0 -and $args[0] -eq 'use' -and -not ($args -contains '-h' -or $args -contains '--help')) {
    $ccxRest = @($args | Select-Object -Skip 1)
    $ccxOut = ${call} use --shell pwsh @ccxRest
    if ($LASTEXITCODE -ne 0) { return }
    Invoke-Expression ($ccxOut -join "\`n")
  } else {
    ${call} @args
  }
}
`;
}
