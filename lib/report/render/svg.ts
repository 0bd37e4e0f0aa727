// Inline SVG pieces for the HTML report: a stacked daily token chart with a cost line, and a
// quota gauge. Pure string builders; every text goes through esc().

import { HTML_FILL, int, pctColor, usd } from '../../format';
import type { Usage } from '../usage';

export const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const SERIES = [
  { key: 'cacheReadTokens', label: 'cache read', color: '#9ecae1' },
  { key: 'cacheCreationTokens', label: 'cache write', color: '#6baed6' },
  { key: 'inputTokens', label: 'input', color: '#3182bd' },
  { key: 'outputTokens', label: 'output', color: '#e6550d' },
] as const;
const COST_COLOR = '#31a354';

export type DayPoint = { date: string; usage: Usage | null };

/** One <g class="day"> per day, stacked token rects, and a cost polyline on the right axis. */
export function dailyChart(profile: string, days: DayPoint[]): string {
  const W = 760;
  const H = 220;
  const pad = { l: 70, r: 60, t: 10, b: 40 };
  const pw = W - pad.l - pad.r;
  const ph = H - pad.t - pad.b;
  const maxTokens = Math.max(1, ...days.map((d) => d.usage?.totalTokens ?? 0));
  const maxCost = Math.max(0.01, ...days.map((d) => d.usage?.totalCost ?? 0));
  const bw = pw / Math.max(1, days.length);
  const y = (v: number) => pad.t + ph - (v / maxTokens) * ph;
  const parts: string[] = [];
  const costPts: string[] = [];
  days.forEach((d, i) => {
    const x = pad.l + i * bw;
    const u = d.usage;
    const tip = u ? `${d.date}: ${int(u.totalTokens)} tokens, ${usd(u.totalCost)}` : `${d.date}: no usage`;
    let acc = 0;
    const rects = SERIES.map((s) => {
      const v = u ? u[s.key] : 0;
      if (v <= 0) return '';
      const r = `<rect x="${(x + bw * 0.1).toFixed(2)}" y="${y(acc + v).toFixed(2)}" width="${(bw * 0.8).toFixed(2)}" height="${(y(acc) - y(acc + v)).toFixed(2)}" fill="${s.color}"/>`;
      acc += v;
      return r;
    }).join('');
    parts.push(
      `<g class="day" data-date="${d.date}" data-tokens="${u?.totalTokens ?? 0}" data-cost="${(u?.totalCost ?? 0).toFixed(6)}"><title>${esc(tip)}</title>` +
        `<rect class="hit" x="${x.toFixed(2)}" y="${pad.t}" width="${bw.toFixed(2)}" height="${ph}" fill="transparent"/>${rects}</g>`,
    );
    costPts.push(`${(x + bw / 2).toFixed(2)},${(pad.t + ph - ((u?.totalCost ?? 0) / maxCost) * ph).toFixed(2)}`);
  });
  const labelEvery = Math.max(1, Math.ceil(days.length / 10));
  const xLabels = days
    .map((d, i) =>
      i % labelEvery === 0
        ? `<text x="${(pad.l + (i + 0.5) * bw).toFixed(2)}" y="${H - pad.b + 16}" text-anchor="middle">${d.date.slice(5)}</text>`
        : '',
    )
    .join('');
  const axes =
    `<line x1="${pad.l}" y1="${pad.t + ph}" x2="${W - pad.r}" y2="${pad.t + ph}" stroke="#888"/>` +
    `<text x="${pad.l - 6}" y="${pad.t + 10}" text-anchor="end">${int(maxTokens)}</text><text x="${pad.l - 6}" y="${pad.t + ph}" text-anchor="end">0</text>` +
    `<text x="${W - pad.r + 6}" y="${pad.t + 10}" fill="${COST_COLOR}">${usd(maxCost)}</text>`;
  const legend = [...SERIES.map((s) => [s.label, s.color] as const), ['cost', COST_COLOR] as const]
    .map(
      ([label, color], i) =>
        `<rect x="${pad.l + i * 110}" y="${H - 14}" width="10" height="10" fill="${color}"/><text x="${pad.l + i * 110 + 14}" y="${H - 5}">${label}</text>`,
    )
    .join('');
  return (
    `<svg class="daily-chart" data-profile="${esc(profile)}" data-days="${days.length}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(`daily tokens and cost, ${profile}`)}" xmlns="http://www.w3.org/2000/svg">` +
    `${axes}${parts.join('')}<polyline class="cost" points="${costPts.join(' ')}" fill="none" stroke="${COST_COLOR}" stroke-width="2"/>${xLabels}${legend}</svg>`
  );
}

/** A horizontal gauge: filled share, band colour, the percentage in the middle. */
export function gauge(pct: number | null, label: string): string {
  const W = 240;
  const H = 22;
  const p = pct === null ? 0 : Math.max(0, Math.min(100, pct));
  const color = pct === null ? '#bbb' : HTML_FILL[pctColor(pct)];
  return (
    `<svg class="gauge" data-pct="${pct === null ? '' : pct.toFixed(1)}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" xmlns="http://www.w3.org/2000/svg">` +
    `<rect width="${W}" height="${H}" rx="4" fill="#eee"/><rect width="${((W * p) / 100).toFixed(1)}" height="${H}" rx="4" fill="${color}"/>` +
    `<text x="${W / 2}" y="15" text-anchor="middle">${esc(label)}</text></svg>`
  );
}
