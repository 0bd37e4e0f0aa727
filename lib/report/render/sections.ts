// View data → Doc (headings, tables, notes), shared by the terminal and HTML renderers.
import { type QuotaWindow, WINDOW_LABEL, type WindowName } from '../../contracts/quota';
import { BAND_COLOR, dateTime, durationToMinute, int, pct, pctColor, resetText, sourceLabel, usd } from '../../format';
import { byText } from '../../order';
import { AGENT_NAME, agentsQuotaLine, noBetterProfile, switchHint } from '../../quota';
import { type AgentOf, showsAgents } from '../agents';
import type { ReportCtx } from '../context';
import { type Failure, type SkippedLines, UNRECORDED } from '../query';
import type { ModelUsage, Usage } from '../usage';
import type { BlocksView } from '../views/blocks';
import type { PeriodView } from '../views/periods';
import type { ProfileQuotaView, QuotaView, UseNext } from '../views/quota';
import type { SessionDetailView, SessionListView, SessionsView } from '../views/sessions';
import type { SummaryView } from '../views/summary';
import type { Cell, Column, DocBlock, Row, Style } from './doc';

type Ctx = Pick<ReportCtx, 'now' | 'tz' | 'args' | 'agentOf'>;

/** The Agent column: a label, beside Profile, only in a table over more than one agent's profiles (agents.ts). */
const AGENT_COL: Column = { header: 'Agent' };
type AgentCells = { columns: Column[]; cells: (profile: string) => Cell[]; pad: Cell[] };
function agentColumn(profiles: Iterable<string>, agentOf: AgentOf | undefined): AgentCells {
  if (!agentOf || !showsAgents(profiles, agentOf)) return { columns: [], cells: () => [], pad: [] };
  return { columns: [AGENT_COL], cells: (p) => [AGENT_NAME[agentOf(p)]], pad: [''] };
}

export const costCell = (u: Usage): Cell =>
  u.unpricedModels.length ? { text: `${usd(u.totalCost)}*`, style: 'yellow' } : usd(u.totalCost);
const n = (v: number) => int(v);

export function unpricedNotes(unpriced: { model: string; tokens: number }[]): DocBlock[] {
  return unpriced.map((u) => ({
    kind: 'note',
    style: 'yellow',
    text: `* unpriced: ${int(u.tokens)} tokens of model ${u.model} (counted as $0; add it to $CCX_HOME/pricing.yaml)`,
  }));
}

/** Every Cost column: kept at every width, left out on --no-cost (doc.ts withoutCost). */
const COST_COL: Column = { header: 'Cost', align: 'right', cost: true };

const USAGE_COLS: Column[] = [
  { header: 'Input', align: 'right', drop: 4 },
  { header: 'Output', align: 'right', drop: 3 },
  { header: 'Cache write', align: 'right', wide: true, drop: 1 },
  { header: 'Cache read', align: 'right', wide: true, drop: 2 },
  { header: 'Total tokens', align: 'right', drop: 5 },
  COST_COL,
];
const usageCells = (u: Usage): Cell[] => [
  n(u.inputTokens),
  n(u.outputTokens),
  n(u.cacheCreationTokens),
  n(u.cacheReadTokens),
  n(u.totalTokens),
  costCell(u),
];

const PERIOD_HEADER = { daily: 'Date', weekly: 'Week of', monthly: 'Month' } as const;

export function periodDoc(v: PeriodView, c: Ctx): DocBlock[] {
  const byProject = c.args.instances;
  const agent = agentColumn(
    v.rows.map((r) => r.profile),
    c.agentOf,
  );
  const columns: Column[] = [
    { header: PERIOD_HEADER[v.kind] },
    ...(byProject ? [{ header: 'Project', shrink: true, cut: 'start' } as const] : []),
    { header: 'Profile', shrink: true },
    ...agent.columns,
    { header: 'Models', wide: true, shrink: true, cut: 'list' },
    ...USAGE_COLS,
  ];
  const lead = columns.length - USAGE_COLS.length;
  const rows: Row[] = [];
  for (const r of v.rows) {
    const labels = [
      r.period,
      ...(byProject ? [r.project ?? ''] : []),
      r.profile,
      ...agent.cells(r.profile),
      r.models.map((m) => m.modelName).join(', '),
    ];
    rows.push({ cells: [...labels, ...usageCells(r.usage)] });
    if (c.args.breakdown) rows.push(...modelRows(r.models, byProject ? 2 : 1, lead));
  }
  rows.push(totalRow(lead, v.totals));
  const title = { daily: 'Daily usage', weekly: 'Weekly usage', monthly: 'Monthly usage' }[v.kind];
  return [{ kind: 'heading', text: `${title} (${c.tz})` }, { kind: 'table', table: { columns, rows } }, ...unpricedNotes(v.unpriced)];
}

/** The closing row of a usage table: "Total" in the first column, the sums under the usage columns. */
function totalRow(lead: number, totals: Usage): Row {
  return { kind: 'total', cells: ['Total', ...Array<Cell>(lead - 1).fill(''), ...usageCells(totals)] };
}

/**
 * Per-model sub-rows: the model's name in column `at` (a column the compact layout keeps), the
 * usage columns after `lead` label columns.
 */
function modelRows(models: ModelUsage[], at: number, lead: number): Row[] {
  return models.map((m) => {
    const labels = Array<Cell>(lead).fill('');
    labels[at] = `└ ${m.modelName}`;
    return { kind: 'sub', cells: [...labels, ...usageCells(m)] };
  });
}

/** Where a figure comes from; a calibrated one with when Claude Code last gave its own. */
export function sourceText(w: QuotaWindow, tz: string): string {
  const label = sourceLabel(w.source);
  return w.source === 'calibrated' && w.observed_at !== undefined ? `${label} (Claude Code ${dateTime(w.observed_at, tz)})` : label;
}

function usedText(w: QuotaWindow): string {
  if (w.unit === 'percent') return pct(w.pct);
  const fmt = w.unit === 'usd' ? usd : int;
  const used = w.used === null ? '—' : fmt(w.used);
  return w.cap === null ? `${used} ${w.unit} (no cap)` : `${pct(w.pct)} ${used}/${fmt(w.cap)} ${w.unit}`;
}

function gaugeCell(w: QuotaWindow): Cell {
  return { gauge: w.pct, text: usedText(w), style: w.pct === null ? undefined : pctColor(w.pct) };
}

const quotaCols = (agent: AgentCells): Column[] => [
  { header: 'Profile', shrink: true },
  ...agent.columns,
  { header: 'Window' },
  { header: 'Used' },
  { header: 'Resets', shrink: true },
  { header: 'Source' },
];

function quotaRows(q: ProfileQuotaView, c: Ctx, windows: readonly WindowName[], agent: AgentCells): Row[] {
  const rows: Row[] = [];
  for (const name of windows) {
    const w = q.windows[name];
    if (!w) continue;
    const first = rows.length === 0;
    rows.push({
      cells: [
        first ? { text: `${q.profile} [${q.band}]`, style: BAND_COLOR[q.band] } : '',
        ...(first ? agent.cells(q.profile) : agent.pad),
        WINDOW_LABEL[name].short,
        gaugeCell(w),
        resetText(w.resets_at, c.now, c.tz),
        sourceText(w, c.tz),
      ],
    });
  }
  return rows;
}

// An unavailable profile is at band hard, so its note has hard's colour.
function availabilityNotes(profiles: ProfileQuotaView[], c: Ctx): DocBlock[] {
  return profiles
    .filter((q) => q.unavailableUntil !== null)
    .map((q) => ({
      kind: 'note',
      style: BAND_COLOR.hard,
      text: `${q.profile} is out until ${resetText(q.unavailableUntil, c.now, c.tz)}`,
    }));
}

/**
 * What to use next, as lib/quota decided it (quota.json's suggestion): a switch, or that no
 * profile has more headroom; null when there is nothing to choose between or every one is out.
 */
export function useNextText(u: UseNext, agentOf?: AgentOf): string | null {
  if (u.suggestion) {
    const { profile, headroomPct } = u.suggestion;
    return `Use next: ${profile} (${pct(headroomPct)} headroom): ${switchHint(profile, agentOf?.(profile))}`;
  }
  if (u.current === null || !u.others.length) return null;
  return `${u.current}: ${noBetterProfile(u.others.map((o) => ({ name: o.profile, headroom_pct: o.headroomPct })))}`;
}

export function quotaDoc(v: QuotaView, c: Ctx): DocBlock[] {
  const agent = agentColumn(
    v.profiles.map((q) => q.profile),
    c.agentOf,
  );
  const rows = v.profiles.flatMap((q) => quotaRows(q, c, ['five_hour', 'weekly', 'daily_tokens', 'weekly_tokens', 'monthly_usd'], agent));
  const notes: DocBlock[] = v.profiles
    .filter((q) => q.suggestion)
    .map((q) => ({
      kind: 'note',
      text: `${q.profile}: ${q.suggestion!.profile} has more headroom (${pct(q.suggestion!.headroomPct)}): ${switchHint(q.suggestion!.profile, c.agentOf?.(q.suggestion!.profile))}`,
    }));
  return [
    { kind: 'heading', text: 'Quota' },
    v.profiles.length
      ? { kind: 'table', table: { columns: quotaCols(agent), rows } }
      : { kind: 'note', text: 'No configured profiles match (quota needs config.toml profiles).' },
    ...availabilityNotes(v.profiles, c),
    ...notes,
  ];
}

export function summaryDoc(v: SummaryView, c: Ctx): DocBlock[] {
  const agent = agentColumn(
    v.profiles.map((p) => p.profile),
    c.agentOf,
  );
  const usageCols: Column[] = [
    { header: 'Profile', shrink: true },
    ...agent.columns,
    { header: 'Today', align: 'right' },
    COST_COL,
    { header: 'This week', align: 'right' },
    COST_COL,
    { header: '30 days', align: 'right' },
    COST_COL,
  ];
  const periodCells = (p: SummaryView['totals']): Cell[] => [
    n(p.today.totalTokens),
    costCell(p.today),
    n(p.week.totalTokens),
    costCell(p.week),
    n(p.last30Days.totalTokens),
    costCell(p.last30Days),
  ];
  const usageRows: Row[] = v.profiles.map((p) => ({ cells: [p.profile, ...agent.cells(p.profile), ...periodCells(p)] }));
  if (usageRows.length) usageRows.push({ kind: 'total', cells: ['Total', ...agent.pad, ...periodCells(v.totals)] });
  const quotas = v.profiles.flatMap((p) => (p.quota ? [p.quota] : []));
  const quotaAgent = agentColumn(
    quotas.map((q) => q.profile),
    c.agentOf,
  );
  const blocks: DocBlock[] = [
    { kind: 'heading', text: `Usage (tokens; ${c.tz}, today ${dateTime(v.periods.today, c.tz).slice(0, 10)})` },
    { kind: 'table', table: { columns: usageCols, rows: usageRows } },
    { kind: 'heading', text: 'Quota' },
  ];
  if (v.agents.length > 1) blocks.push({ kind: 'note', text: agentsQuotaLine(v.agents) });
  if (quotas.length)
    blocks.push({
      kind: 'table',
      table: { columns: quotaCols(quotaAgent), rows: quotas.flatMap((q) => quotaRows(q, c, ['five_hour', 'weekly'], quotaAgent)) },
    });
  blocks.push(...availabilityNotes(quotas, c));
  const next = useNextText(v.useNext, c.agentOf);
  if (next) blocks.push({ kind: 'note', style: v.useNext.suggestion ? 'cyan' : undefined, text: next });
  else if (!quotas.length) blocks.push({ kind: 'note', text: 'No configured profiles: add one with ccx profile add.' });
  else if (quotas.every((q) => q.unavailableUntil !== null))
    blocks.push({ kind: 'note', text: 'Every profile is out; see the reset times above.' });

  const topCols = (label: string, cut: Column['cut']): Column[] => [
    { header: label, shrink: true, cut },
    { header: 'Tokens', align: 'right' },
    COST_COL,
  ];
  // The top N end with everything in range, so that what the top leaves out shows.
  const withRangeTotal = (rows: Row[], label: string): Row[] =>
    rows.length ? [...rows, { kind: 'total', cells: [label, n(v.rangeTotals.totalTokens), costCell(v.rangeTotals)] }] : rows;
  const rangeText = `${dateTime(v.range.from, c.tz).slice(0, 10)} – ${v.range.to === null ? 'now' : dateTime(v.range.to - 1, c.tz).slice(0, 10)}`;
  blocks.push(
    { kind: 'heading', text: `Top projects (${rangeText})` },
    {
      kind: 'table',
      table: {
        columns: topCols('Project', 'start'),
        rows: withRangeTotal(
          v.topProjects.map((p) => ({ cells: [p.project, n(p.totalTokens), costCell(p)] })),
          'All projects',
        ),
      },
    },
    { kind: 'heading', text: `Top models (${rangeText})` },
    {
      kind: 'table',
      table: {
        columns: topCols('Model', 'end'),
        rows: withRangeTotal(
          v.topModels.map((m) => ({ cells: [m.modelName, n(m.totalTokens), costCell(m)] })),
          'All models',
        ),
      },
    },
    { kind: 'heading', text: 'Recent failures' },
    failuresBlock(v.failures, c),
  );
  if (v.skippedLines.total > 0) blocks.push({ kind: 'note', style: 'yellow', text: skippedNote(v.skippedLines) });
  return [...blocks, ...unpricedNotes(v.unpriced)];
}

/** The failures as a table (time, profile, session, what), or a green "None.". */
export function failuresBlock(failures: Failure[], c: Pick<Ctx, 'now' | 'tz'>): DocBlock {
  if (!failures.length) return { kind: 'note', text: 'None.', style: 'green' };
  const cols: Column[] = [{ header: 'Time' }, { header: 'Profile', shrink: true }, { header: 'Session' }, { header: 'What', shrink: true }];
  const rows = failures.map((f) => ({
    cells: [dateTime(f.ts, c.tz), f.profile, (f.sessionId ?? '—').slice(0, 8), { text: failureText(f, c), style: 'red' as const }],
  }));
  return { kind: 'table', table: { columns: cols, rows } };
}

function failureText(f: Failure, c: Pick<Ctx, 'now' | 'tz'>): string {
  if (f.kind === 'usage_limit') return `usage limit, resets ${resetText(f.resetAt, c.now, c.tz)}`;
  if (f.kind === 'api_error') return f.error ?? 'API error';
  return `StopFailure: ${f.error ?? 'unknown'}`;
}

/** What each skip reason (lib/transcripts' SkipReason, or the report's UNRECORDED) means. */
const SKIP_LABEL: Record<string, string> = {
  malformed_json: 'malformed JSON',
  over_10_mib: 'over 10 MiB',
  bad_token_count: 'null or negative token counts',
  unknown_type: 'unknown type',
  missing_field: 'no id or timestamp',
  time_out_of_range: 'time out of range',
  [UNRECORDED]: 'reason not recorded',
};

/** e.g. "34 transcript lines skipped in 2 files: 30 malformed JSON, 4 over 10 MiB (…)". */
function skippedNote(s: SkippedLines): string {
  const reasons = Object.entries(s.byReason)
    .sort(([ra, a], [rb, b]) => b - a || byText(ra, rb))
    .map(([reason, count]) => `${int(count)} ${SKIP_LABEL[reason] ?? reason}`);
  const files = s.files.length === 1 ? '1 file' : `${int(s.files.length)} files`;
  return `${int(s.total)} transcript lines skipped in ${files}: ${reasons.join(', ')} (see $CCX_HOME/logs/consolidator.log)`;
}

export function blocksDoc(v: BlocksView, c: Ctx): DocBlock[] {
  const limit = v.tokenLimit;
  const agent = agentColumn(
    v.blocks.map((b) => b.profile),
    c.agentOf,
  );
  const cols: Column[] = [
    { header: 'Block start' },
    { header: 'Status' },
    { header: 'Profile', shrink: true },
    ...agent.columns,
    { header: 'Requests', align: 'right', wide: true },
    { header: 'Models', wide: true, shrink: true, cut: 'list' },
    { header: 'Tokens', align: 'right' },
    ...(limit === null ? [] : [{ header: '% of limit', align: 'right' } as const]),
    COST_COL,
  ];
  const ofLimit = (tokens: number): Cell[] => {
    if (limit === null) return [];
    const p = (100 * tokens) / limit;
    return [{ text: pct(p), style: pctColor(p) }];
  };
  const rows: Row[] = [];
  for (const b of v.blocks) {
    const status: Cell = b.active
      ? { text: `ACTIVE, ${durationToMinute(b.end - c.now)} left`, style: 'green' }
      : `ended ${dateTime(b.end, c.tz).slice(11)}`;
    rows.push({
      cells: [
        dateTime(b.start, c.tz),
        status,
        b.profile,
        ...agent.cells(b.profile),
        n(b.requests),
        b.models.map((m) => m.modelName).join(', '),
        n(b.usage.totalTokens),
        ...ofLimit(b.usage.totalTokens),
        costCell(b.usage),
      ],
    });
    if (c.args.breakdown) {
      const pad = limit === null ? [] : [''];
      rows.push(
        ...b.models.map(
          (m): Row => ({ kind: 'sub', cells: ['', '', `└ ${m.modelName}`, ...agent.pad, '', '', n(m.totalTokens), ...pad, costCell(m)] }),
        ),
      );
    }
  }
  if (v.blocks.length) {
    const pad = limit === null ? [] : [''];
    rows.push({
      kind: 'total',
      cells: ['Total', '', '', ...agent.pad, n(v.requests), '', n(v.totals.totalTokens), ...pad, costCell(v.totals)],
    });
  }
  const hours = c.args.sessionHours;
  const blocks: DocBlock[] = [
    { kind: 'heading', text: `${hours === 5 ? '5-hour' : `${hours}-hour`} blocks (${c.tz})` },
    { kind: 'table', table: { columns: cols, rows } },
  ];
  if (c.args.tokenLimit === 'max' && limit === null)
    blocks.push({ kind: 'note', text: '--token-limit max: no finished block to take the maximum of' });
  for (const b of v.blocks) {
    if (!b.burn) continue;
    const projected = limit === null ? '' : ` (${pct((100 * b.burn.projectedTokens) / limit)} of the ${int(limit)} token limit)`;
    blocks.push({
      kind: 'note',
      style: limit !== null && b.burn.projectedTokens > limit ? 'red' : 'cyan',
      text: `${b.profile} active block: ${int(b.burn.tokensPerMinute)} tokens/min, ${usd(b.burn.costPerHour)}/h; projected by ${dateTime(b.end, c.tz).slice(11)}: ${int(b.burn.projectedTokens)} tokens${projected}, ${usd(b.burn.projectedCost)}`,
    });
  }
  return blocks;
}

export function sessionsDoc(v: SessionsView, c: Pick<Ctx, 'tz' | 'agentOf'>): DocBlock[] {
  const agent = agentColumn(
    v.sessions.map((s) => s.profile),
    c.agentOf,
  );
  const cols: Column[] = [
    { header: 'Last seen' },
    { header: 'Profile', shrink: true },
    ...agent.columns,
    { header: 'Session' },
    { header: 'Status' },
    { header: 'Turns', align: 'right' },
    { header: 'Failed', align: 'right' },
    { header: 'Compact', align: 'right', wide: true },
    { header: 'Duration', align: 'right' },
    { header: 'Tokens', align: 'right', wide: true },
    COST_COL,
    { header: 'Error', wide: true, shrink: true },
  ];
  const STATUS_STYLE: Record<string, Style> = { failed: 'red', running: 'cyan', completed: 'green' };
  const rows: Row[] = v.sessions.map((s) => ({
    cells: [
      s.lastSeenAt === null ? '—' : dateTime(s.lastSeenAt, c.tz),
      s.profile,
      ...agent.cells(s.profile),
      s.sessionId.slice(0, 8),
      { text: s.status, style: STATUS_STYLE[s.status] },
      n(s.turns),
      s.failedTurns ? { text: n(s.failedTurns), style: 'red' as const } : '0',
      n(s.compactions),
      s.durationMs === null ? '—' : durationToMinute(s.durationMs),
      n(s.usage.totalTokens),
      costCell(s.usage),
      s.failureError ?? '',
    ] as Cell[],
  }));
  if (rows.length) {
    const t = v.totals;
    rows.push({
      kind: 'total',
      cells: [
        'Total',
        ...agent.pad,
        '',
        '',
        '',
        n(t.turns),
        n(t.failedTurns),
        n(t.compactions),
        '',
        n(t.usage.totalTokens),
        costCell(t.usage),
        '',
      ],
    });
  }
  return [
    { kind: 'heading', text: `Sessions (${c.tz})` },
    { kind: 'table', table: { columns: cols, rows } },
  ];
}

export function sessionListDoc(v: SessionListView, c: Ctx): DocBlock[] {
  const agent = agentColumn(
    v.sessions.map((s) => s.profile),
    c.agentOf,
  );
  const cols: Column[] = [
    { header: 'Last activity' },
    { header: 'Profile', shrink: true },
    ...agent.columns,
    { header: 'Session' },
    { header: 'Project', shrink: true, cut: 'start' },
    { header: 'Models', wide: true, shrink: true, cut: 'list' },
    ...USAGE_COLS,
  ];
  const rows: Row[] = [];
  for (const s of v.sessions) {
    rows.push({
      cells: [
        dateTime(s.lastActivity, c.tz),
        s.profile,
        ...agent.cells(s.profile),
        s.sessionId.slice(0, 8),
        s.project,
        s.models.map((m) => m.modelName).join(', '),
        ...usageCells(s),
      ],
    });
    if (c.args.breakdown) rows.push(...modelRows(s.models, 3 + agent.pad.length, 5 + agent.pad.length));
  }
  rows.push(totalRow(5 + agent.pad.length, v.totals));
  return [
    { kind: 'heading', text: `Usage by session (${c.tz})` },
    { kind: 'table', table: { columns: cols, rows } },
  ];
}

export function sessionDetailDoc(v: SessionDetailView, c: Ctx): DocBlock[] {
  const t = v.telemetry;
  const kv: [string, string][] = [
    ['Session', v.sessionId],
    ['Profile', v.profile],
    // Not for a Claude-only user: their detail stays as it was.
    ...(c.agentOf && c.agentOf(v.profile) !== 'claude' ? [['Agent', AGENT_NAME[c.agentOf(v.profile)]] as [string, string]] : []),
    ['Project', v.projects.join(', ') || t?.cwd || '—'],
  ];
  if (t) {
    kv.push(
      ['Status', `${t.status}${t.endReason ? ` (${t.endReason})` : ''}`],
      ['Started', t.startedAt === null ? '—' : dateTime(t.startedAt, c.tz)],
      ['Last seen', t.lastSeenAt === null ? '—' : dateTime(t.lastSeenAt, c.tz)],
      ['Duration', t.durationMs === null ? '—' : durationToMinute(t.durationMs)],
      ['Turns', `${int(t.turns)} (${int(t.failedTurns)} failed), ${int(t.compactions)} compactions`],
      ['Model', t.model ?? '—'],
    );
    if (t.claudeCodeCostUsd !== null) kv.push(['Claude Code cost', usd(t.claudeCodeCostUsd)]);
  }
  kv.push(['Tokens', int(v.usage.totalTokens)], ['Cost (ccx)', `${usd(v.usage.totalCost)}${v.usage.unpricedModels.length ? '*' : ''}`]);
  const blocks: DocBlock[] = [
    { kind: 'heading', text: `Session ${v.sessionId}` },
    {
      kind: 'table',
      table: { columns: [{ header: 'Field' }, { header: 'Value', shrink: true }], rows: kv.map(([k, val]) => ({ cells: [k, val] })) },
    },
    { kind: 'heading', text: 'By model' },
    {
      kind: 'table',
      table: {
        columns: [{ header: 'Model', shrink: true }, ...USAGE_COLS],
        rows: v.models.map((m) => ({ cells: [m.modelName, ...usageCells(m)] })),
      },
    },
  ];
  if (v.failures.length) {
    blocks.push(
      { kind: 'heading', text: 'Failures' },
      {
        kind: 'table',
        table: {
          columns: [{ header: 'Time' }, { header: 'What', shrink: true }],
          rows: v.failures.map((f) => ({
            cells: [
              dateTime(f.ts, c.tz),
              f.kind === 'usage_limit'
                ? `usage limit, resets ${resetText(f.resetAt, c.now, c.tz)}`
                : `StopFailure: ${f.error ?? 'unknown'}`,
            ],
          })),
        },
      },
    );
  }
  return blocks;
}
