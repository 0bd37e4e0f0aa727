// GET /: the live dashboard, one self-contained page (inline CSS and script, no external
// assets). The panel (quota gauges, cost, the current 5 h block, sessions, failures) is rendered
// here with ccx-report's HTML pieces and styles (lib/report), so the page and the report show the
// same figures the same way; the page's script only re-fetches the panel (GET /dashboard/panel)
// when the event stream says something changed, and lists the recommendations it receives.
import type { QuotaSnapshot } from '../contracts/quota';
import { dateTime, int } from '../format';
import type { PriceTable } from '../pricing';
import {
  blocksDoc,
  blocksHtml,
  blocksView,
  costCell,
  dayFacts,
  defaultArgs,
  esc,
  type Filters,
  failures,
  failuresBlock,
  quotaHtml,
  quotaViewOf,
  REPORT_CSS,
  sessionsDoc,
  sessionsViewOf,
  sumUsage,
} from '../report';
import type { Db } from '../store';
import { startOfDay, startOfWeek } from '../time';
import { blockSlots, burnChart } from './burn-chart';

export const RECENT_SESSIONS = 10;
export const RECENT_FAILURES = 10;
/** Sessions last seen and failures older than these are not "recent". */
const SESSIONS_SINCE_MS = 5 * 86_400_000;
const FAILURES_SINCE_MS = 7 * 86_400_000;

export type DashboardInput = { db: Db | null; prices: PriceTable; snap: QuotaSnapshot | null; now: number; tz: string };

const ALL: Filters = { profiles: [], project: null, model: null, from: null, to: null };

export function dashboardPanel(d: DashboardInput): string {
  const { now, tz } = d;
  const names = d.snap ? Object.keys(d.snap.profiles).sort() : [];
  const quota = d.snap ? quotaViewOf(d.snap, names, null, now) : null;
  const parts = [
    `<p class="dim" id="updated">Updated ${esc(dateTime(now, tz))} (${esc(tz)})</p>`,
    '<h2>Quota</h2>',
    quota ? quotaHtml(quota, now, tz) : '<p>No quota figures yet: the first consolidation pass is running.</p>',
  ];
  if (d.db) parts.push(...usageParts(d.db, d.prices, names, now, tz));
  return parts.join('\n');
}

function usageParts(db: Db, prices: PriceTable, names: string[], now: number, tz: string): string[] {
  const args = defaultArgs();
  const today = startOfDay(now, tz);
  const week = startOfWeek(now, args.startOfWeek, tz);
  // The week began at or before today: its facts hold today's too.
  const facts = dayFacts(db, prices, { ...ALL, from: week }, tz);
  const profiles = [...new Set([...names, ...facts.map((f) => f.profile)])].sort();
  const costRows = profiles.map((p) => {
    const mine = facts.filter((f) => f.profile === p);
    const t = sumUsage(mine.filter((f) => f.bucket >= today));
    const w = sumUsage(mine.filter((f) => f.bucket >= week));
    return { cells: [p, int(t.totalTokens), costCell(t), int(w.totalTokens), costCell(w)] };
  });
  const right = 'right' as const;
  const cost = blocksHtml([
    {
      kind: 'table',
      table: {
        columns: [
          { header: 'Profile', shrink: true },
          { header: 'Today', align: right },
          { header: 'Cost', align: right },
          { header: 'This week', align: right },
          { header: 'Cost', align: right },
        ],
        rows: costRows,
      },
    },
  ]);

  // ccx-report's blocks view, --active, over the last day of requests: enough to place the block
  // running now.
  const blocks = blocksView({
    db,
    prices,
    now,
    tz,
    args: { ...args, active: true },
    allProfiles: [],
    activeProfile: null,
    profileNames: [],
    filters: { ...ALL, from: now - 24 * 3_600_000 },
  });
  const charts = blocks.blocks
    .sort((a, b) => a.profile.localeCompare(b.profile))
    .map((b) => `<div class="chart"><h3>${esc(b.profile)}</h3>${burnChart(b, blockSlots(b), now, tz)}</div>`);
  const blockNotes = blocks.blocks.length ? blocksHtml(blocksDoc(blocks, { now, tz, args }).slice(1)) : '';

  const sessions = sessionsViewOf(db, prices, { ...ALL, from: now - SESSIONS_SINCE_MS }, (all) => all.reverse().slice(0, RECENT_SESSIONS));
  const recentFailures = failures(db, { ...ALL, from: now - FAILURES_SINCE_MS }, RECENT_FAILURES);
  return [
    `<h2>Cost (${esc(tz)})</h2>`,
    cost,
    '<h2>Current 5 h block</h2>',
    blocks.blocks.length ? `${charts.join('\n')}\n${blockNotes}` : '<p class="dim">No block running: no requests in the last 5 hours.</p>',
    '<h2>Recent sessions</h2>',
    sessions.sessions.length ? blocksHtml(sessionsDoc(sessions, { tz }).slice(1)) : '<p class="dim">None in the last 5 days.</p>',
    '<h2>Recent failures</h2>',
    blocksHtml([failuresBlock(recentFailures, { now, tz })]),
  ];
}

// Beyond the report's styles: the header line, the recommendations, and the burn chart's frame.
const CSS = `header{display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 16px}header h1{margin:0}
#live{font-size:13px}#recs{padding-left:18px;margin:8px 0}#recs li{margin:2px 0}
.chart-frame.burn{grid-template-rows:140px 1.8em}svg.burn-chart{display:block;width:100%;height:100%;border-bottom:1px solid #888}`;

// EventSource sends the cookie (same origin). A `usage` event or a recommendation re-fetches the
// panel, at most one fetch at a time (a second request while one runs is folded into a rerun);
// every 30 s as well, so reset countdowns move between events. Times are HH:MM in the server's zone.
const SCRIPT = `(()=>{const panel=document.getElementById('panel'),live=document.getElementById('live'),recs=document.getElementById('recs');
let busy=false,again=false;
const clock=(iso)=>{try{return new Date(iso).toLocaleTimeString('en-GB',{timeZone:document.body.dataset.tz,hour:'2-digit',minute:'2-digit'});}catch{return iso;}};
async function refresh(){if(busy){again=true;return;}busy=true;try{const r=await fetch('/dashboard/panel',{cache:'no-store'});if(r.ok)panel.innerHTML=await r.text();}catch{}busy=false;if(again){again=false;refresh();}}
const es=new EventSource('/api/recommendations/live');
es.onopen=()=>{live.textContent='● live';live.className='green';};
es.onerror=()=>{live.textContent='○ reconnecting…';live.className='yellow';};
es.addEventListener('usage',refresh);
es.addEventListener('recommendation',(m)=>{const e=JSON.parse(m.data);const li=document.createElement('li');
li.className=e.level==='warn'?'yellow':'red';li.dataset.profile=e.profile;li.dataset.level=e.level;
li.textContent=clock(e.timestamp)+' '+e.reason;recs.prepend(li);
while(recs.children.length>5)recs.lastChild.remove();refresh();});
setInterval(refresh,30000);})();`;

/** `tz`: the server's zone, in which the page shows the recommendations' times as the panel's. */
export function dashboardPage(panel: string, tz: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<link rel="icon" href="data:,"><title>ccx live</title><style>${REPORT_CSS}\n${CSS}</style></head>
<body data-tz="${esc(tz)}">
<header><h1>ccx live</h1><span id="live" class="dim">connecting…</span></header>
<ul id="recs" aria-live="polite"></ul>
<div id="panel">
${panel}
</div>
<script>${SCRIPT}</script>
</body></html>
`;
}
