// Quoting one value as one word, per shell. Each quoter uses the shell's single-quote form, the
// only one in which `$`, backticks, backslashes and newlines are not special (or, in fish, where
// only `\` and `'` are), so arbitrary paths survive untouched.

export const SHELLS = ['bash', 'zsh', 'fish', 'pwsh'] as const;
export type Shell = (typeof SHELLS)[number];

export function isShell(s: string): s is Shell {
  return (SHELLS as readonly string[]).includes(s);
}

/** Words made only of these need no quotes in sh, bash, zsh or fish (no `=`: zsh's =cmd, FOO=x). */
const PLAIN = /^[A-Za-z0-9_./:@%+,-]+$/;

/** POSIX sh, bash, zsh: '…' with each ' written as '\''. */
export function quotePosix(s: string): string {
  return PLAIN.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** fish: inside '…' only \\ and \' are escapes. */
export function quoteFish(s: string): string {
  return PLAIN.test(s) ? s : `'${s.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

/**
 * PowerShell: always quoted (bare `@x`, `a,b`, `-x` mean something there). Inside '…' a quote is
 * doubled; PowerShell also takes the typographic single quotes U+2018..U+201B as quote marks.
 */
export function quotePwsh(s: string): string {
  return `'${s.replace(/['\u2018-\u201b]/g, (c) => c + c)}'`;
}

export function quoteFor(shell: Shell, s: string): string {
  switch (shell) {
    case 'bash':
    case 'zsh':
      return quotePosix(s);
    case 'fish':
      return quoteFish(s);
    case 'pwsh':
      return quotePwsh(s);
  }
}
