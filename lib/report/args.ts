// Command-line parsing and validation. Everything the user can get wrong is caught here, before
// any consolidation or database work, as a usage error (exit 2) naming the flag and the fix.
// Flags take ccusage 20's spellings too (-j, -s, -u, -z, -b, -o, -O/--offline, --compact, --no-cost,
// -i/--instances, blocks -a/-r/-t/-n): docs/ccusage.md lists them and what is not taken.
import { flag, helpRequested, list, type Options, type Parsed, parse, str, UsageError } from '../cli-kit';
import { AGENTS, type Agent, WEEKDAYS } from '../contracts/profile';
import { assertTimeZone } from '../time';

export const VIEWS = ['summary', 'daily', 'weekly', 'monthly', 'session', 'blocks', 'quota', 'sessions'] as const;
export type ViewName = (typeof VIEWS)[number];
export type Order = 'asc' | 'desc';

export type ReportArgs = {
  view: ViewName;
  /** Inclusive local days, YYYY-MM-DD. */
  since: string | null;
  until: string | null;
  profiles: string[];
  /** --agent: usage of these agents' profiles only (empty: every agent). */
  agents: Agent[];
  project: string | null;
  model: string | null;
  timezone: string | null;
  breakdown: boolean;
  order: Order;
  /** 0 = Sunday. */
  startOfWeek: number;
  id: string | null;
  json: boolean;
  html: string | null;
  noColor: boolean;
  consolidate: boolean;
  /** --compact: the narrow-terminal table layout at any width. */
  compact: boolean;
  /** --no-cost: no costs, in the tables or the JSON. */
  cost: boolean;
  /** --instances: daily/weekly/monthly rows per project too. */
  instances: boolean;
  /** blocks: --active (the active block only), --recent (the last 3 days). */
  active: boolean;
  recent: boolean;
  /** blocks --token-limit N|max: tokens a block is measured against ("max": the largest past block). */
  tokenLimit: number | 'max' | null;
  /** blocks --session-length H: block length in hours (default 5, as Anthropic bills). */
  sessionHours: number;
  /** blocks --live: `ccx top`'s live view (ccusage's old spelling). */
  live: boolean;
  help: boolean;
};

const COMMON: Options = {
  since: { type: 'string', short: 's' },
  until: { type: 'string', short: 'u' },
  profile: { type: 'string', multiple: true },
  agent: { type: 'string', multiple: true },
  project: { type: 'string', short: 'p' },
  model: { type: 'string' },
  timezone: { type: 'string', short: 'z' },
  breakdown: { type: 'boolean', short: 'b' },
  order: { type: 'string', short: 'o', choices: ['asc', 'desc'] },
  'start-of-week': { type: 'string', short: 'w' },
  id: { type: 'string' },
  json: { type: 'boolean', short: 'j' },
  html: { type: 'string' },
  'no-color': { type: 'boolean' },
  consolidate: { type: 'boolean', negatable: true },
  cost: { type: 'boolean', negatable: true },
  compact: { type: 'boolean' },
  // ccusage fetches prices unless --offline; ccx never goes online, so both spellings are no-ops.
  offline: { type: 'boolean', short: 'O', negatable: true },
  instances: { type: 'boolean' },
  active: { type: 'boolean', short: 'a' },
  recent: { type: 'boolean', short: 'r' },
  'token-limit': { type: 'string', short: 't' },
  'session-length': { type: 'string', short: 'n' },
  live: { type: 'boolean' },
};
/** ccusage's -i is --id under `session` and --instances elsewhere; the view comes first, as there. */
const SESSION_OPTIONS: Options = { ...COMMON, id: { type: 'string', short: 'i' } };
const OTHER_OPTIONS: Options = { ...COMMON, instances: { type: 'boolean', short: 'i' } };

/** Flags that mean something for some views only: anywhere else they are a usage error. */
const ONLY_FOR: Record<string, { views: readonly ViewName[]; example: string }> = {
  id: { views: ['session'], example: 'ccx-report session --id ID' },
  instances: { views: ['daily', 'weekly', 'monthly'], example: 'ccx-report daily --instances' },
  active: { views: ['blocks'], example: 'ccx-report blocks --active' },
  recent: { views: ['blocks'], example: 'ccx-report blocks --recent' },
  'token-limit': { views: ['blocks'], example: 'ccx-report blocks --token-limit max' },
  'session-length': { views: ['blocks'], example: 'ccx-report blocks --session-length 5' },
  live: { views: ['blocks'], example: 'ccx-report blocks --live, or ccx top' },
};

export function defaultArgs(): ReportArgs {
  return {
    view: 'summary',
    since: null,
    until: null,
    profiles: [],
    agents: [],
    project: null,
    model: null,
    timezone: null,
    breakdown: false,
    order: 'asc',
    startOfWeek: 1, // Monday, as ccusage and ISO 8601
    id: null,
    json: false,
    html: null,
    noColor: false,
    consolidate: true,
    compact: false,
    cost: true,
    instances: false,
    active: false,
    recent: false,
    tokenLimit: null,
    sessionHours: 5,
    live: false,
    help: false,
  };
}

export function parseArgs(argv: readonly string[]): ReportArgs {
  const d = defaultArgs();
  // Help wins over anything else on the line, as in ccx.
  if (helpRequested(argv)) return { ...d, help: true };
  // ccusage 20's focused form, `ccusage codex daily`: an agent before the view is --agent AGENT.
  const isAgent = (w: string | undefined) => (AGENTS as readonly string[]).includes(w ?? '');
  const viewOf = (pos: readonly string[]) => (isAgent(pos[0]) ? pos[1] : pos[0]);
  const p = parse(argv, (pos) => (viewOf(pos) === 'session' ? SESSION_OPTIONS : OTHER_OPTIONS), { min: 0, max: 2, names: '' });
  const namespace = isAgent(p.positionals[0]) ? (p.positionals[0] as Agent) : null;
  if (p.positionals.length > (namespace ? 2 : 1))
    throw new UsageError(`unexpected argument ${JSON.stringify(p.positionals[namespace ? 2 : 1])}`);
  const view = viewOf(p.positionals) ?? d.view;
  if (!(VIEWS as readonly string[]).includes(view)) throw new UsageError(`unknown view "${view}" (views: ${VIEWS.join(', ')})`);
  const opt = <T>(name: string, convert: (v: string) => T): T | null => {
    const v = str(p, name);
    if (v === undefined) return null;
    if (v === '') throw new UsageError(`--${name} needs a value`);
    return convert(v);
  };
  const a: ReportArgs = {
    view: view as ViewName,
    since: opt('since', (v) => parseDay('--since', v)),
    until: opt('until', (v) => parseDay('--until', v)),
    profiles: list(p, 'profile'),
    agents: parseAgents([...(namespace ? [namespace] : []), ...list(p, 'agent')]),
    project: opt('project', (v) => v),
    model: opt('model', (v) => v),
    timezone: opt('timezone', parseZone),
    breakdown: flag(p, 'breakdown'),
    order: (str(p, 'order') as Order | undefined) ?? d.order,
    startOfWeek: opt('start-of-week', parseWeekday) ?? d.startOfWeek,
    id: opt('id', (v) => v),
    json: flag(p, 'json'),
    html: opt('html', (v) => v),
    noColor: flag(p, 'no-color'),
    consolidate: p.values.consolidate !== false,
    compact: flag(p, 'compact'),
    cost: p.values.cost !== false,
    instances: flag(p, 'instances'),
    active: flag(p, 'active'),
    recent: flag(p, 'recent'),
    tokenLimit: opt('token-limit', parseTokenLimit),
    sessionHours: opt('session-length', parseHours) ?? d.sessionHours,
    live: flag(p, 'live'),
    help: false,
  };
  if (a.since && a.until && a.since > a.until) {
    throw new UsageError(`--since ${a.since} is after --until ${a.until} (swap them)`);
  }
  checkViewFlags(p, a.view);
  // The live view is lib/top's, which narrows by profile only: refused rather than ignored.
  if (a.live && a.agents.length) throw new UsageError('--agent does not apply to --live (ccx top --profile NAME shows one profile)');
  return a;
}

function checkViewFlags(p: Parsed, view: ViewName): void {
  for (const [name, only] of Object.entries(ONLY_FOR)) {
    if (p.values[name] === undefined || only.views.includes(view)) continue;
    const where = only.views.length === 1 ? `the ${only.views[0]} view` : `the ${only.views.join(', ')} views`;
    throw new UsageError(`--${name} only applies to ${where} (${only.example})`);
  }
}

/** YYYY-MM-DD or YYYYMMDD, a real calendar day; returned as YYYY-MM-DD. */
export function parseDay(flag: string, v: string): string {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(v);
  const bad = () => new UsageError(`${flag} ${v}: not a date (use YYYY-MM-DD or YYYYMMDD)`);
  if (!m || (v.includes('-') && v.length !== 10)) throw bad();
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) throw bad();
  return `${m[1]}-${m[2]}-${m[3]}`;
}

/** `--agent codex --agent claude` or `--agent codex,claude`, each one of AGENTS; no repeats. */
function parseAgents(given: string[]): Agent[] {
  const out = new Set<Agent>();
  for (const v of given.flatMap((g) => g.split(','))) {
    const a = v.trim();
    if (!(AGENTS as readonly string[]).includes(a))
      throw new UsageError(`--agent ${v || '""'}: use ${AGENTS.join(', ')} (repeatable, or a comma list)`);
    out.add(a as Agent);
  }
  return [...out];
}

function parseZone(v: string): string {
  try {
    assertTimeZone(v);
  } catch (err) {
    throw new UsageError(`--timezone: ${(err as Error).message}`);
  }
  return v;
}

/** A positive whole number of tokens, or "max": the largest block seen. */
function parseTokenLimit(v: string): number | 'max' {
  if (v === 'max') return v;
  const n = Number(v);
  if (!/^\d+$/.test(v) || n <= 0) throw new UsageError(`--token-limit ${v}: give a number of tokens (500000) or max`);
  return n;
}

/** Hours, more than 0 and at most a day (fractions allowed: 2.5). */
function parseHours(v: string): number {
  const h = Number(v);
  if (!/^\d+(\.\d+)?$/.test(v) || h <= 0 || h > 24)
    throw new UsageError(`--session-length ${v}: give hours, more than 0 and at most 24 (default 5)`);
  return h;
}

function parseWeekday(v: string): number {
  const i = (WEEKDAYS as readonly string[]).indexOf(v.toLowerCase());
  if (i < 0) throw new UsageError(`--start-of-week ${v}: use one of ${WEEKDAYS.join(', ')}`);
  return i;
}

export const USAGE = `usage: ccx-report [AGENT] [VIEW] [flags]

views:
  (none)    summary: today, this week, 30 days per profile; quota; top projects
            and models; failures
  daily     usage per local day and profile
  weekly    per week (-w/--start-of-week DAY, default monday)
  monthly   per month and profile
  session   per session, or one with -i/--id ID
  blocks    5-hour billing blocks, the active one with burn rate and projection
  quota     5 h and weekly windows, bands, reset times, suggestion
  sessions  session telemetry: status, turns, compactions, failures, duration
  AGENT (claude, codex, opencode) before the view: that agent's profiles only,
  as ccusage's \`ccusage codex daily\` (the same as --agent AGENT)

filters (every view):
  -s/--since DAY, -u/--until DAY  inclusive, YYYY-MM-DD or YYYYMMDD, local days
  --profile NAME            repeatable
  --agent AGENT             claude, codex or opencode: its profiles only
                            (repeatable, or a comma list)
  -p/--project PATH|NAME    a project's full path or its last path segment
  --model TEXT              models whose id contains TEXT (case-insensitive)
  -z/--timezone ZONE        IANA zone for local days (default: the system zone)
  -b/--breakdown            per-model rows
  -o/--order asc|desc       time order (default asc)

daily, weekly, monthly:
  -i/--instances            rows per project as well (ccusage's instances)

blocks:
  -a/--active               the active block only
  -r/--recent               blocks of the last 3 days, and the active one
  -t/--token-limit N|max    tokens as a % of N ("max": the largest past block)
  -n/--session-length H     block length in hours (default 5)
  --live                    the live view, refreshing (the same as ccx top)

output:
  -j/--json                 machine-readable (docs/report-json.md), stdout only
  --html FILE               a self-contained HTML report
  --compact                 the narrow table layout (under 100 columns) always
  --no-cost                 no costs: no Cost columns, no cost keys in the JSON
  --no-color                no colour (also with NO_COLOR, or when piped)
  --no-consolidate          read the database as it is, no consolidation first
  -O/--offline              accepted, as in ccusage: ccx never fetches anything

ccusage's spellings, and what ccx does not take: docs/ccusage.md
`;
