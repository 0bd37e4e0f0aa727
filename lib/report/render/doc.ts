// The neutral document every view is turned into (sections.ts) and that both the terminal
// (table.ts) and the HTML page (html.ts) render: headings, tables, notes. Data stays in views.
export type Style = 'bold' | 'dim' | 'red' | 'yellow' | 'green' | 'cyan';

/** A quota gauge: a bar in the terminal, an SVG gauge in HTML. pct null = nothing measured. */
export type Gauge = { gauge: number | null; text: string; style?: Style };
export type Cell = string | { text: string; style?: Style } | Gauge;

export type Column = {
  header: string;
  align?: 'left' | 'right';
  /** Dropped in the compact layout (terminals under 100 columns). */
  wide?: boolean;
  /** May be cut with an ellipsis when the table is still too wide. */
  shrink?: boolean;
  /** How a shrunk cell is cut: 'end' (default), 'start' for paths (keeps the tail), 'list' keeps whole comma-separated items, wrapping them onto more lines. */
  cut?: 'end' | 'start' | 'list';
  /** Dropped when the table still does not fit after shrinking; lower goes first. Cost and labels have none. */
  drop?: number;
  /** A money column: left out on --no-cost. */
  cost?: true;
};

export type Row = { cells: Cell[]; kind?: 'data' | 'sub' | 'total' };
export type Table = { columns: Column[]; rows: Row[] };

export type DocBlock = { kind: 'heading'; text: string } | { kind: 'table'; table: Table } | { kind: 'note'; text: string; style?: Style };

export type Doc = { title: string; blocks: DocBlock[] };

export const cellText = (c: Cell): string => (typeof c === 'string' ? c : c.text);
export const cellStyle = (c: Cell): Style | undefined => (typeof c === 'string' ? undefined : c.style);
export const isGauge = (c: Cell): c is Gauge => typeof c === 'object' && 'gauge' in c;

/** The document without its money columns (--no-cost), for the terminal and HTML alike. */
export function withoutCost(blocks: DocBlock[]): DocBlock[] {
  return blocks.map((b) => {
    if (b.kind !== 'table') return b;
    const keep = b.table.columns.map((c, i) => (c.cost ? -1 : i)).filter((i) => i >= 0);
    const columns = keep.map((i) => b.table.columns[i]!);
    const rows = b.table.rows.map((r) => ({ ...r, cells: keep.map((i) => r.cells[i] ?? '') }));
    return { kind: 'table', table: { columns, rows } };
  });
}
