// Terminal rendering: tables that fit the width (compact layout under 100 columns, then cutting
// shrinkable columns, then cutting lines), ANSI colour only when the caller allows it.
import { ANSI_FG, printable } from '../../format';
import { type Cell, type Column, cellStyle, cellText, type Doc, isGauge, type Style, type Table } from './doc';

export const COMPACT_BELOW = 100;
const GAP = '  ';
const GAUGE_WIDTH = 20;
const GAUGE_WIDTH_COMPACT = 10;
const MIN_SHRUNK = 8;
/** A model list keeps room for one shortened name (`3-5-sonnet`). */
const MIN_LIST = 12;
const minWidth = (c: Column) => (c.cut === 'list' ? MIN_LIST : MIN_SHRUNK);

const ANSI: Record<Style, [string, string]> = {
  bold: ['\x1b[1m', '\x1b[22m'],
  dim: ['\x1b[2m', '\x1b[22m'],
  red: [`\x1b[${ANSI_FG.red}m`, '\x1b[39m'],
  yellow: [`\x1b[${ANSI_FG.yellow}m`, '\x1b[39m'],
  green: [`\x1b[${ANSI_FG.green}m`, '\x1b[39m'],
  cyan: ['\x1b[36m', '\x1b[39m'],
};

/** Width and colour come from lib/cli-kit (termWidth, useColor); compact: --compact. */
export type TermOpts = { width: number; color: boolean; compact?: boolean };

const paint = (text: string, style: Style | undefined, color: boolean) =>
  color && style ? `${ANSI[style][0]}${text}${ANSI[style][1]}` : text;

/** [███████░░░] — the filled part is the used share, capped at the bar. */
export function gaugeBar(pct: number | null, width: number): string {
  if (pct === null) return '·'.repeat(width);
  const filled = Math.max(0, Math.min(width, Math.round((pct / 100) * width)));
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

const cut = (s: string, w: number) => ([...s].length <= w ? s : `${[...s].slice(0, Math.max(0, w - 1)).join('')}…`);
const len = (s: string) => [...s].length;
/** Keeps the tail (`…/work/app`): the end of a path says the most. */
export const cutStart = (s: string, w: number) => (len(s) <= w ? s : `…${[...s].slice(len(s) - Math.max(0, w - 1)).join('')}`);
/**
 * Whole items that fit, then `+N` for the rest, so a model name is cut in the middle only when not
 * even the first one fits (then it is, keeping the `+N`: a bare `+2` names nothing).
 */
function cutList(full: string, w: number): string {
  if (len(full) <= w) return full;
  // Model names first lose what every one shares: `claude-` and the release date.
  const s = full.replace(/\bclaude-/g, '').replace(/-\d{8}\b/g, '');
  if (len(s) <= w) return s;
  const items = s.split(', ');
  for (let k = items.length - 1; k > 0; k--) {
    const v = `${items.slice(0, k).join(', ')} +${items.length - k}`;
    if (len(v) <= w) return v;
  }
  const more = ` +${items.length - 1}`;
  return items.length > 1 && w - len(more) >= MIN_SHRUNK ? cut(items[0]!, w - len(more)) + more : cut(s, w);
}
const CUT = { end: cut, start: cutStart, list: cutList } as const;

/** The line under a table that hides columns, naming them and what would show them. */
function hiddenNote(headers: string[], o: TermOpts): string {
  const names = [...new Set(headers)].join(', ');
  if (o.width < COMPACT_BELOW) return `compact layout; ${COMPACT_BELOW}+ columns add ${names}`;
  return o.compact ? `compact layout (--compact): ${names} not shown` : `hidden to fit ${o.width} columns: ${names}`;
}

export function renderTable(t: Table, o: TermOpts): string[] {
  if (t.rows.length === 0) return ['(nothing in range)'];
  const compact = o.compact === true || o.width < COMPACT_BELOW;
  const keep = t.columns.map((c, i) => ({ c, i })).filter(({ c }) => !(compact && c.wide));
  const gw = compact ? GAUGE_WIDTH_COMPACT : GAUGE_WIDTH;
  // Data (a cwd, a model, an error) is made printable before it is measured or shown.
  const text = (cell: Cell) => printable(isGauge(cell) ? `${gaugeBar(cell.gauge, gw)} ${cell.text}` : cellText(cell));
  const header = (c: { header: string }) => printable(c.header);
  const natural = (k: { c: { header: string }; i: number }) =>
    Math.max(len(header(k.c)), ...t.rows.map((r) => len(text(r.cells[k.i] ?? ''))));
  const sum = (ws: number[]) => ws.reduce((a, b) => a + b, 0) + GAP.length * Math.max(0, ws.length - 1);
  const floor = (k: { c: Column; i: number }) => (k.c.shrink ? Math.min(minWidth(k.c), natural(k)) : natural(k));
  // Still too wide at every shrinkable column's floor: drop the least important columns first,
  // so Cost and the labels stay.
  while (sum(keep.map(floor)) > o.width) {
    let j = -1;
    keep.forEach(({ c }, k) => {
      if (c.drop !== undefined && (j < 0 || c.drop < keep[j]!.c.drop!)) j = k;
    });
    if (j < 0) break;
    keep.splice(j, 1);
  }
  const widths = keep.map(natural);
  // Too wide: cut the shrinkable columns, widest first, down to a floor.
  let total = sum(widths);
  while (total > o.width) {
    let j = -1;
    keep.forEach(({ c }, k) => {
      if (c.shrink && widths[k]! > minWidth(c) && (j < 0 || widths[k]! > widths[j]!)) j = k;
    });
    if (j < 0) break;
    widths[j]!--;
    total--;
  }
  const line = (cells: string[], styles: (Style | undefined)[]) =>
    cells
      .map((s, k) => {
        const w = widths[k]!;
        const v = CUT[keep[k]!.c.cut ?? 'end'](s, w);
        const padded = keep[k]!.c.align === 'right' ? v.padStart(w) : k === cells.length - 1 ? v : v.padEnd(w);
        return paint(padded, styles[k], o.color);
      })
      .join(GAP)
      .trimEnd();
  const out = [
    line(
      keep.map(({ c }) => header(c)),
      keep.map(() => 'bold' as const),
    ),
    '─'.repeat(Math.min(total, o.width)),
  ];
  for (const r of t.rows) {
    if (r.kind === 'total') out.push('─'.repeat(Math.min(total, o.width)));
    const rowStyle: Style | undefined = r.kind === 'sub' ? 'dim' : r.kind === 'total' ? 'bold' : undefined;
    out.push(
      line(
        keep.map(({ i }) => text(r.cells[i] ?? '')),
        keep.map(({ i }) => cellStyle(r.cells[i] ?? '') ?? rowStyle),
      ),
    );
  }
  const hidden = t.columns.filter((c) => !keep.some((k) => k.c === c)).map((c) => printable(c.header));
  if (hidden.length) out.push(...wrap(hiddenNote(hidden, o), o.width).map((l) => paint(l, 'dim', o.color)));
  // Last resort: nothing may pass the width, whatever the content.
  return out.map((l) => (visibleLength(l) > o.width ? cutVisible(l, o.width) : l));
}

const ANSI_RE = /\x1b\[[0-9;]*m/g;
export const visibleLength = (s: string) => len(s.replace(ANSI_RE, ''));

function cutVisible(s: string, w: number): string {
  const plain = s.replace(ANSI_RE, '');
  return cut(plain, w);
}

/** Word-wraps a note to the width (a word longer than the width is cut). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && len(line) + 1 + len(word) > width) {
      lines.push(line);
      line = '';
    }
    line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines.map((l) => cut(l, width));
}

export function renderDoc(doc: Doc, o: TermOpts): string {
  const out: string[] = [];
  for (const b of doc.blocks) {
    if (b.kind === 'heading') {
      if (out.length) out.push('');
      out.push(paint(cut(printable(b.text), o.width), 'bold', o.color));
    } else if (b.kind === 'note') out.push(...wrap(printable(b.text), o.width).map((l) => paint(l, b.style, o.color)));
    else out.push(...renderTable(b.table, o));
  }
  return `${out.join('\n')}\n`;
}
