// Which hook and status-line commands are ccx's. Recognised by shape, not by exact path, so the
// entries of a moved or older checkout (or of an event ccx no longer registers) are still found,
// replaced and removed rather than left behind or duplicated.
import { splitPosixWords } from './words';

const HOOK_SCRIPT = /(^|\/)dist\/hooks\/[a-z][a-z0-9-]*\.js$/;
const CLI_SCRIPT = /(^|\/)dist\/ccx\.js$/;

/** `… <dir>/dist/hooks/<kebab>.js --profile <name> …` */
export function isCcxHookCommand(command: unknown): boolean {
  const words = typeof command === 'string' ? splitPosixWords(command) : null;
  return !!words?.some((w, i) => HOOK_SCRIPT.test(w) && words[i + 1] === '--profile' && words[i + 2] !== undefined);
}

/** `… <dir>/dist/ccx.js statusline …` */
export function isCcxStatusLineCommand(command: unknown): boolean {
  const words = typeof command === 'string' ? splitPosixWords(command) : null;
  return !!words?.some((w, i) => CLI_SCRIPT.test(w) && words[i + 1] === 'statusline');
}
