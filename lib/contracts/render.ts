// A report the live consolidator renders for a ccx-report process: the process then costs one
// node start and a file read instead of loading the report and SQLite, compiling them cold and
// stat-ing the history (lib/consolidator/requests.ts carries the ask; lib/report renders it).

/**
 * Every environment variable a report reads. A rendering in another process gets these (paths
 * made absolute) and nothing else: test/rendered-report.test.ts fails when the report reads one
 * that is not listed.
 */
export const REPORT_ENV = ['TZ', 'COLUMNS', 'NO_COLOR', 'HOME', 'CLAUDE_CONFIG_DIR', 'CCX_ACTIVE_PROFILE'] as const;
/** Of REPORT_ENV, the paths: a relative one means the caller's directory, which the renderer does not share. */
export const REPORT_ENV_PATHS: readonly ReportEnvKey[] = ['HOME', 'CLAUDE_CONFIG_DIR'];

export type ReportEnvKey = (typeof REPORT_ENV)[number];

/** `--no-consolidate` waits for no consolidator, and help needs none: those are rendered by the process that runs them. */
export const mayAskLive = (argv: readonly string[]): boolean => !argv.some((a) => a === '--no-consolidate' || a === '--help' || a === '-h');

/** How long a report waits for a running consolidator's pass; past it, it shows what is committed. */
export const REPORT_WAIT_MS = 5 * 60_000;

/** Run by dist/ccx.js (`ccx report`, through the ccx link or not), the report names itself so; else `ccx-report`. */
export const reportCommandName = (script: string | undefined): string =>
  /(^|\/)ccx(\.js)?$/.test(script ?? '') ? 'ccx report' : 'ccx-report';

export type RenderAsk = {
  /** How the command names itself in its stderr lines (`ccx-report` or `ccx report`). */
  name: string;
  argv: string[];
  env: Partial<Record<ReportEnvKey, string>>;
  /** The caller's stdout: a terminal (colour) and its width. */
  tty: boolean;
  columns: number | null;
};

/** What the caller writes (to stdout, 1, or stderr, 2, in this order) and exits with, as if it had rendered the report itself. */
export type RenderResult = { code: number; writes: { fd: 1 | 2; text: string }[] };

export function isRenderAsk(v: unknown): v is RenderAsk {
  if (typeof v !== 'object' || v === null) return false;
  const a = v as Record<string, unknown>;
  const env = a.env as Record<string, unknown> | null;
  return (
    typeof a.name === 'string' &&
    Array.isArray(a.argv) &&
    a.argv.every((x) => typeof x === 'string') &&
    typeof env === 'object' &&
    env !== null &&
    Object.entries(env).every(([k, x]) => (REPORT_ENV as readonly string[]).includes(k) && typeof x === 'string') &&
    typeof a.tty === 'boolean' &&
    (a.columns === null || typeof a.columns === 'number')
  );
}
