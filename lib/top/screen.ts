// The terminal side of `ccx top`: the alternate screen, a hidden cursor, raw keys, and frames
// redrawn in place — only the rows that changed, each in one write, inside a synchronized update
// (terminals that do not know it ignore it), so nothing flickers.

export const ENTER_SCREEN = '\x1b[?1049h\x1b[?25l\x1b[2J';
export const LEAVE_SCREEN = '\x1b[?25h\x1b[?1049l';
const SYNC_ON = '\x1b[?2026h';
const SYNC_OFF = '\x1b[?2026l';
const CLEAR_EOL = '\x1b[K';

const visibleLength = (line: string) => [...line.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')].length;

/**
 * What turns the screen holding `prev` (null: unknown, e.g. after a resize) into `next`. A row
 * shorter than the screen is cleared to its end; a full-width one is not (at the last column the
 * clear would erase the last character).
 */
export function frameUpdate(prev: string[] | null, next: string[], width: number, height: number): string {
  let out = prev === null ? '\x1b[2J' : '';
  const rows = prev === null ? next.length : Math.max(next.length, prev.length);
  for (let i = 0; i < rows && i < height; i++) {
    const line = next[i] ?? '';
    if (prev !== null && prev[i] === line) continue;
    out += `\x1b[${i + 1};1H${line}${visibleLength(line) < width ? CLEAR_EOL : ''}`;
  }
  return out === '' ? '' : `${SYNC_ON}${out}${SYNC_OFF}`;
}
