// --html FILE: one self-contained page (inline CSS, SVG and a few lines of script, no network):
// quota gauges (unless the view's own document shows the quota), a daily stacked token/cost
// chart per profile, and the view's own tables.

import { type Band, WINDOW_LABEL } from '../../contracts/quota';
import { BAND_COLOR, dateTime, pct, resetText } from '../../format';
import type { AgentOf } from '../agents';
import type { Usage } from '../usage';
import type { QuotaView } from '../views/quota';
import { cellStyle, cellText, type DocBlock, isGauge, type Table } from './doc';
import { sourceText, useNextText } from './sections';
import { type DayPoint, dailyChart, esc, gauge } from './svg';

export type HtmlInput = {
  title: string;
  tz: string;
  now: number;
  /** Every day of the chart range, in order. */
  days: string[];
  /** profile → date → usage */
  daily: Map<string, Map<string, Usage>>;
  /** null: the view's blocks show the quota themselves (summary, quota), so the page does not. */
  quota: QuotaView | null;
  agentOf?: AgentOf;
  blocks: DocBlock[];
};

// Text colours reach 4.5:1 on white (WCAG AA). A table wider than the page scrolls inside its
// own box; before that, columns that may shrink in the terminal wrap here.
export const CSS = `body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}
@media(max-width:600px){body{margin:12px}.x-axis span.odd{display:none}}
h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ddd}h3{font-size:15px;margin:16px 0 4px}
.table-wrap{max-width:100%;overflow-x:auto;margin:8px 0}table{border-collapse:collapse}
th,td{padding:3px 10px;border-bottom:1px solid #eee;white-space:nowrap;vertical-align:top}td.wrap{white-space:normal}.w{white-space:nowrap}
th{text-align:left;background:#f6f6f6}td.r,th.r{text-align:right}tr.sub td{color:#666}tr.total td{font-weight:bold;border-top:2px solid #ccc}
.red{color:#c62828}.yellow{color:#9a5b00}.green{color:#2e7d32}.cyan{color:#006f7a}.dim{color:#666}.bold{font-weight:bold}.hard{outline:1.5px solid;outline-offset:1px;border-radius:2px}
.gauge-cell{display:inline-flex;align-items:center;gap:8px}.gauges{display:flex;flex-wrap:wrap;gap:8px 32px}.gauge-box{width:380px;max-width:100%}
.chart-frame{display:grid;grid-template-columns:auto minmax(0,1fr) auto;grid-template-rows:180px 1.8em;column-gap:6px;max-width:760px}
svg.daily-chart{display:block;width:100%;height:100%;border-bottom:1px solid #888}g.day:hover rect.hit{fill:#0001}
.y-axis{display:flex;flex-direction:column;justify-content:space-between;text-align:right;font-size:12px;color:#444;line-height:1}
.y-axis.cost{text-align:left}.x-axis{grid-column:2;position:relative;font-size:12px;color:#444}
.x-axis span{position:absolute;top:3px;transform:translateX(-50%);white-space:nowrap}
.legend{display:flex;flex-wrap:wrap;gap:2px 14px;font-size:12px;color:#444;max-width:760px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px}
.status{min-height:1.4em;color:#555}`;

// Hovering a bar shows its figures under the chart; the data is in the bar's attributes.
const SCRIPT = `for(const svg of document.querySelectorAll('svg.daily-chart')){const out=svg.closest('.chart').querySelector('.status');
for(const g of svg.querySelectorAll('g.day'))g.addEventListener('mouseenter',()=>{out.textContent=g.querySelector('title').textContent;});}`;

/**
 * A cell that may shrink (a list of models, a reset time) wraps at its spaces only, never inside
 * a name, path or date at a hyphen; one without spaces stays on one line.
 */
const wrapHtml = (text: string) =>
  text
    .split(' ')
    .map((word) => `<span class="w">${esc(word)}</span>`)
    .join(' ');

function tableHtml(t: Table): string {
  if (t.rows.length === 0) return '<p class="dim">(nothing in range)</p>';
  const head = t.columns.map((c) => `<th${c.align === 'right' ? ' class="r"' : ''}>${esc(c.header)}</th>`).join('');
  const rows = t.rows
    .map((r) => {
      const cells = t.columns
        .map((c, i) => {
          const cell = r.cells[i] ?? '';
          const text = cellText(cell);
          const wraps = c.shrink === true && !isGauge(cell) && text.includes(' ');
          const cls = [c.align === 'right' ? 'r' : '', wraps ? 'wrap' : '', cellStyle(cell) ?? ''].filter(Boolean).join(' ');
          const body = isGauge(cell)
            ? `<span class="gauge-cell">${gauge(cell.gauge, 100)}${esc(text)}</span>`
            : wraps
              ? wrapHtml(text)
              : esc(text);
          return `<td${cls ? ` class="${cls}"` : ''}>${body}</td>`;
        })
        .join('');
      return `<tr${r.kind && r.kind !== 'data' ? ` class="${r.kind}"` : ''}>${cells}</tr>`;
    })
    .join('\n');
  return `<div class="table-wrap"><table><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table></div>`;
}

export function blocksHtml(blocks: DocBlock[]): string {
  return blocks
    .map((b) => {
      if (b.kind === 'heading') return `<h3>${esc(b.text)}</h3>`;
      if (b.kind === 'note') return `<p${b.style ? ` class="${b.style}"` : ''}>${esc(b.text)}</p>`;
      return tableHtml(b.table);
    })
    .join('\n');
}

/** The band's colour (lib/format); hard, red like soft, is outlined in it as well (the status line makes it bold). */
const bandClass = (band: Band) => (band === 'hard' ? `${BAND_COLOR[band]} hard` : BAND_COLOR[band]);

export function quotaHtml(v: QuotaView, now: number, tz: string, agentOf?: AgentOf): string {
  if (!v.profiles.length) return '<p>No configured profiles.</p>';
  const next = useNextText(v.useNext, agentOf);
  return v.profiles
    .map((q) => {
      const boxes = (['five_hour', 'weekly'] as const)
        .map((name) => {
          const w = q.windows[name];
          if (!w) return '';
          const src = sourceText(w, tz);
          const used = w.unit === 'percent' || w.cap === null ? pct(w.pct) : `${pct(w.pct)} (${w.used}/${w.cap} ${w.unit})`;
          return `<div class="gauge-box"><div>${WINDOW_LABEL[name].long}: ${esc(used)}</div>${gauge(w.pct, 240)}<div class="dim">resets ${esc(resetText(w.resets_at, now, tz))} · ${esc(src)}</div></div>`;
        })
        .join('');
      return `<h3>${esc(q.profile)} <span class="${bandClass(q.band)}">[${q.band}]</span></h3><div class="gauges">${boxes}</div>`;
    })
    .concat(next ? [`<p class="use-next">${esc(next)}</p>`] : [])
    .join('\n');
}

export function renderHtml(input: HtmlInput): string {
  const charts = [...input.daily.keys()]
    .sort()
    .map((profile) => {
      const byDate = input.daily.get(profile)!;
      const days: DayPoint[] = input.days.map((date) => ({ date, usage: byDate.get(date) ?? null }));
      return `<div class="chart"><h3>${esc(profile)}</h3>${dailyChart(profile, days)}<div class="status"></div></div>`;
    })
    .join('\n');
  const range = input.days.length ? `${input.days[0]} – ${input.days[input.days.length - 1]}` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<link rel="icon" href="data:,"><title>${esc(input.title)}</title><style>${CSS}</style></head>
<body>
<h1>${esc(input.title)}</h1>
<p class="dim">Generated ${esc(dateTime(input.now, input.tz))} (${esc(input.tz)})</p>
${input.quota ? `<h2>Quota</h2>\n${quotaHtml(input.quota, input.now, input.tz, input.agentOf)}\n` : ''}<h2>Daily tokens and cost (${esc(range)})</h2>
${charts || '<p>No usage in range.</p>'}
<h2>Report</h2>
${blocksHtml(input.blocks)}
<script>${SCRIPT}</script>
</body></html>
`;
}
