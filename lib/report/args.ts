// Command-line parsing and validation. Everything the user can get wrong is caught here, before
// any consolidation or database work, as a usage error (exit 2) naming the flag and the fix.
import { WEEKDAYS } from '../contracts/profile';
import { assertTimeZone } from '../time';
import { usageError } from './errors';

export const VIEWS = ['summary', 'daily', 'weekly', 'monthly', 'session', 'blocks', 'quota', 'sessions'] as const;
export type ViewName = (typeof VIEWS)[number];
export type Order = 'asc' | 'desc';

export type ReportArgs = {
  view: ViewName;
  /** Inclusive local days, YYYY-MM-DD. */
  since: string | null;
  until: string | null;
  profiles: string[];
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
  /** blocks --live: `ccx top`'s live view (ccusage's old spelling). */
  live: boolean;
  help: boolean;
};

type Spec = { takesValue: boolean; apply: (a: ReportArgs, v: string) => void };

const FLAGS: Record<string, Spec> = {
  '--since': { takesValue: true, apply: (a, v) => (a.since = parseDay('--since', v)) },
  '--until': { takesValue: true, apply: (a, v) => (a.until = parseDay('--until', v)) },
  '--profile': { takesValue: true, apply: (a, v) => a.profiles.push(v) },
  '--project': { takesValue: true, apply: (a, v) => (a.project = v) },
  '--model': { takesValue: true, apply: (a, v) => (a.model = v) },
  '--timezone': { takesValue: true, apply: (a, v) => (a.timezone = parseZone(v)) },
  '--breakdown': { takesValue: false, apply: (a) => (a.breakdown = true) },
  '--order': { takesValue: true, apply: (a, v) => (a.order = parseOrder(v)) },
  '--start-of-week': { takesValue: true, apply: (a, v) => (a.startOfWeek = parseWeekday(v)) },
  '--id': { takesValue: true, apply: (a, v) => (a.id = v) },
  '--json': { takesValue: false, apply: (a) => (a.json = true) },
  '--html': { takesValue: true, apply: (a, v) => (a.html = v) },
  '--no-color': { takesValue: false, apply: (a) => (a.noColor = true) },
  '--no-consolidate': { takesValue: false, apply: (a) => (a.consolidate = false) },
  '--live': { takesValue: false, apply: (a) => (a.live = true) },
  '--help': { takesValue: false, apply: (a) => (a.help = true) },
  '-h': { takesValue: false, apply: (a) => (a.help = true) },
};

export function defaultArgs(): ReportArgs {
  return {
    view: 'summary',
    since: null,
    until: null,
    profiles: [],
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
    live: false,
    help: false,
  };
}

export function parseArgs(argv: readonly string[]): ReportArgs {
  const a = defaultArgs();
  let viewSeen = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('-')) {
      if (viewSeen) throw usageError(`unexpected argument "${arg}" (one view at most; see --help)`);
      if (!(VIEWS as readonly string[]).includes(arg)) {
        throw usageError(`unknown view "${arg}" (views: ${VIEWS.join(', ')})`);
      }
      a.view = arg as ViewName;
      viewSeen = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const spec = FLAGS[name];
    if (!spec) throw usageError(`unknown flag ${name} (see --help)`);
    if (!spec.takesValue) {
      if (eq > 0) throw usageError(`${name} takes no value`);
      spec.apply(a, '');
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    // `--since --json` means the date was forgotten, not that the date is "--json".
    if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) throw usageError(`${name} needs a value`);
    spec.apply(a, value);
  }
  if (a.since && a.until && a.since > a.until) {
    throw usageError(`--since ${a.since} is after --until ${a.until} (swap them)`);
  }
  if (a.live && a.view !== 'blocks') throw usageError('--live only applies to the blocks view (ccx-report blocks --live, or ccx top)');
  if (a.id !== null && a.view !== 'session') throw usageError('--id only applies to the session view (ccx-report session --id ID)');
  return a;
}

/** YYYY-MM-DD or YYYYMMDD, a real calendar day; returned as YYYY-MM-DD. */
export function parseDay(flag: string, v: string): string {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(v);
  const bad = () => usageError(`${flag} ${v}: not a date (use YYYY-MM-DD or YYYYMMDD)`);
  if (!m || (v.includes('-') && v.length !== 10)) throw bad();
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) throw bad();
  return `${m[1]}-${m[2]}-${m[3]}`;
}

function parseZone(v: string): string {
  try {
    assertTimeZone(v);
  } catch (err) {
    throw usageError(`--timezone: ${(err as Error).message}`);
  }
  return v;
}

function parseOrder(v: string): Order {
  if (v !== 'asc' && v !== 'desc') throw usageError(`--order ${v}: use asc or desc`);
  return v;
}

function parseWeekday(v: string): number {
  const i = (WEEKDAYS as readonly string[]).indexOf(v.toLowerCase());
  if (i < 0) throw usageError(`--start-of-week ${v}: use one of ${WEEKDAYS.join(', ')}`);
  return i;
}

export const USAGE = `usage: ccx-report [VIEW] [flags]

views:
  (none)     summary: today, this week, 30 days per profile; quota; top projects and models; failures
  daily      usage per local day and profile          weekly   per week (--start-of-week DAY, default monday)
  monthly    per month and profile                    session  per session, or one with --id ID
  blocks     5-hour billing blocks, the active one with burn rate and projection (--live: ccx top)
  quota      5 h and weekly windows, bands, reset times, suggestion
  sessions   session telemetry: status, turns, compactions, failures, duration

filters (every view):
  --since DAY, --until DAY   inclusive, YYYY-MM-DD or YYYYMMDD, local days in --timezone
  --profile NAME             repeatable
  --project PATH|NAME        a project's full path or its last path segment
  --model TEXT               models whose id contains TEXT (case-insensitive)
  --timezone ZONE            IANA zone for local days (default: the system zone)
  --breakdown                per-model rows     --order asc|desc   time order (default asc)

output:
  --json          machine-readable (docs/report-json.md); nothing else on stdout
  --html FILE     a self-contained HTML report
  --no-color      no colour (also when NO_COLOR is set or stdout is not a terminal)
  --no-consolidate  read the database as it is, without a consolidation pass first
`;
