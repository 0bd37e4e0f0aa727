// What the command line and the environment ask of the line: the `--format` template and the
// width to fit in.
import type { Env } from '../paths';
import { FIELD_NAMES } from './fields';
import { DEFAULT_FORMAT, parseTemplate, type Template } from './layout';

/**
 * Claude Code draws the status line in a field about 3 columns narrower than `COLUMNS` and cuts
 * what overflows with "…" (anthropics/claude-code#81454); the line is fitted to what is left.
 */
const RIGHT_MARGIN = 3;

/** Columns the line may take: `COLUMNS` (Claude Code ≥ 2.1.153 sets it) less the margin; unbounded without it. */
export function lineWidth(env: Env): number {
  const cols = Number(env.COLUMNS);
  return Number.isInteger(cols) && cols > 0 ? Math.max(1, cols - RIGHT_MARGIN) : Number.POSITIVE_INFINITY;
}

/**
 * The template: `--format T` (or `--format=T`), else the default. A template that cannot be used
 * gives the default one with the problem in front, since this line is where a user will see it.
 */
export function templateOf(argv: string[]): { template: Template; problem: string | null } {
  const i = argv.findIndex((a) => a === '--format' || a.startsWith('--format='));
  if (i < 0) return { template: defaultTemplate(), problem: null };
  const arg = argv[i] ?? '';
  const format = arg === '--format' ? argv[i + 1] : arg.slice('--format='.length);
  if (format === undefined) return withProblem('--format needs a template');
  const parsed = parseTemplate(format);
  return 'unknown' in parsed ? withProblem(`--format: unknown ${parsed.unknown.join(' ')}`) : { template: parsed, problem: null };
}

const defaultTemplate = () => parseTemplate(DEFAULT_FORMAT) as Template;

function withProblem(problem: string): { template: Template; problem: string } {
  const template = defaultTemplate();
  template.lead = `⚠ ${problem} │ ${template.lead}`;
  return { template, problem };
}

/** The fields `--format` knows, for the error message. */
export const FIELD_LIST = FIELD_NAMES.map((n) => `{${n}}`).join(' ');
