// Scan benchmark: npm run bench:scan [-- DIR] [--size 256MiB] [--growth]
// Without DIR: two corpora from gen-fixture, one per shape (tools: tool-result-heavy files; chat:
// ~4x denser in API responses), made once into .cache/bench-corpus/. DIR: a gen-fixture corpus
// (DIR/profile-*/projects/...) or one config dir (DIR/projects).
// Per corpus: cold ingest (empty DB) + report and the pass after appending to 1 % of the files,
// each against `ccusage daily --json --offline` (ccusage@20.0.24 native build, installed on demand
// into .cache/ccusage); warm reports (nothing changed: daily, daily in a +05:30 zone, --project,
// the summary), without and with a live consolidator (which vouches for an unchanged history),
// against `node -e 0`, the floor of any node CLI. Runs alternate, medians compared.
// The ccx side is what a user runs: `ccx-report … --json` (a consolidation pass, then the report)
// as its own process, peak RSS from GNU time when present. Growth: state.db bytes per GiB of
// transcripts and per 100k hook events; --growth adds 1 GiB and 4 GiB corpora of both shapes and
// prints the same four warm reports' times on each, and the peak memory of one 800 MB transcript.
import {
  appendFileSync,
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { InboxRecord } from '../lib/contracts/inbox';
import { newEventId } from '../lib/inbox';
import { listTranscripts } from '../lib/transcripts';
import { generate, parseSize, type Shape } from './gen-fixture';

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

function runCcx(work: string, args: string[] = ['daily', '--timezone', 'UTC']): CcxResult {
  const db = join(work, 'state.db');
  const before = ledger(db);
  const env = { PATH: process.env.PATH, HOME: work, CCX_HOME: work, TZ: 'UTC' };
  const { r, wallMs, maxRssMiB } = timed(process.execPath, [join(DIST, 'ccx-report.js'), ...args, '--json'], env);
  if (r.status !== 0) throw new Error(`ccx-report ${args.join(' ')} failed (exit ${r.status}): ${r.stderr}`);
  const j = JSON.parse(r.stdout) as {
    totals?: { inputTokens: number; outputTokens: number; cacheCreationTokens: number; cacheReadTokens: number; totalCost: number };
    unpriced?: unknown[];
  };
  const t = j.totals ?? { inputTokens: 0, outputTokens: 0, cacheCreationTokens: 0, cacheReadTokens: 0, totalCost: 0 };
  const totals: Totals = {
    input: t.inputTokens,
    output: t.outputTokens,
    cacheCreation: t.cacheCreationTokens,
    cacheRead: t.cacheReadTokens,
  };
  return { wallMs, totals, usd: t.totalCost, unpriced: j.unpriced?.length ?? 0, maxRssMiB, before, after: ledger(db) };
}

const sleepMs = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * `during` with a consolidator running in `work` (as the hooks keep one alive while Claude Code
 * works): it vouches for an unchanged history, so a warm report skips its pass. One untimed
 * report first, so that the daemon has made its clean pass.
 */
function withDaemon(work: string, during: () => void): void {
  const env = { PATH: process.env.PATH, HOME: work, CCX_HOME: work, TZ: 'UTC', CCX_IDLE_MS: '600000' };
  const daemon = childProcess().spawn(process.execPath, [join(DIST, 'consolidator.js')], { env, stdio: 'ignore' });
  try {
    for (let i = 0; i < 100 && !existsSync(join(work, 'consolidator.pid')); i++) sleepMs(50);
    runCcx(work);
    during();
  } finally {
    daemon.kill('SIGTERM');
    for (let i = 0; i < 200 && existsSync(join(work, 'consolidator.pid')); i++) sleepMs(50);
  }
}

/** The floor: a node process that does nothing. */
const runNode0 = (): number => timed(process.execPath, ['-e', '0'], { PATH: process.env.PATH }).wallMs;

function ccusageBinary(root: string): string {
  const prefix = join(root, '.cache', 'ccusage');
  const bin = join(prefix, 'node_modules', '@ccusage', `ccusage-${process.platform}-${process.arch}`, 'bin', 'ccusage');
  if (existsSync(bin)) return executable(bin);
  console.log(`installing ccusage@${CCUSAGE_VERSION} into ${prefix} ...`);
  const r = childProcess().spawnSync(
    'npm',
    ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', `ccusage@${CCUSAGE_VERSION}`],
    { stdio: 'inherit' },
  );
  if (r.status !== 0 || !existsSync(bin))
    throw new Error(`could not install ccusage@${CCUSAGE_VERSION} (npm exit ${r.status}); no native binary at ${bin}`);
  return executable(bin);
}

/** npm leaves the native binary without its x bit; ccusage's own launcher sets it on first run, and so do we (we skip the launcher's node start). */
function executable(bin: string): string {
  if ((statSync(bin).mode & 0o111) === 0) chmodSync(bin, 0o755);
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
const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
const same = (a: Totals, b: Totals) =>
  a.input === b.input && a.output === b.output && a.cacheCreation === b.cacheCreation && a.cacheRead === b.cacheRead;
const dbBytes = (work: string) =>
  ['state.db', 'state.db-wal'].reduce((n, f) => n + (statSync(join(work, f), { throwIfNoEntry: false })?.size ?? 0), 0);

type Corpus = { name: string; dir: string };

/** A temp CCX_HOME whose config.toml registers `dirs` (ccx-report reads its profiles from it). */
function workHome(dirs: string[]): string {
  const work = mkdtempSync(join(tmpdir(), 'ccx-bench-'));
  writeFileSync(join(work, 'config.toml'), dirs.map((d, i) => `[profiles.p${i + 1}]\nconfig_dir = ${JSON.stringify(d)}\n`).join('\n'));
  return work;
}

/** The warm reports every corpus is timed on: daily, daily in a +05:30 zone, --project, the summary. */
function warmViews(work: string): { name: string; args: string[] }[] {
  const db = new Database(join(work, 'state.db'), { readonly: true });
  const project = db.prepare('SELECT project FROM usage LIMIT 1').pluck().get() as string;
  db.close();
  return [
    { name: 'daily', args: ['daily', '--timezone', 'UTC'] },
    { name: 'daily +05:30', args: ['daily', '--timezone', 'Asia/Kolkata'] },
    { name: 'daily --project', args: ['daily', '--timezone', 'UTC', '--project', project] },
    { name: 'summary', args: ['--timezone', 'UTC'] },
  ];
}

/** A warm report (nothing changed since the last pass) against `node -e 0`, alternating: medians. */
function warmVsNode(work: string, args: string[], bench: Bench): { ccx: number; floor: number; ratio: number } {
  const ours: number[] = [];
  const floor: number[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    const r = runCcx(work, args);
    ours.push(r.wallMs);
    if (r.maxRssMiB !== null) bench.peak = Math.max(bench.peak ?? 0, r.maxRssMiB);
    floor.push(runNode0());
  }
  return { ccx: median(ours), floor: median(floor), ratio: median(ours) / median(floor) };
}

/** A gen-fixture corpus of this shape and size, made once and kept in .cache/bench-corpus/. */
function corpusOf(shape: Shape, size: number): Corpus {
  const name = `${shape}-${mib(size).replace(' ', '')}`;
  const dir = join(ROOT, '.cache', 'bench-corpus', name);
  const done = join(dir, '.complete');
  if (!existsSync(done)) {
    rmSync(dir, { recursive: true, force: true });
    console.log(`generating the ${shape} corpus (${mib(size)}) into ${dir} ...`);
    generate({ out: dir, size, profiles: 1, seed: 1, shape });
    writeFileSync(done, '');
  }
  return { name, dir };
}

type Bench = { bin: string | null; ok: boolean; peak: number | null };

function benchCorpus(corpus: Corpus, bench: Bench): void {
  const dirs = configDirs(corpus.dir);
  const files = dirs.flatMap((d) => listTranscripts(d)).sort();
  const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
  console.log(
    `\n== ${corpus.name}: ${corpus.dir}: ${dirs.length} config dir(s), ${files.length} files, ${mib(bytes)}; ${REPS} alternating reps per phase`,
  );
  if (bench.bin) runCcusage(bench.bin, dirs); // untimed: warms the page cache for both sides
  const work = workHome(dirs);
  // A first run: no database, no code cache.
  const fresh = () => {
    for (const n of ['state.db', 'state.db-wal', 'state.db-shm', 'cache']) rmSync(join(work, n), { recursive: true, force: true });
  };
  const grown = new Map<string, number>();
  const verdict = (ok: boolean) => {
    bench.ok &&= ok;
    return ok ? 'ok' : 'MISSED';
  };

  /** ccx against ccusage, alternating: cold and append. */
  const vsCcusage = (name: string, before: (rep: number) => void, target: number | null) => {
    const ours: number[] = [];
    const theirs: number[] = [];
    let last: CcxResult | null = null;
    let cc: ReturnType<typeof runCcusage> | null = null;
    for (let rep = 0; rep < REPS; rep++) {
      before(rep);
      last = runCcx(work);
      ours.push(last.wallMs);
      if (last.maxRssMiB !== null) bench.peak = Math.max(bench.peak ?? 0, last.maxRssMiB);
      if (bench.bin) {
        cc = runCcusage(bench.bin, dirs);
        theirs.push(cc.wallMs);
      }
    }
    const o = median(ours);
    const { before: b, after: a } = last!;
    const changed = [...a.offsets].filter(([path, off]) => b.offsets.get(path) !== off).length;
    const rss = last!.maxRssMiB === null ? 'peak RSS unknown' : `peak RSS ${last!.maxRssMiB.toFixed(0)} MiB`;
    let line = `${name.padEnd(7)} ccx ${fmt(o)} (${changed} files changed, ${mib(a.bytes - b.bytes)} ingested, ${a.rows - b.rows} new usage rows, ${a.skipped - b.skipped} lines skipped; ${rss})`;
    if (bench.bin && cc) {
      const ratio = o / median(theirs);
      line += `\n        ccusage ${fmt(median(theirs))}${cc.maxRssMiB ? ` (peak RSS ${cc.maxRssMiB.toFixed(0)} MiB)` : ''}  ratio ${ratio.toFixed(3)}x${target !== null ? ` (target <= ${target}x: ${verdict(ratio <= target)})` : ''}`;
      const match = same(last!.totals, cc.totals);
      verdict(match);
      line += `\n        token totals ${match ? 'EQUAL to' : 'DIFFER from'} ccusage's: ccx ${JSON.stringify(last!.totals)}${match ? '' : ` ccusage ${JSON.stringify(cc.totals)}`}`;
    }
    line += `\n        ccx cost $${last!.usd.toFixed(2)}, ${last!.unpriced} unpriced models`;
    console.log(line);
  };

  const vsNode = (name: string, args: string[], target = 2) => {
    const w = warmVsNode(work, args, bench);
    console.log(
      `${name.padEnd(22)} ccx ${fmt(w.ccx)}  node -e 0 ${fmt(w.floor)}  ratio ${w.ratio.toFixed(2)}x (target <= ${target}x: ${verdict(w.ratio <= target)})`,
    );
  };

  try {
    vsCcusage('cold', fresh, 1.5);
    console.log(`state.db: ${mib(dbBytes(work))}, ${mib((dbBytes(work) / bytes) * 1024 ** 3)} per GiB of transcripts`);
    const views = warmViews(work);
    for (const v of views) vsNode(`warm ${v.name}`, v.args);
    withDaemon(work, () => {
      for (const v of views) vsNode(`  live, ${v.name}`, v.args);
    });
    let appended = 0;
    vsCcusage('append', (rep) => (appended = appendToOnePercent(files, rep, grown)), null);
    console.log(`        (append phase: ${appended} files (1 %) grown before each ccx run)`);
    hookGrowth(work);
  } finally {
    // The corpus is left as it was found.
    for (const [file, size] of grown) truncateSync(file, size);
    rmSync(work, { recursive: true, force: true });
  }
}

const HOOK_EVENTS = 20_000;

/** state.db growth per 100k hook events: a day's worth of tool calls, consolidated by one report. */
function hookGrowth(work: string): void {
  const before = dbBytes(work);
  const t0 = Date.parse('2026-03-21T00:00:00Z');
  const events = ['PreToolUse', 'PostToolUse', 'UserPromptSubmit', 'Stop'];
  const lines: string[] = [];
  for (let i = 0; i < HOOK_EVENTS; i++) {
    const event = events[i % events.length]!;
    const rec: InboxRecord = {
      v: 1,
      id: newEventId(t0 + i * 1000, i),
      kind: 'hook',
      received_at: t0 + i * 1000,
      profile: 'p1',
      config_dir: null,
      event,
      payload: {
        session_id: `bench-${Math.floor(i / 200)}`,
        hook_event_name: event,
        cwd: '/bench/project',
        transcript_path: '/bench/t.jsonl',
        tool_name: 'Bash',
        tool_input: { command: 'ls -la '.repeat(20) },
        prompt: 'please look at the failing test and fix it '.repeat(5),
      },
    };
    lines.push(JSON.stringify(rec));
  }
  writeFileSync(join(work, 'inbox.jsonl'), `${lines.join('\n')}\n`, { mode: 0o600 });
  runCcx(work, ['daily', '--timezone', 'UTC']);
  const grew = dbBytes(work) - before;
  console.log(`hook events: ${HOOK_EVENTS} consolidated, state.db +${mib(grew)} = ${mib((grew * 100_000) / HOOK_EVENTS)} per 100k events`);
}

/** Warm report times on big corpora (both shapes), so that growth with history is visible. */
function growth(bench: Bench): void {
  console.log('\n== growth: warm reports vs corpus size (ratios to node -e 0; target <= 2x)');
  for (const size of [1024 ** 3, 4 * 1024 ** 3]) {
    for (const shape of ['tools', 'chat'] as const) {
      const corpus = corpusOf(shape, size);
      const work = workHome(configDirs(corpus.dir));
      try {
        const cold = runCcx(work);
        if (cold.maxRssMiB !== null) bench.peak = Math.max(bench.peak ?? 0, cold.maxRssMiB);
        console.log(
          `${corpus.name}: cold ${fmt(cold.wallMs)} (peak RSS ${cold.maxRssMiB?.toFixed(0) ?? '?'} MiB), state.db ${mib(dbBytes(work))}`,
        );
        const views = warmViews(work);
        const alone = views.map((v) => warmVsNode(work, v.args, bench));
        const live: ReturnType<typeof warmVsNode>[] = [];
        withDaemon(work, () => {
          for (const v of views) live.push(warmVsNode(work, v.args, bench));
        });
        views.forEach((v, i) => {
          const a = alone[i]!;
          const l = live[i]!;
          const ok = a.ratio <= 2 && l.ratio <= 2;
          bench.ok &&= ok;
          console.log(
            `  ${v.name.padEnd(16)} ${fmt(a.ccx)} = ${a.ratio.toFixed(2)}x, consolidator live ${fmt(l.ccx)} = ${l.ratio.toFixed(2)}x (${ok ? 'ok' : 'MISSED'})`,
          );
        });
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    }
  }
}

const BIG_FILE = 800 * 1024 ** 2;

/**
 * Peak memory on one 800 MB transcript (the issue's worst case for bounded reading): the chat
 * corpus's files, concatenated into one session file until it is that large.
 */
function bigFile(bench: Bench): void {
  const source = corpusOf('chat', 1024 ** 3);
  const dir = mkdtempSync(join(tmpdir(), 'ccx-bench-big-'));
  try {
    const file = join(dir, 'projects', 'big', 'one.jsonl');
    mkdirSync(join(dir, 'projects', 'big'), { recursive: true });
    let size = 0;
    for (const f of configDirs(source.dir).flatMap((d) => listTranscripts(d))) {
      if (size >= BIG_FILE) break;
      const text = readFileSync(f);
      appendFileSync(file, text);
      size += text.length;
    }
    const work = workHome([dir]);
    try {
      const cold = runCcx(work);
      if (cold.maxRssMiB !== null) bench.peak = Math.max(bench.peak ?? 0, cold.maxRssMiB);
      console.log(`one ${mib(size)} file: cold ${fmt(cold.wallMs)}, peak RSS ${cold.maxRssMiB?.toFixed(0) ?? '?'} MiB (target <= 300)`);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function main(): void {
  const argv = process.argv.slice(2);
  const flagAt = (f: string) => argv.indexOf(f);
  const sizeAt = flagAt('--size');
  const size = sizeAt >= 0 ? parseSize(argv[sizeAt + 1] ?? '') : 256 * 1024 ** 2;
  const positional = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--size');
  let corpora: Corpus[];
  if (positional[0]) {
    const dir = resolve(positional[0]);
    if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
      console.error(
        'usage: bench-scan [DIR] [--size SIZE] [--growth]   (DIR: a corpus from gen-fixture, or a config dir holding projects/)',
      );
      process.exit(2);
    }
    corpora = [{ name: dir.split('/').pop()!, dir }];
  } else corpora = (['tools', 'chat'] as const).map((shape) => corpusOf(shape, size));
  const bench: Bench = { bin: null, ok: true, peak: null };
  try {
    bench.bin = ccusageBinary(ROOT);
  } catch (err) {
    console.log(`ccusage unavailable: ${(err as Error).message}`);
  }
  for (const c of corpora) benchCorpus(c, bench);
  if (flagAt('--growth') >= 0) {
    growth(bench);
    bigFile(bench);
  }
  const rssOk = bench.peak !== null && bench.peak <= 300;
  bench.ok &&= rssOk;
  console.log(
    bench.peak === null
      ? `\npeak RSS unknown (no ${GNU_TIME})`
      : `\npeak RSS of ccx over all runs: ${bench.peak.toFixed(0)} MiB (target <= 300 MiB: ${rssOk ? 'ok' : 'MISSED'})`,
  );
  console.log(
    bench.bin
      ? `verdict: ${bench.ok ? 'all targets met, totals equal' : 'SOME TARGET MISSED (see above)'}`
      : 'verdict: ccusage not run, no ratios vs ccusage',
  );
}

main();
