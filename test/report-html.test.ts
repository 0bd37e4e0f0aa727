// --html: a self-contained page (no network), a daily chart per profile with one bar per day in
// range, quota gauges, the view's tables; and the same page loaded in headless Chromium.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { HTML_FILL } from '../lib/format';
import { dailyChart, esc, gauge } from '../lib/report/render/svg';
import { TZ } from './fixtures/report/fixture';
import { cli, inProcess, type ReportSandbox, reportSandbox } from './fixtures/report/harness';
import { chromium, headlessArgs } from './helpers/chromium';

let sb: ReportSandbox;
let page: string;
let file: string;
/** 2025-10-20 .. 2025-11-05 inclusive. */
const DAYS = 17;

before(async () => {
  sb = reportSandbox();
  file = join(sb.root, 'report.html');
  const r = await cli(sb, [
    'daily',
    '--no-consolidate',
    '--timezone',
    TZ,
    '--since',
    '2025-10-20',
    '--until',
    '2025-11-05',
    '--html',
    file,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '', '--html alone prints nothing on stdout');
  page = readFileSync(file, 'utf8');
});
after(() => sb.cleanup());

const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;

test('one chart per profile, one bar per day in range, figures from the data', () => {
  const charts = [...page.matchAll(/<svg class="daily-chart" data-profile="([^"]+)" data-days="(\d+)"/g)].map((m) => [m[1], Number(m[2])]);
  assert.deepEqual(charts, [
    ['home', DAYS],
    ['work', DAYS],
  ]);
  assert.equal(count(page, /<g class="day" /g), 2 * DAYS);
  // 2025-11-02 in New York (25 h long): work 18,000 tokens, $0.057.
  assert.match(page, /<g class="day" data-date="2025-11-02" data-tokens="18000" data-cost="0\.057000">/);
  assert.match(page, /<g class="day" data-date="2025-10-21" data-tokens="0" data-cost="0\.000000">/);
});

test('self-contained: nothing to fetch', () => {
  assert.doesNotMatch(page, /\bsrc=/);
  assert.doesNotMatch(page, /url\(/);
  for (const m of page.matchAll(/href="([^"]*)"/g)) assert.ok(m[1]!.startsWith('data:'), m[1]);
  const urls = [...page.matchAll(/https?:\/\/[^"'\s)]+/g)].map((m) => m[0]);
  assert.deepEqual([...new Set(urls)], ['http://www.w3.org/2000/svg'], 'only the SVG namespace');
});

test("quota gauges (at the fixture's NOW) and the view tables are there", async () => {
  const out = join(sb.root, 'quota.html');
  assert.equal((await inProcess(sb, ['daily', '--no-consolidate', '--timezone', TZ, '--html', out])).code, 0);
  const html = readFileSync(out, 'utf8');
  assert.equal(count(html, /<svg class="gauge" data-pct="80\.0"/g), 1, "work's 5 h gauge: Claude Code's 80 %");
  assert.equal(count(html, /<svg class="gauge" data-pct="20\.0"/g), 1, "home's 5 h gauge: 9 of 45 turns");
  assert.match(html, /5 h window: 80%<\/div>.*resets 2025-11-05 12:30 \(in 2h 30m\) · Claude Code</);
  assert.match(html, /5 h window: 20% \(9\/45 turns\).*ccx estimate/);
  // The band's colour, as in the terminal: warn is yellow, ok green; the gauge's fill follows its own %.
  assert.match(html, /<h3>work <span class="yellow">\[warn\]<\/span><\/h3>/);
  assert.match(html, /<h3>home <span class="green">\[ok\]<\/span><\/h3>/);
  assert.match(html, /data-pct="80\.0"[^>]*><rect [^>]*\/><rect [^>]*fill="#ff9800"\/>/);
  assert.match(page, /<td>2025-11-02<\/td><td>work<\/td>/);
});

test('the quota once: gauges on a daily page, the view\'s own table on summary and quota pages; one "Use next"', async () => {
  for (const [view, pageGauges] of [
    ['daily', true],
    ['summary', false],
    ['quota', false],
  ] as const) {
    const out = join(sb.root, `${view}-once.html`);
    assert.equal((await inProcess(sb, [view, '--no-consolidate', '--timezone', TZ, '--html', out])).code, 0);
    const html = readFileSync(out, 'utf8');
    assert.equal(count(html, /<h2>Quota<\/h2>/g), pageGauges ? 1 : 0, `${view}: the page's gauge section`);
    assert.equal(count(html, /<h3>Quota<\/h3>/g), pageGauges ? 0 : 1, `${view}: the view's quota table`);
    assert.ok(count(html, /<svg class="gauge"/g) >= 4, `${view}: a gauge per window`);
    if (view !== 'quota') assert.equal(count(html, /Use next: home/g), 1, `${view}: "Use next" once`);
  }
});

test('gauges: the band colour from lib/format, hard striped so it differs from soft', () => {
  const soft = gauge(95, 100);
  const hard = gauge(100, 100);
  for (const g of [soft, hard]) assert.match(g, new RegExp(`fill="${HTML_FILL.red}"`));
  assert.doesNotMatch(soft, /<path/);
  assert.match(hard, /<path d="M0 14L14 0/);
  assert.match(gauge(80, 100), new RegExp(`<rect width="80\\.0" height="14" rx="3" fill="${HTML_FILL.yellow}"/>`));
});

test('without --since the chart covers the 30 days up to today', async () => {
  const out = join(sb.root, 'default.html');
  const r = await inProcess(sb, ['--no-consolidate', '--timezone', TZ, '--html', out]);
  assert.equal(r.code, 0, r.stderr);
  const html = readFileSync(out, 'utf8');
  assert.equal(count(html, /<g class="day" /g), 2 * 30);
  assert.match(html, /data-date="2025-10-07"/);
  assert.match(html, /data-date="2025-11-05"/);
});

/** Loads a page headless; the DOM after scripts ran, and the browser's log (console lines included). */
function load(bin: string, url: string): Promise<{ dom: string; log: string; code: number | null }> {
  const profile = mkdtempSync(join(tmpdir(), 'ccx-chromium-'));
  const args = [...headlessArgs(profile), '--enable-logging=stderr', '--v=0', '--dump-dom', url];
  return new Promise((done) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let dom = '';
    let log = '';
    child.stdout.on('data', (d) => (dom += d));
    child.stderr.on('data', (d) => (log += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      rmSync(profile, { recursive: true, force: true });
      done({ dom, log, code });
    });
  });
}

test('headless Chromium renders the page without console errors', async (t) => {
  const bin = chromium();
  if (!bin) return t.skip('chromium is not installed (Debian package: chromium)');
  // The probe proves the console capture works, so a silent page really is silent.
  const probe = join(sb.root, 'probe.html');
  writeFileSync(probe, '<!doctype html><script>console.error("probe-error"); missingFn();</script>');
  const p = await load(bin, `file://${probe}`);
  assert.match(p.log, /CONSOLE.*probe-error/);
  assert.match(p.log, /CONSOLE.*missingFn is not defined/);

  const r = await load(bin, `file://${file}`);
  assert.equal(r.code, 0, r.log);
  const consoleLines = r.log.split('\n').filter((l) => /:CONSOLE[:(]/.test(l));
  assert.deepEqual(consoleLines, []);
  assert.equal(count(r.dom, /<svg class="daily-chart"/g), 2, 'both charts are in the rendered DOM');
  assert.equal(count(r.dom, /<g class="day" /g), 2 * DAYS, 'one bar per day in range');
  assert.match(r.dom, /<h1>ccx report — daily<\/h1>/);
});

/**
 * Layout at a page width, measured by Chromium itself. Headless windows are never narrower than
 * 500 px, so the page is shown in an iframe of that width (srcdoc, so it shares its host's
 * origin), tall enough that no vertical scrollbar takes width; a script at the end of the page's
 * <body> (layout is forced, so the geometry is final) writes its findings into the host's DOM,
 * read back with --dump-dom. A table overflows when the box that clips it (its nearest ancestor
 * with overflow-x other than visible, else the table itself) ends right of the viewport, or when
 * the page scrolls sideways; chart texts (HTML or SVG) report their rendered height.
 */
const LAYOUT_PROBE = `<script>(()=>{const vw=document.documentElement.clientWidth;
const clip=(el)=>{for(let e=el.parentElement;e&&e!==document.body;e=e.parentElement)if(getComputedStyle(e).overflowX!=='visible')return e;return el;};
const tables=[...document.querySelectorAll('table')].map((t)=>({head:t.querySelector('th')?.textContent??'',right:Math.round(clip(t).getBoundingClientRect().right)}));
const texts=[...document.querySelectorAll('.chart text, .chart span')].filter((e)=>e.getClientRects().length&&e.textContent.trim()).map((e)=>({text:e.textContent,height:Math.round(e.getBoundingClientRect().height*10)/10}));
const out=parent.document.createElement('pre');out.id='layout';out.textContent=JSON.stringify({vw,scrollWidth:document.documentElement.scrollWidth,tables,texts});parent.document.body.append(out);})();</script>`;

type Layout = { vw: number; scrollWidth: number; tables: { head: string; right: number }[]; texts: { text: string; height: number }[] };

async function layoutAt(bin: string, page: string, width: number): Promise<Layout> {
  const host = join(sb.root, `layout-${width}.html`);
  const probed = readFileSync(page, 'utf8').replace('</body>', `${LAYOUT_PROBE}</body>`);
  writeFileSync(
    host,
    `<!doctype html><body style="margin:0"><iframe width="${width}" height="20000" style="border:0" srcdoc="${esc(probed)}"></iframe></body>`,
  );
  const r = await load(bin, `file://${host}`);
  assert.equal(r.code, 0, r.log);
  const m = /<pre id="layout">([^<]*)<\/pre>/.exec(r.dom);
  assert.ok(m, 'the probe ran');
  const layout = JSON.parse(m[1]!.replace(/&quot;/g, '"').replace(/&amp;/g, '&')) as Layout;
  assert.equal(layout.vw, width, 'the window width is the layout width');
  return layout;
}

/** What overflows: tables past the viewport, a page wider than it. */
const overflows = (l: Layout) => [
  ...l.tables.filter((t) => t.right > l.vw).map((t) => `table "${t.head}…" ends at ${t.right} px`),
  ...(l.scrollWidth > l.vw ? [`page is ${l.scrollWidth} px wide`] : []),
];

test('headless Chromium at 1280 and 400 px: no table runs off the page, chart texts stay legible', async (t) => {
  const bin = chromium();
  if (!bin) return t.skip('chromium is not installed (Debian package: chromium)');
  // The probe sees an overflow where there is one, and SVG text shrinking with its SVG.
  const wide = join(sb.root, 'wide.html');
  const cells = Array.from({ length: 12 }, (_, i) => `<td>claude-model-${i}-20250929</td>`).join('');
  writeFileSync(
    wide,
    `<!doctype html><body><table><tr>${cells}</tr></table><div class="chart"><svg viewBox="0 0 760 220" style="width:300px"><text y="20">tiny</text></svg></div></body>`,
  );
  const w = await layoutAt(bin, wide, 400);
  assert.equal(overflows(w).length, 2, 'the wide table and the page');
  assert.ok(w.texts[0]!.height < 8, `SVG text scaled down: ${w.texts[0]!.height} px`);

  const summary = join(sb.root, 'summary.html');
  const r = await inProcess(sb, ['summary', '--no-consolidate', '--timezone', TZ, '--html', summary]);
  assert.equal(r.code, 0, r.stderr);
  for (const page of [file, summary]) {
    for (const width of [1280, 400]) {
      const l = await layoutAt(bin, page, width);
      assert.ok(l.tables.length >= 1, `${page} has tables`);
      assert.deepEqual(overflows(l), [], `${page} at ${width} px`);
      assert.ok(l.texts.length > 0, 'chart texts measured');
      const small = l.texts.filter((x) => x.height < 12);
      assert.deepEqual(small, [], `${page} at ${width} px: chart texts under 12 px`);
    }
  }
});

test('day labels: every third day on a month, at most ten on a long range (they would overlap)', () => {
  const days = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ date: new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10), usage: null }));
  const labels = (html: string) => [...html.matchAll(/<span class="(?:odd|even)"[^>]*>([^<]*)<\/span>/g)].map((m) => m[1]);
  assert.deepEqual(labels(dailyChart('p', days(30))).slice(0, 3), ['01-01', '01-04', '01-07']);
  assert.equal(labels(dailyChart('p', days(30))).length, 10);
  const long = labels(dailyChart('p', days(278)));
  assert.ok(long.length <= 10 && long.length >= 9, `${long.length} labels: ${long.join(' ')}`);
});
