// --html FILE: one self-contained page (inline CSS, SVG and a few lines of script, no network):
// quota gauges, a daily stacked token/cost chart per profile, and the view's own tables.

import { WINDOW_LABEL } from '../../contracts/quota';
import { BAND_COLOR, dateTime, pct, resetText } from '../../format';
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
  quota: QuotaView;
  blocks: DocBlock[];
};

const CSS = `body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ddd}h3{font-size:15px;margin:16px 0 4px}
table{border-collapse:collapse;margin:8px 0}th,td{padding:3px 10px;border-bottom:1px solid #eee;white-space:nowrap}
th{text-align:left;background:#f6f6f6}td.r,th.r{text-align:right}tr.sub td{color:#777}tr.total td{font-weight:bold;border-top:2px solid #ccc}
.red{color:#c62828}.yellow{color:#b26a00}.green{color:#2e7d32}.cyan{color:#00838f}.dim{color:#777}.bold{font-weight:bold}
svg text{font:11px system-ui,sans-serif;fill:#444}svg.daily-chart{width:100%;max-width:760px;height:auto}
.gauges{display:flex;flex-wrap:wrap;gap:8px 32px}.gauge-box{min-width:260px}#status{min-height:1.4em;color:#555}
g.day:hover rect.hit{fill:#0001}`;

// Hovering a bar shows its figures under the chart; the data is in the bar's attributes.
const SCRIPT = `for(const svg of document.querySelectorAll('svg.daily-chart')){const out=svg.parentElement.querySelector('.status');
for(const g of svg.querySelectorAll('g.day'))g.addEventListener('mouseenter',()=>{out.textContent=g.querySelector('title').textContent;});}`;

function tableHtml(t: Table): string {
  if (t.rows.length === 0) return '<p class="dim">(nothing in range)</p>';
  const head = t.columns.map((c) => `<th${c.align === 'right' ? ' class="r"' : ''}>${esc(c.header)}</th>`).join('');
  const rows = t.rows
    .map((r) => {
      const cells = t.columns
        .map((c, i) => {
          const cell = r.cells[i] ?? '';
          const cls = [c.align === 'right' ? 'r' : '', cellStyle(cell) ?? ''].filter(Boolean).join(' ');
          const body = isGauge(cell) ? `${gauge(cell.gauge, cell.text)}` : esc(cellText(cell));
          return `<td${cls ? ` class="${cls}"` : ''}>${body}</td>`;
        })
        .join('');
      return `<tr${r.kind && r.kind !== 'data' ? ` class="${r.kind}"` : ''}>${cells}</tr>`;
    })
    .join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table>`;
}

function blocksHtml(blocks: DocBlock[]): string {
  return blocks
    .map((b) => {
      if (b.kind === 'heading') return `<h3>${esc(b.text)}</h3>`;
      if (b.kind === 'note') return `<p${b.style ? ` class="${b.style}"` : ''}>${esc(b.text)}</p>`;
      return tableHtml(b.table);
    })
    .join('\n');
}

function quotaHtml(v: QuotaView, now: number, tz: string): string {
  if (!v.profiles.length) return '<p>No configured profiles.</p>';
  const next = useNextText(v.useNext);
  return v.profiles
    .map((q) => {
      const boxes = (['five_hour', 'weekly'] as const)
        .map((name) => {
          const w = q.windows[name];
          if (!w) return '';
          const src = sourceText(w, tz);
          const used = w.unit === 'percent' || w.cap === null ? pct(w.pct) : `${pct(w.pct)} (${w.used}/${w.cap} ${w.unit})`;
          return `<div class="gauge-box"><div>${WINDOW_LABEL[name].long}: ${esc(used)}</div>${gauge(w.pct, pct(w.pct))}<div class="dim">resets ${esc(resetText(w.resets_at, now, tz))} · ${esc(src)}</div></div>`;
        })
        .join('');
      return `<h3>${esc(q.profile)} <span class="${BAND_COLOR[q.band]}">[${q.band}]</span></h3><div class="gauges">${boxes}</div>`;
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
<h2>Quota</h2>
${quotaHtml(input.quota, input.now, input.tz)}
<h2>Daily tokens and cost (${esc(range)})</h2>
${charts || '<p>No usage in range.</p>'}
<h2>Report</h2>
${blocksHtml(input.blocks)}
<script>${SCRIPT}</script>
</body></html>
`;
}
