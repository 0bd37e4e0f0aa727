// The dashboard's burn-rate chart of a profile's current 5-hour block: tokens per 15 minutes as
// stacked bars (the HTML report's series and colours), the cost so far as a line, and the burn
// rate's projection to the block's end dashed. Texts are HTML around a stretched SVG, as in the
// report's daily chart (same CSS classes), so they keep their size at any width.
import { clockTime, compactNumber, usd } from '../format';
import { type Block, COST_COLOR, chartLegend, esc, stackedBar, sumUsage, type Usage, type UsageEntry } from '../report';

const SLOT_MS = 15 * 60_000;

/** `slots[i]`: the usage of the block's i-th quarter hour (null when none); `block.burn` must be set. */
export function burnChart(block: Block, slots: (Usage | null)[], now: number, tz: string): string {
  const n = slots.length;
  const maxTokens = Math.max(1, ...slots.map((u) => u?.totalTokens ?? 0));
  const projected = block.burn?.projectedCost ?? block.usage.totalCost;
  const maxCost = Math.max(0.01, projected, block.usage.totalCost);
  const num = (v: number) => Number(v.toFixed(3));
  const y = (v: number) => 100 - (v / maxTokens) * 100;
  const bars = slots
    .map((u, i) => {
      if (!u) return '';
      const rects = stackedBar(u, i, y);
      return `<g class="slot" data-tokens="${u.totalTokens}"><title>${esc(`${clockTime(block.start + i * SLOT_MS, tz)}: ${compactNumber(u.totalTokens)} tokens, ${usd(u.totalCost)}`)}</title>${rects}</g>`;
    })
    .join('');
  const costY = (c: number) => num(100 - (c / maxCost) * 100);
  // The cost so far, slot by slot up to now; from there the projection takes over.
  const nowX = Math.min(n, (now - block.start) / SLOT_MS);
  let cum = 0;
  const costPts = ['0,100'];
  for (let i = 0; i < n && i < nowX; i++) {
    cum += slots[i]?.totalCost ?? 0;
    costPts.push(`${num(Math.min(i + 1, nowX))},${costY(cum)}`);
  }
  const svg =
    `<svg class="burn-chart" data-profile="${esc(block.profile)}" viewBox="0 0 ${n} 100" preserveAspectRatio="none" role="img" aria-label="${esc(`current 5 h block, ${block.profile}`)}" xmlns="http://www.w3.org/2000/svg">` +
    `<rect x="${num(nowX)}" y="0" width="${num(n - nowX)}" height="100" fill="#f4f4f4"/>${bars}` +
    `<polyline points="${costPts.join(' ')}" fill="none" stroke="${COST_COLOR}" stroke-width="2" vector-effect="non-scaling-stroke"/>` +
    `<line x1="${num(nowX)}" y1="${costY(block.usage.totalCost)}" x2="${n}" y2="${costY(projected)}" stroke="${COST_COLOR}" stroke-width="2" stroke-dasharray="4 3" vector-effect="non-scaling-stroke"/></svg>`;
  const hours = Array.from(
    { length: 6 },
    (_, h) => `<span style="left:${num(((h * 4) / n) * 100)}%">${clockTime(block.start + h * 4 * SLOT_MS, tz)}</span>`,
  ).join('');
  return (
    `<div class="chart-frame burn"><div class="y-axis"><span>${compactNumber(maxTokens)}</span><span>0</span></div>${svg}` +
    `<div class="y-axis cost"><span>${usd(maxCost)}</span><span>${usd(0)}</span></div><div class="x-axis">${hours}</div></div>` +
    chartLegend('cost (dashed: projected)')
  );
}

/** The block's requests in quarter-hour slots, from its start to its end. */
export function blockSlots(block: Block): (Usage | null)[] {
  const slots: UsageEntry[][] = Array.from({ length: Math.ceil((block.end - block.start) / SLOT_MS) }, () => []);
  for (const e of block.entries) {
    const i = Math.floor((e.ts - block.start) / SLOT_MS);
    if (i >= 0 && i < slots.length) slots[i]!.push(e);
  }
  return slots.map((g) => (g.length ? sumUsage(g) : null));
}
