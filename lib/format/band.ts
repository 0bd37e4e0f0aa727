// The one band → colour rule, for the terminal and for HTML. A percentage gets its colour through
// its band (bandOf, on BAND_FLOORS), so no threshold is written twice.
import { type Band, bandOf } from '../contracts/quota';

export type BandColor = 'green' | 'yellow' | 'red';

export const BAND_COLOR: Record<Band, BandColor> = { ok: 'green', warn: 'yellow', soft: 'red', hard: 'red' };

/** The colour of a used percentage: its band's. */
export const pctColor = (pct: number): BandColor => BAND_COLOR[bandOf(pct)];

/** SGR foreground codes: `\x1b[${ANSI_FG[c]}m`. */
export const ANSI_FG: Record<BandColor, number> = { green: 32, yellow: 33, red: 31 };

/** Fills for HTML and SVG (gauges). */
export const HTML_FILL: Record<BandColor, string> = { green: '#2ca02c', yellow: '#ff9800', red: '#d62728' };
