// Scan benchmark against ccusage: npm run bench:scan -- DIR
// DIR is a corpus from gen-fixture (DIR/profile-*/projects/...) or one config dir (DIR/projects).
// Phases: cold ingest (empty DB) + report, warm pass (nothing changed) + report, pass after
// appending to 1 % of the files + report. Each is timed against `ccusage daily --json --offline`
// (ccusage@20.0.24 native build, installed on demand into .cache/ccusage) on the same corpus,
// alternating runs. The ccx side is exactly what a user runs: `ccx-report daily --json` (one
// consolidation pass, then the report) as its own process, peak RSS from GNU time when present.
import { appendFileSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { listTranscripts } from '../lib/transcripts';

/** Built to build/scripts/bench-scan.js: the repo is two levels up, the product in its dist/. */
const ROOT = resolve(__dirname, '../..');
const DIST = join(ROOT, 'dist');

const CCUSAGE_VERSION = '20.0.24';
const REPS = Number(process.env.BENCH_REPS ?? 3);
const GNU_TIME = '/usr/bin/time';
type Totals = { input: number; output: number; cacheCreation: number; cacheRead: number };
type Ledger = { bytes: number; rows: number; skipped: number; offsets: Map<string, number> };
type CcxResult = { wallMs: number; totals: Totals; usd: number; unpriced: number; maxRssMiB: number | null; before: Ledger; after: Ledger };

function configDirs(dir: string): string[] {
  if (existsSync(join(dir, 'projects'))) return [dir];
  return readdirSync(dir)
    .map((n) => join(dir, n))
    .filter((p) => existsSync(join(p, 'projects')))
    .sort();
}

/** What the ledger holds: to say what a run ingested. */
function ledger(dbPath: string): Ledger {
  const empty: Ledger = { bytes: 0, rows: 0, skipped: 0, offsets: new Map() };
  if (!existsSync(dbPath)) return empty;
  const db = new Database(dbPath, { readonly: true });
  try {
    const cursors = db.prepare('SELECT path, "offset", skipped_lines FROM scan_cursors').raw().all() as [string, number, number][];
    return {
      bytes: cursors.reduce((n, c) => n + c[1], 0),
      rows: db.prepare('SELECT COUNT(*) FROM usage').pluck().get() as number,
      skipped: cursors.reduce((n, c) => n + c[2], 0),
      offsets: new Map(cursors.map((c) => [c[0], c[1]])),
    };
  } finally {
    db.close();
  }
}

/** Time-wrapped command: GNU time's peak RSS goes to stderr as MAXRSS_KB=. */
function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv) {
  const gnuTime = existsSync(GNU_TIME);
  const t0 = performance.now();
  const r = gnuTime
    ? childProcess().spawnSync(GNU_TIME, ['-f', 'MAXRSS_KB=%M', cmd, ...args], { env, encoding: 'utf8', maxBuffer: 256 << 20 })
    : childProcess().spawnSync(cmd, args, { env, encoding: 'utf8', maxBuffer: 256 << 20 });
  const wallMs = performance.now() - t0;
  const rss = /MAXRSS_KB=(\d+)/.exec(r.stderr ?? '');
  return { r, wallMs, maxRssMiB: rss ? Number(rss[1]) / 1024 : null };
}

// Loaded only in the parent: the timed child runs the product path alone.
const childProcess = () => require('node:child_process') as typeof import('node:child_process');

function runCcx(work: string): CcxResult {
  const db = join(work, 'state.db');
  const before = ledger(db);
  const env = { PATH: process.env.PATH, HOME: work, CCX_HOME: work, TZ: 'UTC' };
  const { r, wallMs, maxRssMiB } = timed(process.execPath, [join(DIST, 'ccx-report.js'), 'daily', '--json', '--timezone', 'UTC'], env);
  if (r.status !== 0) throw new Error(`ccx-report failed (exit ${r.status}): ${r.stderr}`);
  const j = JSON.parse(r.stdout) as {
    totals: { inputTokens: number; outputTokens: number; cacheCreationTokens: number; cacheReadTokens: number; totalCost: number };
    unpriced?: unknown[];
  };
  const totals: Totals = {
    input: j.totals.inputTokens,
    output: j.totals.outputTokens,
    cacheCreation: j.totals.cacheCreationTokens,
    cacheRead: j.totals.cacheReadTokens,
  };
  return { wallMs, totals, usd: j.totals.totalCost, unpriced: j.unpriced?.length ?? 0, maxRssMiB, before, after: ledger(db) };
}

function ccusageBinary(root: string): string {
  const prefix = join(root, '.cache', 'ccusage');
  const bin = join(prefix, 'node_modules', '@ccusage', `ccusage-${process.platform}-${process.arch}`, 'bin', 'ccusage');
  if (existsSync(bin)) return bin;
  console.log(`installing ccusage@${CCUSAGE_VERSION} into ${prefix} ...`);
  const r = childProcess().spawnSync(
    'npm',
    ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', `ccusage@${CCUSAGE_VERSION}`],
    { stdio: 'inherit' },
  );
  if (r.status !== 0 || !existsSync(bin))
    throw new Error(`could not install ccusage@${CCUSAGE_VERSION} (npm exit ${r.status}); no native binary at ${bin}`);
  return bin;
}

function runCcusage(bin: string, dirs: string[]): { wallMs: number; totals: Totals; maxRssMiB: number | null } {
  const { r, wallMs, maxRssMiB } = timed(bin, ['daily', '--json', '--offline'], {
    ...process.env,
    CLAUDE_CONFIG_DIR: dirs.join(','),
    TZ: 'UTC',
  });
  if (r.status !== 0) throw new Error(`ccusage failed (exit ${r.status}): ${r.stderr.slice(0, 500)}`);
  const j = JSON.parse(r.stdout) as {
    totals: { inputTokens: number; outputTokens: number; cacheCreationTokens: number; cacheReadTokens: number };
  };
  return {
    wallMs,
    totals: {
      input: j.totals.inputTokens,
      output: j.totals.outputTokens,
      cacheCreation: j.totals.cacheCreationTokens,
      cacheRead: j.totals.cacheReadTokens,
    },
    maxRssMiB,
  };
}

/** Makes the appended responses new to a corpus that an interrupted earlier run left grown. */
const RUN = Date.now().toString(36);

/** Appends one new API response (plus a prompt) to 1 % of the files; `grown` keeps their first sizes. */
function appendToOnePercent(files: string[], round: number, grown: Map<string, number>): number {
  const step = Math.max(1, Math.round(files.length / Math.max(1, Math.round(files.length * 0.01))));
  let n = 0;
  for (let i = round % step; i < files.length; i += step) {
    const ts = new Date(Date.parse('2026-03-20T00:00:00Z') + n * 1000).toISOString();
    const id = `msg_bench_${RUN}_${round}_${i}`;
    if (!grown.has(files[i]!)) grown.set(files[i]!, statSync(files[i]!).size);
    appendFileSync(
      files[i]!,
      JSON.stringify({ type: 'user', timestamp: ts, sessionId: 'bench', message: { role: 'user', content: 'more' } }) +
        '\n' +
        JSON.stringify({
          type: 'assistant',
          timestamp: ts,
          sessionId: 'bench',
          cwd: '/bench',
          requestId: `req_bench_${RUN}_${round}_${i}`,
          message: {
            id,
            model: 'claude-sonnet-4-5-20250929',
            content: [{ type: 'text', text: 'ok' }],
            usage: { input_tokens: 7, output_tokens: 11, cache_read_input_tokens: 13, cache_creation_input_tokens: 17 },
          },
        }) +
        '\n',
    );
    n++;
  }
  return n;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
const same = (a: Totals, b: Totals) =>
  a.input === b.input && a.output === b.output && a.cacheCreation === b.cacheCreation && a.cacheRead === b.cacheRead;

function main(): void {
  const dir = resolve(process.argv[2] ?? '');
  if (!process.argv[2] || !statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    console.error('usage: bench-scan DIR   (a corpus from gen-fixture, or a config dir holding projects/)');
    process.exit(2);
  }
  const dirs = configDirs(dir);
  const files = dirs.flatMap((d) => listTranscripts(d)).sort();
  const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
  console.log(
    `corpus: ${dir}: ${dirs.length} config dir(s), ${files.length} files, ${(bytes / 1024 ** 2).toFixed(1)} MiB; ${REPS} alternating reps per phase`,
  );
  let bin: string | null = null;
  try {
    bin = ccusageBinary(ROOT);
    runCcusage(bin, dirs); // untimed: warms the page cache for both sides
  } catch (err) {
    console.log(`ccusage unavailable: ${(err as Error).message}`);
    bin = null;
  }
  const work = mkdtempSync(join(tmpdir(), 'ccx-bench-'));
  // ccx-report reads its profiles from config.toml.
  writeFileSync(join(work, 'config.toml'), dirs.map((d, i) => `[profiles.p${i + 1}]\nconfig_dir = ${JSON.stringify(d)}\n`).join('\n'));
  // A first run: no database, no code cache.
  const fresh = () => {
    for (const n of ['state.db', 'state.db-wal', 'state.db-shm', 'cache']) rmSync(join(work, n), { recursive: true, force: true });
  };
  let peak = null as number | null; // set inside phase()
  const grown = new Map<string, number>();
  let verdictOk = true;

  const phase = (name: string, before: (rep: number) => void, target: number | null) => {
    const ours: number[] = [];
    const theirs: number[] = [];
    let last: CcxResult | null = null;
    let cc: ReturnType<typeof runCcusage> | null = null;
    for (let rep = 0; rep < REPS; rep++) {
      before(rep);
      last = runCcx(work);
      ours.push(last.wallMs);
      if (last.maxRssMiB !== null) peak = Math.max(peak ?? 0, last.maxRssMiB);
      if (bin) {
        cc = runCcusage(bin, dirs);
        theirs.push(cc.wallMs);
      }
    }
    const o = median(ours);
    const { before: b, after: a } = last!;
    const changed = [...a.offsets].filter(([path, off]) => b.offsets.get(path) !== off).length;
    const rss = last!.maxRssMiB === null ? 'peak RSS unknown' : `peak RSS ${last!.maxRssMiB.toFixed(0)} MiB`;
    let line = `${name.padEnd(7)} ccx ${fmt(o)} (${changed} files changed, ${((a.bytes - b.bytes) / 1024 ** 2).toFixed(1)} MiB ingested, ${a.rows - b.rows} new usage rows, ${a.skipped - b.skipped} lines skipped; ${rss})`;
    if (bin && cc) {
      const t = median(theirs);
      const ratio = o / t;
      const ok = target === null || ratio <= target;
      verdictOk &&= ok;
      line += `\n        ccusage ${fmt(t)}${cc.maxRssMiB ? ` (peak RSS ${cc.maxRssMiB.toFixed(0)} MiB)` : ''}  ratio ${ratio.toFixed(3)}x${target !== null ? ` (target <= ${target}x: ${ok ? 'ok' : 'MISSED'})` : ''}`;
      const match = same(last!.totals, cc.totals);
      verdictOk &&= match;
      line += `\n        token totals ${match ? 'EQUAL to' : 'DIFFER from'} ccusage's: ccx ${JSON.stringify(last!.totals)}${match ? '' : ` ccusage ${JSON.stringify(cc.totals)}`}`;
    }
    line += `\n        ccx cost $${last!.usd.toFixed(2)}, ${last!.unpriced} unpriced models`;
    console.log(line);
  };

  try {
    phase('cold', fresh, 1.5);
    phase('warm', () => undefined, 0.1);
    let appended = 0;
    phase('append', (rep) => (appended = appendToOnePercent(files, rep, grown)), null);
    console.log(`        (append phase: ${appended} files (1 %) grown before each ccx run)`);
    const rssOk = peak !== null && peak <= 300;
    verdictOk &&= rssOk;
    console.log(
      peak === null
        ? `peak RSS unknown (no ${GNU_TIME})`
        : `peak RSS of ccx over all runs: ${peak.toFixed(0)} MiB (target <= 300 MiB: ${rssOk ? 'ok' : 'MISSED'})`,
    );
    console.log(
      bin
        ? `verdict: ${verdictOk ? 'all targets met, totals equal' : 'SOME TARGET MISSED (see above)'}`
        : 'verdict: ccusage not run, no ratios',
    );
  } finally {
    // The corpus is left as it was found.
    for (const [file, size] of grown) truncateSync(file, size);
    rmSync(work, { recursive: true, force: true });
  }
}

main();
