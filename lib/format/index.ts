// lib/format: how figures, times and bands are shown, for every output (see README.md).
export { ANSI_FG, BAND_COLOR, type BandColor, HTML_FILL, pctColor } from './band';
export { usd, usdPlain } from './money';
export { bytes, compactNumber, int, megabytes } from './number';
export { pct, pctSpaced } from './percent';
export { sourceLabel } from './source';
export { printable } from './text';
export { clockTime, dateTime, durationToMinute, durationToSecond, resetClock, resetText } from './time';
