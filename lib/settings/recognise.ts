// Which hook and status-line commands are ccx's. Recognised by shape, not by exact path, so the
// entries of a moved or older checkout (or of an event ccx no longer registers) are still found,
// replaced and removed rather than left behind or duplicated.
import { splitPosixWords } from './words';

const HOOK_SCRIPT = /(^|\/)dist\/hooks\/[a-z][a-z0-9-]*\.js$/;
const CLI_SCRIPT = /(^|\/)dist\/ccx\.js$/;

/** `… <dir>/dist/hooks/<kebab>.js --profile <name> …` */
export function isCcxHookCommand(command: unknown): boolean {
  return hookIdentity(command) !== null;
}

/**
 * What a ccx hook command runs, however it is registered (plain, `--async`, guarded):
 * `<node> <script> --profile <name>`, from the first place those words appear.
 */
export function hookIdentity(command: unknown): string | null {
  const words = typeof command === 'string' ? splitPosixWords(command) : null;
  const i = words?.findIndex((w, i) => HOOK_SCRIPT.test(w) && words[i + 1] === '--profile' && words[i + 2] !== undefined) ?? -1;
  return words && i >= 0 ? JSON.stringify([words[i - 1] ?? null, ...words.slice(i, i + 3)]) : null;
}

/** `… <dir>/dist/ccx.js statusline …` */
export function isCcxStatusLineCommand(command: unknown): boolean {
  const words = typeof command === 'string' ? splitPosixWords(command) : null;
  return !!words?.some((w, i) => CLI_SCRIPT.test(w) && words[i + 1] === 'statusline');
}
