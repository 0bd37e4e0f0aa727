// The ccx-report command as a function of its inputs: arguments, environment, clock and streams
// come in, an exit code goes out. Errors become one stderr line; stdout gets only the report.
import { existsSync, writeFileSync } from 'node:fs';
import { CliError, guarded, progressLine, termWidth, UsageError, useColor } from '../cli-kit';
import type { Profile } from '../contracts/profile';
import { megabytes } from '../format';
import { describeHomeProblem, homeProblem } from '../home-trust';
import { stopFirst } from '../lock-holder';
import { type CcxPaths, ccxHome, ccxPaths, type Env } from '../paths';
import { loadPrices } from '../pricing';
import { activeProfile, type CcxConfig, ConfigError, readConfig, watchedProfiles } from '../profiles';
import { type Db, hasHookEvents, openDbReadOnly, SCHEMA_VERSION } from '../store';
import { resolveTimeZone } from '../time';
import { agentsOf } from './agents';
import { parseArgs, type ReportArgs, USAGE } from './args';
import { buildView } from './build';
import { filtersOf, type ReportCtx } from './context';
import { htmlPage } from './page';
import { emptyReason, type HooksInstalled, NO_PROFILE, profilesInDb } from './query';
import { type DocBlock, withoutCost } from './render/doc';
import { withoutCostKeys } from './render/json';
import { renderDoc } from './render/table';

/** What the consolidation pass reports while it scans transcripts. */
export type ScanProgress = { files: number; filesTotal: number; bytes: number };

export type OutStream = { write(s: string): unknown; isTTY?: boolean; columns?: number };

export type ReportIO = {
  argv: readonly string[];
  env: Env;
  /** The clock; read once for the report's "now", and by the progress line. */
  clock: () => number;
  stdout: OutStream;
  stderr: OutStream;
  /** One consolidation pass (lib/consolidator runOnce), reporting scan progress; `zone`: the report's. */
  consolidate: (onScanProgress: (p: ScanProgress) => void, zone: string) => Promise<void>;
  /** blocks --live: the live view (lib/top, which depends on this folder, so it is handed in). */
  live?: (args: ReportArgs) => Promise<number>;
  /** Whether ccx's hooks are in a profile's settings (lib/settings ccxHooksPresent; asked only of an empty report). */
  hooksPresent: (p: Profile) => boolean | null;
  /** How the command names itself in its stderr lines: `ccx report` when run so; default `ccx-report`. */
  name?: string;
  /** The database to read, left open (the consolidator's long-lived reader); default: opened and closed by the report. */
  db?: () => Db;
};

export function runReport(io: ReportIO): Promise<number> {
  return guarded(
    io.name ?? 'ccx-report',
    (line) => io.stderr.write(line),
    () => report(io),
  );
}

async function report(io: ReportIO): Promise<number> {
  const name = io.name ?? 'ccx-report';
  const args = parseArgs(io.argv);
  if (args.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const tz = args.timezone ?? resolveTimeZone(io.env.TZ);
  const paths = ccxPaths(ccxHome(io.env));
  const problem = homeProblem(paths);
  if (problem) throw new CliError(describeHomeProblem(problem));
  if (args.live && io.live) return io.live(args);
  const config = loadConfig(paths.config);

  if (args.consolidate) {
    const progress = progressLine(name, io.stderr, io.clock);
    try {
      await io.consolidate((p) => progress.update(`reading transcripts: ${p.files}/${p.filesTotal} files, ${megabytes(p.bytes)}`), tz);
    } catch (err) {
      const fatal = dbError(err, paths);
      if (fatal) throw fatal;
      // A busy or stuck consolidator, or a home we cannot write, must not cost the user the report.
      progress.done();
      const why = isReadOnly(err) ? `${paths.home} is read-only` : `consolidation did not finish (${(err as Error).message})`;
      io.stderr.write(`${name}: ${why}; showing what is already committed\n`);
    } finally {
      progress.done();
    }
  }

  const db = io.db ? io.db() : openReadOnly(paths);
  try {
    const { prices, warnings } = loadPrices(paths.pricing);
    for (const w of warnings) io.stderr.write(`${name}: pricing: ${w}\n`);
    const allProfiles = watchedProfiles(config, io.env, (name) => hasHookEvents(db, name));
    const ctx = context(db, args, tz, io.clock(), { config, allProfiles, active: activeProfile(allProfiles, io.env) }, prices);
    const built = buildView(ctx);
    const doc = (): DocBlock[] => (args.cost ? built.doc() : withoutCost(built.doc()));
    const empty = emptyReason(db, ctx.filters, args, () => hooksInstalled(allProfiles, args.profiles, io.hooksPresent));
    if (empty) io.stderr.write(`${name}: ${empty.why}\n`);
    if (args.html !== null) {
      try {
        writeFileSync(args.html, htmlPage(ctx, doc()), { mode: 0o600 });
      } catch (err) {
        throw new CliError(`cannot write --html ${args.html}: ${(err as Error).message}`);
      }
      io.stderr.write(`${name}: wrote ${args.html}\n`);
    }
    if (args.json) io.stdout.write(`${JSON.stringify(args.cost ? built.json() : withoutCostKeys(built.json()), null, 2)}\n`);
    // Nothing recorded at all: the message says it all, an all-zero table would only hide it.
    else if (args.html === null && !empty?.nothing) {
      const color = useColor(io.stdout.isTTY === true, io.env, args.noColor);
      const width = termWidth(io.env, io.stdout.columns);
      io.stdout.write(renderDoc({ title: args.view, blocks: doc() }, { width, color, compact: args.compact }));
    }
    return 0;
  } catch (err) {
    throw dbError(err, paths) ?? err;
  } finally {
    if (!io.db) db.close();
  }
}

/** The covered profiles (--profile's, else all) split by whether ccx's hooks are in their settings; unknown counts as neither. */
function hooksInstalled(all: Profile[], named: string[], present: ReportIO['hooksPresent']): HooksInstalled {
  const covered = named.length ? all.filter((p) => named.includes(p.name)) : all;
  const states = covered.map((p) => [p.name, present(p)] as const);
  return {
    installed: states.filter(([, s]) => s === true).map(([n]) => n),
    missing: states.filter(([, s]) => s === false).map(([n]) => n),
  };
}

function loadConfig(file: string): CcxConfig {
  try {
    return readConfig(file);
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(`config: ${err.message} (fix the file; ccx profile list shows what is registered)`);
    throw err;
  }
}

function context(
  db: Db,
  args: ReportArgs,
  tz: string,
  now: number,
  home: { config: CcxConfig; allProfiles: Profile[]; active: string | null },
  prices: ReportCtx['prices'],
): ReportCtx {
  const { allProfiles } = home;
  const known = new Set([...allProfiles.map((p) => p.name), ...profilesInDb(db)]);
  for (const p of args.profiles) {
    // Which profiles exist is the config's and the database's business, not the command line's:
    // a runtime error (exit 1), as in ccx.
    if (!known.has(p))
      throw new CliError(`unknown profile "${p}" (known: ${[...known].sort().join(', ') || 'none'}; register it with ccx profile add)`);
  }
  const agentOf = agentsOf(db, allProfiles);
  const listed = args.profiles.length ? [...new Set(args.profiles)] : [...known].sort();
  const profileNames = args.agents.length ? listed.filter((p) => args.agents.includes(agentOf(p))) : listed;
  // --agent filters as a list of profiles: NO_PROFILE when no profile is that agent's.
  const filterBy = args.agents.length ? (profileNames.length ? profileNames : [...NO_PROFILE]) : args.profiles;
  return {
    db,
    prices,
    now,
    tz,
    args,
    allProfiles,
    activeProfile: home.active,
    profileNames,
    agentOf,
    suggestAcrossAgents: home.config.suggestAcrossAgents === true,
    filters: filtersOf(args, tz, filterBy),
  };
}

export function openReadOnly(paths: CcxPaths): Db {
  const path = paths.db;
  if (!existsSync(path)) throw new CliError(`no database at ${path} yet (run ccx-report without --no-consolidate, or check CCX_HOME)`);
  let db: Db | null = null;
  try {
    db = openDbReadOnly(path);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION)
      throw new CliError(`${path} has schema version ${version}, newer than this ccx (${SCHEMA_VERSION}): update ccx`);
    if (version < SCHEMA_VERSION) {
      // A consolidator of the ccx before an upgrade still holds the lock and keeps its own schema.
      const stop = stopFirst(paths, Date.now());
      throw new CliError(
        stop
          ? `${path} has an old schema (version ${version}) and a consolidator of an older ccx holds it: ${stop}ccx-report migrates it`
          : `${path} has an old schema (version ${version}): run ccx-report without --no-consolidate to migrate it`,
      );
    }
    db.prepare('SELECT 1 FROM usage LIMIT 1').get();
    return db;
  } catch (err) {
    db?.close();
    throw dbError(err, paths) ?? err;
  }
}

const READ_ONLY_CODES = new Set(['EROFS', 'EACCES', 'EPERM', 'SQLITE_READONLY']);

const isReadOnly = (err: unknown): boolean => READ_ONLY_CODES.has((err as { code?: string }).code ?? '');

/** SQLite's "not a database" / "malformed" as the one line the user needs. */
function dbError(err: unknown, paths: CcxPaths): Error | null {
  if (err instanceof CliError || err instanceof UsageError) return err;
  const code = (err as { code?: string }).code ?? '';
  if (!/^SQLITE_(NOTADB|CORRUPT)/.test(code)) return null;
  const path = paths.db;
  return new CliError(
    `${path} is corrupt (${(err as Error).message}): move it aside (${stopFirst(paths, Date.now())}mv ${path} ${path}.bad) and run ccx-report again; usage is rebuilt from the transcripts, older session telemetry is lost`,
  );
}
