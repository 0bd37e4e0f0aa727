// Terminal rendering: tables that fit the width (compact layout under 100 columns, then dropping
// optional columns before a shrinkable one reads badly, then cutting shrinkable columns and wrapping
// model lists, then cutting lines), ANSI colour only when the caller allows it.
import { ANSI_FG, printable } from '../../format';
import { type Cell, type Column, cellStyle, cellText, type Doc, isGauge, type Style, type Table } from './doc';

export const COMPACT_BELOW = 100;
const GAP = '  ';
const GAUGE_WIDTH = 20;
const GAUGE_WIDTH_COMPACT = 10;
const MIN_SHRUNK = 8;
/** A model list keeps room for one shortened name (`3-5-sonnet`), and wraps rather than cut a longer one up to this. */
const MIN_LIST = 12;
const MAX_LIST_FLOOR = 24;
/**
 * Below these, a shrinking column says too little: optional columns (Cache write, …) go first.
 * A path keeps its last two or three parts; a list, its longest name whole (it wraps).
 */
const COMFORT = { start: 24, end: 12 } as const;

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
/** Model names without what every one shares: `claude-` and the release date (`claude-sonnet-4-5-20250929` → `sonnet-4-5`). */
export const shortModels = (s: string) => s.replace(/\bclaude-/g, '').replace(/-\d{8}\b/g, '');
const listItems = (s: string) => shortModels(s).split(', ');
/**
 * A model list in `w` columns: whole, else shortened names, wrapped onto more lines after a comma
 * rather than cut (a name longer than the column itself is the one thing cut).
 */
function wrapList(full: string, w: number, short: boolean): string[] {
  if (!short && len(full) <= w) return [full];
  const items = listItems(full);
  const lines: string[] = [];
  let line = '';
  items.forEach((item, k) => {
    const piece = k < items.length - 1 ? `${item},` : item;
    if (line && len(line) + 1 + len(piece) > w) {
      lines.push(line);
      line = piece;
    } else line = line ? `${line} ${piece}` : piece;
  });
  lines.push(line);
  return lines.map((l) => cut(l, w));
}

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
  type Kept = { c: Column; i: number };
  const cells = (k: Kept) => t.rows.map((r) => text(r.cells[k.i] ?? ''));
  const natural = (k: Kept) => Math.max(len(header(k.c)), ...cells(k).map(len));
  const sum = (ws: number[]) => ws.reduce((a, b) => a + b, 0) + GAP.length * Math.max(0, ws.length - 1);
  // A list's floor: its longest shortened name (it wraps the rest), within bounds.
  const listFloor = (k: Kept) =>
    Math.max(
      MIN_LIST,
      Math.min(
        MAX_LIST_FLOOR,
        Math.max(
          ...cells(k)
            .flatMap(listItems)
            .map((item) => len(item) + 1),
        ),
      ),
    );
  const floor = (k: Kept) => {
    if (!k.c.shrink) return natural(k);
    return Math.min(natural(k), k.c.cut === 'list' ? listFloor(k) : MIN_SHRUNK);
  };
  const comfort = (k: Kept) => (k.c.shrink && k.c.cut !== 'list' ? Math.min(natural(k), COMFORT[k.c.cut ?? 'end']) : floor(k));
  // Drop the least important columns first (Cost and the labels have no rank): the wide ones
  // (Cache write, Cache read) while a shrinkable column would have to go below what still reads
  // well, then any ranked one while it would have to go below its floor.
  const dropFor = (need: (k: Kept) => number, droppable: (c: Column) => boolean) => {
    while (sum(keep.map(need)) > o.width) {
      let j = -1;
      keep.forEach(({ c }, k) => {
        if (c.drop !== undefined && droppable(c) && (j < 0 || c.drop < keep[j]!.c.drop!)) j = k;
      });
      if (j < 0) return;
      keep.splice(j, 1);
    }
  };
  dropFor(comfort, (c) => c.wide === true);
  dropFor(floor, () => true);
  const naturals = keep.map(natural);
  const widths = [...naturals];
  // Too wide: cut the shrinkable columns, widest first, down to a floor; on a very narrow
  // terminal a list then goes below its longest name rather than the line losing Cost.
  let total = sum(widths);
  const shrinkTo = (floors: number[]) => {
    while (total > o.width) {
      let j = -1;
      keep.forEach(({ c }, k) => {
        if (c.shrink && widths[k]! > floors[k]! && (j < 0 || widths[k]! > widths[j]!)) j = k;
      });
      if (j < 0) return;
      widths[j]!--;
      total--;
    }
  };
  shrinkTo(keep.map(floor));
  shrinkTo(keep.map((k) => Math.min(floor(k), MIN_LIST)));
  // One row may take several lines: a model list wraps.
  const lines = (texts: string[], styles: (Style | undefined)[]): string[] => {
    const parts = texts.map((s, k) => {
      const w = widths[k]!;
      const how = keep[k]!.c.cut ?? 'end';
      if (how === 'list') return wrapList(s, w, w < naturals[k]!);
      // A cell that does not fit first loses what model names share (a breakdown's `└ model`).
      return [how === 'start' ? cutStart(s, w) : cut(len(s) <= w ? s : shortModels(s), w)];
    });
    const height = Math.max(...parts.map((p) => p.length));
    return Array.from({ length: height }, (_, l) =>
      parts
        .map((p, k) => {
          const w = widths[k]!;
          const v = p[l] ?? '';
          const padded = keep[k]!.c.align === 'right' ? v.padStart(w) : k === parts.length - 1 ? v : v.padEnd(w);
          return paint(padded, styles[k], o.color);
        })
        .join(GAP)
        .trimEnd(),
    );
  };
  const out = [
    ...lines(
      keep.map(({ c }) => header(c)),
      keep.map(() => 'bold' as const),
    ),
    '─'.repeat(Math.min(total, o.width)),
  ];
  for (const r of t.rows) {
    if (r.kind === 'total') out.push('─'.repeat(Math.min(total, o.width)));
    const rowStyle: Style | undefined = r.kind === 'sub' ? 'dim' : r.kind === 'total' ? 'bold' : undefined;
    out.push(
      ...lines(
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
