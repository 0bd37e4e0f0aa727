// The HTML report's charts and gauges: pure string builders; every text goes through esc().
// A chart's bars and cost line are an SVG stretched to its box; its texts (axes, legend) are HTML
// around it, so they keep their CSS size at any page width instead of shrinking with the SVG.

import { bandOf } from '../../contracts/quota';
import { compactNumber, HTML_FILL, int, pctColor, usd } from '../../format';
import type { Usage } from '../usage';

export const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const SERIES = [
  { key: 'cacheReadTokens', label: 'cache read', color: '#9ecae1' },
  { key: 'cacheCreationTokens', label: 'cache write', color: '#6baed6' },
  { key: 'inputTokens', label: 'input', color: '#3182bd' },
  { key: 'outputTokens', label: 'output', color: '#e6550d' },
] as const;
export const COST_COLOR = '#31a354';
/**
 * At most this many day labels (every third day on a month): more would overlap on a long range.
 * On a narrow page (CSS) every other one of them is hidden.
 */
const MAX_LABELS = 10;

export type DayPoint = { date: string; usage: Usage | null };

/**
 * A chart frame: the token axis, one <g class="day"> per day (stacked token rects, hover title)
 * with a cost line on the right axis, the day labels and the legend. The SVG's user space is one
 * unit per day wide and 100 units high.
 */
export function dailyChart(profile: string, days: DayPoint[]): string {
  const n = Math.max(1, days.length);
  const maxTokens = Math.max(1, ...days.map((d) => d.usage?.totalTokens ?? 0));
  const maxCost = Math.max(0.01, ...days.map((d) => d.usage?.totalCost ?? 0));
  const y = (v: number) => 100 - (v / maxTokens) * 100;
  const num = (v: number) => Number(v.toFixed(3));
  const parts = days.map((d, i) => {
    const u = d.usage;
    const tip = u ? `${d.date}: ${int(u.totalTokens)} tokens, ${usd(u.totalCost)}` : `${d.date}: no usage`;
    const rects = stackedBar(u, i, y);
    return (
      `<g class="day" data-date="${d.date}" data-tokens="${u?.totalTokens ?? 0}" data-cost="${(u?.totalCost ?? 0).toFixed(6)}"><title>${esc(tip)}</title>` +
      `<rect class="hit" x="${i}" y="0" width="1" height="100" fill="transparent"/>${rects}</g>`
    );
  });
  const costPts = days.map((d, i) => `${i + 0.5},${num(100 - ((d.usage?.totalCost ?? 0) / maxCost) * 100)}`).join(' ');
  const svg =
    `<svg class="daily-chart" data-profile="${esc(profile)}" data-days="${days.length}" viewBox="0 0 ${n} 100" preserveAspectRatio="none" role="img" aria-label="${esc(`daily tokens and cost, ${profile}`)}" xmlns="http://www.w3.org/2000/svg">` +
    `${parts.join('')}<polyline class="cost" points="${costPts}" fill="none" stroke="${COST_COLOR}" stroke-width="2" vector-effect="non-scaling-stroke"/></svg>`;
  const every = Math.max(3, Math.ceil(n / MAX_LABELS));
  const xLabels = days
    .map((d, i) =>
      i % every === 0
        ? `<span class="${(i / every) % 2 ? 'odd' : 'even'}" style="left:${num(((i + 0.5) / n) * 100)}%">${d.date.slice(5)}</span>`
        : '',
    )
    .join('');
  return (
    `<div class="chart-frame"><div class="y-axis"><span>${compactNumber(maxTokens)}</span><span>${compactNumber(0)}</span></div>${svg}` +
    `<div class="y-axis cost"><span>${usd(maxCost)}</span><span>${usd(0)}</span></div><div class="x-axis">${xLabels}</div></div>` +
    chartLegend('cost')
  );
}

/** The series' colours and the cost line's, under a chart. */
export function chartLegend(costLabel: string): string {
  const items = [...SERIES.map((s) => [s.label, s.color] as const), [costLabel, COST_COLOR] as const]
    .map(([label, color]) => `<span><i style="background:${color}"></i>${esc(label)}</span>`)
    .join('');
  return `<div class="legend">${items}</div>`;
}

/** Slot `i`'s bar (one unit wide): the usage's series stacked, `y` mapping tokens to the 0..100 user space. */
export function stackedBar(u: Usage | null, i: number, y: (tokens: number) => number): string {
  const num = (v: number) => Number(v.toFixed(3));
  let acc = 0;
  return SERIES.map((s) => {
    const v = u ? u[s.key] : 0;
    if (v <= 0) return '';
    const r = `<rect x="${i + 0.1}" y="${num(y(acc + v))}" width="0.8" height="${num(y(acc) - y(acc + v))}" fill="${s.color}"/>`;
    acc += v;
    return r;
  }).join('');
}

/**
 * A horizontal gauge bar in its band's colour (no text: the caller writes the figure beside it,
 * in page colours). Hard (at or over the cap) is striped, so it never looks like soft's red.
 */
export function gauge(pct: number | null, width: number): string {
  const H = 14;
  const p = pct === null ? 0 : Math.max(0, Math.min(100, pct));
  const color = pct === null ? '#bbb' : HTML_FILL[pctColor(pct)];
  const fill = (width * p) / 100;
  let stripes = '';
  if (pct !== null && bandOf(pct) === 'hard') {
    const d: string[] = [];
    for (let x = 0; x + H <= fill; x += 8) d.push(`M${x} ${H}L${x + H} 0`);
    stripes = `<path d="${d.join('')}" stroke="#fff" stroke-opacity="0.6" stroke-width="3"/>`;
  }
  return (
    `<svg class="gauge" data-pct="${pct === null ? '' : pct.toFixed(1)}" viewBox="0 0 ${width} ${H}" width="${width}" height="${H}" aria-hidden="true" xmlns="http://www.w3.org/2000/svg">` +
    `<rect width="${width}" height="${H}" rx="3" fill="#e4e4e4"/><rect width="${fill.toFixed(1)}" height="${H}" rx="3" fill="${color}"/>${stripes}</svg>`
  );
}
