// renderTop: the whole screen as lines, from the state, the terminal's size, the clock and the
// zone; nothing else. Every line fits `width`; there are never more than `height` lines.
//
// Layout: a header (clock, where the figures come from, the keys), then one panel per profile.
// The focused profile (`p` moves the focus) is marked and always drawn in full: its 5 h and
// weekly bars with reset countdowns, the active block's burn rate and where it leads, and the
// sessions running now. The others are drawn in full too while the screen has room; when it has
// not, first their session lists fold into a count, then each becomes one compact line.

import {
  ANSI_FG,
  BAND_COLOR,
  type BandColor,
  clockTime,
  compactNumber,
  durationToSecond,
  int,
  pct,
  pctColor,
  printable,
  resetClock,
  usd,
} from '../format';
import { switchHint } from '../quota';
import { cutStart, gaugeBar } from '../report';
import { type Projection, windowProjection } from './projection';
import type { TopData, TopProfile, TopSession, TopState, TopWindow } from './state';

type Style = BandColor | 'bold' | 'dim' | 'inverse';
type Seg = { t: string; s?: Style };
type Line = Seg[];

/** From this width on, a panel's wide layout: block, burn and projection on one line, more session fields. */
const WIDE = 140;
/** From this width on, two profiles side by side. */
const GRID_MIN = 160;
const GAP = '   ';
const MAX_BAR = 100;
const MIN_BAR = 8;
const SESSION_INDENT = '      ▸ ';
/** "Sun 14:05": resetClock within the week. */
const COMPACT_RESET = 9;
const LABEL = 12; // "    weekly  "

type Ctx = { width: number; now: number; tz: string; wide: boolean; bars: BarLayout };

export function renderTop(state: TopState, width: number, height: number, now: number, zone: string): string[] {
  if (width <= 0 || height <= 0) return [];
  const base = { width, now, tz: zone, wide: width >= WIDE, bars: { barW: MIN_BAR, usedW: 0, countdown: false } };
  const ctx: Ctx = { ...base, bars: barLayout(state.data?.profiles ?? [], base) };
  const head = header(state, ctx);
  const lines = [...head, ...body(state, ctx, height - head.length)];
  const fitted = lines.length <= height ? lines : [...lines.slice(0, Math.max(0, height - 1)), more(lines.length - height + 1)];
  return fitted.map((l) => paint(cut(l, width), state.color));
}

/** The clock and the keys, then where the figures come from, then a blank line. */
function header(state: TopState, c: Ctx): Line[] {
  const title: Line = [{ t: 'ccx top', s: 'bold' }, { t: `  ${clockTime(c.now, c.tz)}:${two(Math.floor(c.now / 1000) % 60)}` }];
  if (state.interactive) title.push({ t: '   p next profile · q quit', s: 'dim' });
  return [title, [{ t: state.data ? sourceText(state.data, c) : 'reading…', s: 'dim' }], []];
}

function sourceText(d: TopData, c: Ctx): string {
  if (d.problem) return '';
  if (d.source.kind === 'serve') return `live from ccx serve ${d.source.url.replace(/^http:\/\/|\/$/g, '')}`;
  const quota = d.source.quotaAt === null ? 'quota computed here' : `quota.json ${durationToSecond(c.now - d.source.quotaAt)} old`;
  return `from state.db, ${quota} · ${d.source.why}`;
}

function body(state: TopState, c: Ctx, room: number): Line[] {
  const d = state.data;
  if (!d) return [];
  if (d.problem) return wrap(d.problem, c.width).map((t) => [{ t, s: 'red' }]);
  if (d.profiles.length === 0) return [[{ t: 'no watched profile yet: ccx profile add NAME --config-dir DIR' }]];
  const nameW = Math.min(12, Math.max(...d.profiles.map((p) => printable(p.name).length)));
  const focused = (p: TopProfile) => p.name === state.focus;
  const tailW = Math.max(...d.profiles.map((p) => len(compactTail(p))));
  // Wide screens put two full panels side by side, each laid out for its column's width.
  const colW = Math.floor((c.width - GAP.length) / 2);
  const grid = c.width >= GRID_MIN && d.profiles.length > 1;
  const pc: Ctx = grid ? { ...c, width: colW, wide: colW >= WIDE, bars: barLayout(d.profiles, { ...c, width: colW }) } : c;
  // Each try shows less of the profiles out of focus; the first that fits wins, else the last.
  const tries: (() => Line[])[] = [
    () =>
      arrange(
        d.profiles.map((p) => full(p, focused(p), true, pc)),
        grid ? colW : 0,
      ),
    () =>
      arrange(
        d.profiles.map((p) => full(p, focused(p), focused(p), pc)),
        grid ? colW : 0,
      ),
    () =>
      arrange(
        d.profiles.map((p) => (focused(p) ? full(p, true, true, c) : [compact(p, nameW, tailW, c)])),
        0,
      ),
  ];
  let out: Line[] = [];
  for (const t of tries) {
    out = t();
    if (out.length <= room) break;
  }
  return out;
}

/** Panels one under another (colW 0), or two side by side in columns of colW; a blank line between. */
function arrange(panels: Line[][], colW: number): Line[] {
  const rows: Line[][] = [];
  if (colW === 0) rows.push(...panels);
  for (let i = 0; colW > 0 && i < panels.length; i += 2) {
    const [a, b = []] = [panels[i]!, panels[i + 1]];
    rows.push(
      Array.from({ length: Math.max(a.length, b.length) }, (_, k) =>
        b[k] ? [...pad(a[k] ?? [], colW), { t: GAP }, ...b[k]!] : (a[k] ?? []),
      ),
    );
  }
  // A blank line between rows of panels, unless both are compact one-liners.
  return rows.flatMap((lines, i) => (i > 0 && (lines.length > 1 || rows[i - 1]!.length > 1) ? [[], ...lines] : lines));
}

const pad = (line: Line, w: number): Line => {
  const l = cut(line, w);
  return [...l, { t: ' '.repeat(w - lineWidth(l)) }];
};

function full(p: TopProfile, focused: boolean, withSessions: boolean, c: Ctx): Line[] {
  const head = title(p, focused, withSessions, c);
  const next = switchTo(p);
  const fits = lineWidth([...head, ...(next ? [{ t: ' · ' }, next] : [])]) <= c.width;
  // The profile to switch to ends the title line, or has a line of its own when it would not fit.
  const lines: Line[] = next && fits ? [[...head, { t: ' · ' }, next]] : [head];
  if (next && !fits) lines.push([{ t: `    ${'switch'.padEnd(LABEL - 4)}` }, next]);
  lines.push(...bars(p, c));
  lines.push(...blockLines(p, c));
  if (withSessions) lines.push(...p.sessions.map((s) => sessionLine(s, c)));
  return lines;
}

function title(p: TopProfile, focused: boolean, sessionsListed: boolean, c: Ctx): Line {
  const line: Line = [
    { t: focused ? '▶ ' : '  ', s: 'bold' },
    { t: printable(p.name), s: focused ? 'inverse' : 'bold' },
    { t: ' ' },
    { t: `[${p.band}]`, s: BAND_COLOR[p.band] },
    { t: ` ${printable(p.planTier)} · today ${usd(p.todayUsd)}` },
  ];
  const n = p.sessions.length;
  line.push({ t: ` · ${n === 0 ? 'no session running' : `${n} running${sessionsListed ? '' : ' (p to list)'}`}` });
  if (p.unavailableUntil !== null && p.unavailableUntil > c.now)
    line.push({ t: ` · out until ${resetClock(p.unavailableUntil, c.now, c.tz)}`, s: 'red' });
  return line;
}

/** As the warnings do: a profile to switch to is named once this one is no longer ok. */
function switchTo(p: TopProfile): Seg | null {
  if (!p.suggestion || p.band === 'ok') return null;
  return {
    t: `${switchHint(printable(p.suggestion.profile), p.suggestion.agent)} has ${pct(p.suggestion.headroomPct)} headroom`,
    s: 'green',
  };
}

type BarRow = { label: string; w: TopWindow | null; used: string; reset: string; countdown: string };
/** One bar layout for every profile on screen, so that bars and columns line up. */
type BarLayout = { barW: number; usedW: number; countdown: boolean };

const barRows = (p: TopProfile, c: Ctx): BarRow[] => [
  { label: '5 h', ...windowTexts(p.fiveHour, c) },
  { label: 'weekly', ...windowTexts(p.weekly, c) },
];

function barLayout(profiles: TopProfile[], c: Ctx): BarLayout {
  const rows = profiles.flatMap((p) => barRows(p, c)).filter((r) => r.w?.pct != null);
  const most = (f: (r: BarRow) => number) => Math.max(0, ...rows.map(f));
  const usedW = most((r) => r.used.length);
  // Drop what is least needed until the bar has room: the used/cap figures, then the countdowns.
  const choices = [
    { usedW, countdown: true },
    { usedW: 0, countdown: true },
    { usedW: 0, countdown: false },
  ];
  const rest = (o: { usedW: number; countdown: boolean }) =>
    5 + (o.usedW ? 2 + o.usedW : 0) + 2 + most((r) => r.reset.length + (o.countdown ? r.countdown.length : 0));
  const pick = choices.find((o) => c.width - LABEL - rest(o) >= MIN_BAR) ?? choices[2]!;
  return { ...pick, barW: Math.max(MIN_BAR, Math.min(MAX_BAR, c.width - LABEL - rest(pick))) };
}

function bars(p: TopProfile, c: Ctx): Line[] {
  const { barW, usedW, countdown } = c.bars;
  return barRows(p, c).map((r) => {
    const head: Seg = { t: `    ${r.label.padEnd(LABEL - 4)}` };
    if (!r.w) return [head, { t: 'not measured', s: 'dim' }];
    const reset: Seg = { t: r.reset ? `  ${r.reset}${countdown ? r.countdown : ''}` : '', s: 'dim' };
    // No cap, no share: the count and the reset, without a bar that would say nothing.
    if (r.w.pct === null) return [head, { t: r.used }, reset];
    const style = pctColor(r.w.pct);
    const line: Line = [head, { t: gaugeBar(r.w.pct, barW), s: style }, { t: ` ${pct(r.w.pct).padStart(4)}`, s: style }];
    if (usedW > 0) line.push({ t: `  ${r.used.padEnd(usedW)}` });
    line.push(reset);
    return line;
  });
}

function windowTexts(w: TopWindow | null, c: Ctx): { w: TopWindow | null; used: string; reset: string; countdown: string } {
  if (!w) return { w, used: '', reset: '', countdown: '' };
  const reset = w.resetsAt === null ? '' : `${w.resetsAt > c.now ? 'resets' : 'reset'} ${resetClock(w.resetsAt, c.now, c.tz)}`;
  const countdown =
    w.resetsAt === null ? '' : w.resetsAt > c.now ? ` (in ${durationToSecond(w.resetsAt - c.now)})` : ' (new figures pending)';
  return { w, used: usedText(w), reset, countdown };
}

/** "180/225 turns", "140 turns, no cap"; the API gives no unit: "180/225", "no cap". */
function usedText(w: TopWindow): string {
  if (w.unit === 'percent') return '';
  const fmt = w.unit === 'usd' ? usd : int;
  const unit = w.unit && w.unit !== 'usd' ? ` ${w.unit}` : '';
  if (w.cap === null) return w.used === null || w.unit === null ? 'no cap' : `${fmt(w.used)}${unit}, no cap`;
  return w.used === null ? '' : `${fmt(w.used)}/${fmt(w.cap)}${unit}`;
}

function blockLines(p: TopProfile, c: Ctx): Line[] {
  const head: Seg = { t: `    ${'block'.padEnd(LABEL - 4)}` };
  const b = p.block;
  if (!b?.burn) return [[head, { t: 'none active (no request in the last 5 h)', s: 'dim' }]];
  const end = clockTime(b.end, c.tz);
  const spent: Seg = {
    t: `${clockTime(b.start, c.tz)}–${end} · ${compactNumber(b.usage.totalTokens)} tokens · ${usd(b.usage.totalCost)} · ${usd(b.burn.projectedCost)} projected by ${end}`,
  };
  const burn: Seg = { t: `${compactNumber(Math.round(b.burn.tokensPerMinute))} tok/min · ${usd(b.burn.costPerHour)}/h`, s: 'bold' };
  const proj = windowProjection(p.fiveHour?.pct ?? null, p.fiveHour?.resetsAt ?? null, b, c.now);
  const said = proj ? [projectionText(proj, p.fiveHour?.resetsAt ?? null, c)] : [];
  // Wide: all on one line; else the block, then its burn rate, then where that leads.
  if (c.wide) return [[head, spent, { t: ' · burn ' }, burn, ...said.flatMap((x) => [{ t: ' · ' }, x])]];
  return [[head, spent], [{ t: `    ${'burn'.padEnd(LABEL - 4)}` }, burn], ...said.map((x) => [{ t: ' '.repeat(LABEL) }, x])];
}

function projectionText(proj: Projection, resetsAt: number | null, c: Ctx): Seg {
  if (proj.kind === 'full') {
    const when = resetsAt !== null && resetsAt > c.now ? `; it resets ${resetClock(resetsAt, c.now, c.tz)}` : '';
    return { t: `the 5 h window is full${when}`, s: 'red' };
  }
  if (proj.kind === 'fills') return { t: `at this rate the 5 h window is full at ${resetClock(proj.at, c.now, c.tz)}`, s: 'red' };
  return {
    t: `at this rate the 5 h window is at ${pct(proj.pct)} when it resets at ${resetClock(proj.at, c.now, c.tz)}`,
    s: pctColor(proj.pct),
  };
}

function sessionLine(s: TopSession, c: Ctx): Line {
  const since = s.startedAt === null ? '' : ` · since ${resetClock(s.startedAt, c.now, c.tz)}`;
  const last = c.wide && s.lastSeenAt !== null ? ` · last seen ${durationToSecond(c.now - s.lastSeenAt)} ago` : '';
  const id = c.wide ? `${printable(s.sessionId.slice(0, 8))}  ` : '';
  const tail = ` · ${s.state} · ${s.turns} turn${s.turns === 1 ? '' : 's'}${since}${last}`;
  const model = s.model ? ` · ${printable(s.model)}` : '';
  const path = printable(s.cwd ?? '(unknown dir)');
  // The path gets what the rest leaves (the model goes first), cut from the left: its end says the most.
  const room = c.width - SESSION_INDENT.length - id.length - tail.length;
  const withModel = len(path) + len(model) <= room;
  const cwd = cutStart(path, Math.max(12, room - (withModel ? len(model) : 0)));
  return [{ t: SESSION_INDENT, s: 'dim' }, { t: id, s: 'dim' }, { t: cwd }, { t: `${tail}${withModel ? model : ''}`, s: 'dim' }];
}

/** A compact line's end: today's cost and the running sessions' count. */
const compactTail = (p: TopProfile) => `${usd(p.todayUsd)} today${p.sessions.length ? ` · ${p.sessions.length} running` : ''}`;

/**
 * One line: name, band, both windows' bars with their reset times, today's cost and the running
 * sessions' count, in columns of fixed width (tailW: the longest compactTail on screen) so that
 * the lines of several profiles line up. The reset times go first when the bars would get too short.
 */
function compact(p: TopProfile, nameW: number, tailW: number, c: Ctx): Line {
  const tail = compactTail(p);
  const resetOf = (w: TopWindow | null) => (w?.resetsAt ? resetClock(w.resetsAt, c.now, c.tz) : '');
  const fixed = (withResets: boolean) => 2 + nameW + 1 + 7 + 2 * (3 + 5 + (withResets ? 1 + COMPACT_RESET : 0) + 2) + tailW;
  const withResets = (c.width - fixed(true)) / 2 >= 6;
  const barW = Math.max(4, Math.min(40, Math.floor((c.width - fixed(withResets)) / 2)));
  const mini = (label: string, w: TopWindow | null): Line => {
    const style = w?.pct == null ? undefined : pctColor(w.pct);
    return [
      { t: label },
      { t: gaugeBar(w?.pct ?? null, barW), s: style },
      { t: ` ${pct(w?.pct ?? null).padStart(4)}`, s: style },
      { t: `${withResets ? ` ${resetOf(w).padEnd(COMPACT_RESET)}` : ''}  `, s: 'dim' },
    ];
  };
  return [
    { t: '  ' },
    {
      t: cut([{ t: printable(p.name) }], nameW)
        .map((x) => x.t)
        .join('')
        .padEnd(nameW),
      s: 'bold',
    },
    { t: ' ' },
    { t: `[${p.band}]`.padEnd(7), s: BAND_COLOR[p.band] },
    ...mini('5h ', p.fiveHour),
    ...mini('wk ', p.weekly),
    { t: tail },
  ];
}

const more = (n: number): Line => [
  { t: `… ${n} more line${n === 1 ? '' : 's'}: enlarge the terminal, or p to focus another profile`, s: 'dim' },
];

/** Words filled into lines of at most `width` (a longer word is cut later, like any line). */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && len(line) + 1 + len(word) > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...out, line];
}

const two = (n: number) => String(n).padStart(2, '0');
const len = (s: string) => [...s].length;

const lineWidth = (line: Line) => line.reduce((n, s) => n + len(s.t), 0);

/** The line cut to `width` characters (the last one an ellipsis when anything was cut). */
function cut(line: Line, width: number): Line {
  const total = lineWidth(line);
  if (total <= width) return line;
  const out: Line = [];
  let left = Math.max(0, width - 1);
  for (const seg of line) {
    if (left <= 0) break;
    const chars = [...seg.t];
    out.push({ ...seg, t: chars.slice(0, left).join('') });
    left -= Math.min(left, chars.length);
  }
  if (width > 0) out.push({ t: '…' });
  return out;
}

const SGR_OFF: Record<Style, number> = { green: 39, yellow: 39, red: 39, bold: 22, dim: 22, inverse: 27 };
const SGR_ON: Record<Style, number> = { ...ANSI_FG, bold: 1, dim: 2, inverse: 7 };

function paint(line: Line, color: boolean): string {
  return line.map((s) => (color && s.s && s.t ? `\x1b[${SGR_ON[s.s]}m${s.t}\x1b[${SGR_OFF[s.s]}m` : s.t)).join('');
}
