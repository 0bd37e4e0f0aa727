// Scan benchmark against ccusage: npm run bench:scan -- DIR
// DIR is a corpus from gen-fixture (DIR/profile-*/projects/...) or one config dir (DIR/projects).
// Phases: cold ingest (empty DB) + report, warm pass (nothing changed) + report, pass after
// appending to 1 % of the files + report. Each is timed against `ccusage daily --json --offline`
// (ccusage@20.0.24 native build, installed on demand into .cache/ccusage) on the same corpus,
// alternating runs. Each ccx run is a child process, so its peak RSS is its own, and it runs
// the product's own path: a consolidation scan, the rollup refresh, then `ccx-report daily
// --json` (lib/report, in-process) — what a user gets from the command.
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { profileConfigSchema, type Profile } from '../lib/contracts/profile';
import { loadPrices, promptClasses } from '../lib/pricing/prices';
import { openDb } from '../lib/store/open';
import { refreshRollup } from '../lib/store/rollup';
import { runReport } from '../lib/report/run';
import { listTranscripts } from '../lib/transcripts/files';
import { scanProfiles, type ScanStats } from '../lib/transcripts/scan';

const CCUSAGE_VERSION = '20.0.24';
const REPS = Number(process.env.BENCH_REPS ?? 3);
type Totals = { input: number; output: number; cacheCreation: number; cacheRead: number };
type ChildResult = { ms: number; scanMs: number; reportMs: number; stats: ScanStats; totals: Totals; usd: number; unpriced: number; maxRssMiB: number };

function configDirs(dir: string): string[] {
  if (existsSync(join(dir, 'projects'))) return [dir];
  return readdirSync(dir)
    .map((n) => join(dir, n))
    .filter((p) => existsSync(join(p, 'projects')))
    .sort();
}

function profilesOf(dirs: string[]): Profile[] {
  return dirs.map((d, i) => ({ ...profileConfigSchema.parse({ config_dir: d }), name: `p${i + 1}` }) as Profile);
}

/** The child: one scan pass and `ccx-report daily --json`, then its own figures as JSON on stdout. */
async function child(home: string, dirs: string[]): Promise<void> {
  const t0 = performance.now();
  const db = openDb(join(home, 'state.db'));
  const stats = scanProfiles(db, profilesOf(dirs), {});
  // The consolidator keeps day pieces in its own zone; the bench's zone is UTC, like ccusage's.
  refreshRollup(db, promptClasses(loadPrices(join(home, 'pricing.yaml')).prices).thresholds, 'UTC');
  db.close();
  const t1 = performance.now();
  let json = '';
  let errors = '';
  const code = await runReport({
    argv: ['daily', '--json', '--no-consolidate', '--timezone', 'UTC'],
    env: { CCX_HOME: home, HOME: home, CLAUDE_CONFIG_DIR: dirs[0] },
    clock: Date.now,
    stdout: { isTTY: false, write: (t: string) => ((json += t), true) },
    stderr: { isTTY: false, write: (t: string) => ((errors += t), true) },
    consolidate: async () => undefined,
  });
  if (code !== 0) throw new Error(`ccx-report exited ${code}: ${errors}`);
  const t2 = performance.now();
  const j = JSON.parse(json) as { totals: { inputTokens: number; outputTokens: number; cacheCreationTokens: number; cacheReadTokens: number; totalCost: number }; unpriced?: unknown[] };
  const totals: Totals = { input: j.totals.inputTokens, output: j.totals.outputTokens, cacheCreation: j.totals.cacheCreationTokens, cacheRead: j.totals.cacheReadTokens };
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  const out: ChildResult = { ms: t2 - t0, scanMs: t1 - t0, reportMs: t2 - t1, stats, totals, usd: j.totals.totalCost, unpriced: j.unpriced?.length ?? 0, maxRssMiB: hwm ? Number(hwm[1]) / 1024 : NaN };
  process.stdout.write(JSON.stringify(out));
}

// Loaded only in the parent: the timed child runs the product path alone.
const childProcess = () => require('node:child_process') as typeof import('node:child_process');

function runCcx(home: string, dirs: string[]): ChildResult & { wallMs: number } {
  const t0 = performance.now();
  const r = childProcess().spawnSync(process.execPath, [__filename, '--child', home, ...dirs], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const wallMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(`ccx child failed: ${r.stderr}`);
  return { ...(JSON.parse(r.stdout) as ChildResult), wallMs };
}

function ccusageBinary(root: string): string {
  const prefix = join(root, '.cache', 'ccusage');
  const bin = join(prefix, 'node_modules', '@ccusage', `ccusage-${process.platform}-${process.arch}`, 'bin', 'ccusage');
  if (existsSync(bin)) return bin;
  console.log(`installing ccusage@${CCUSAGE_VERSION} into ${prefix} ...`);
  const r = childProcess().spawnSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', `ccusage@${CCUSAGE_VERSION}`], { stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(bin)) throw new Error(`could not install ccusage@${CCUSAGE_VERSION} (npm exit ${r.status}); no native binary at ${bin}`);
  return bin;
}

function runCcusage(bin: string, dirs: string[]): { wallMs: number; totals: Totals; maxRssMiB: number | null } {
  const env = { ...process.env, CLAUDE_CONFIG_DIR: dirs.join(','), TZ: 'UTC' };
  const args = ['daily', '--json', '--offline'];
  // GNU time, when present, gives the child's peak RSS.
  const gnuTime = existsSync('/usr/bin/time');
  const t0 = performance.now();
  const r = gnuTime
    ? childProcess().spawnSync('/usr/bin/time', ['-f', 'MAXRSS_KB=%M', bin, ...args], { env, encoding: 'utf8', maxBuffer: 256 << 20 })
    : childProcess().spawnSync(bin, args, { env, encoding: 'utf8', maxBuffer: 256 << 20 });
  const wallMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(`ccusage failed (exit ${r.status}): ${r.stderr.slice(0, 500)}`);
  const j = JSON.parse(r.stdout) as { totals: { inputTokens: number; outputTokens: number; cacheCreationTokens: number; cacheReadTokens: number } };
  const rss = /MAXRSS_KB=(\d+)/.exec(r.stderr ?? '');
  return {
    wallMs,
    totals: { input: j.totals.inputTokens, output: j.totals.outputTokens, cacheCreation: j.totals.cacheCreationTokens, cacheRead: j.totals.cacheReadTokens },
    maxRssMiB: rss ? Number(rss[1]) / 1024 : null,
  };
}

/** Appends one new API response (plus a prompt) to 1 % of the files. */
function appendToOnePercent(files: string[], round: number): number {
  const step = Math.max(1, Math.round(files.length / Math.max(1, Math.round(files.length * 0.01))));
  let n = 0;
  for (let i = round % step; i < files.length; i += step) {
    const ts = new Date(Date.parse('2026-03-20T00:00:00Z') + n * 1000).toISOString();
    const id = `msg_bench_${round}_${i}`;
    appendFileSync(
      files[i]!,
      JSON.stringify({ type: 'user', timestamp: ts, sessionId: 'bench', message: { role: 'user', content: 'more' } }) +
        '\n' +
        JSON.stringify({ type: 'assistant', timestamp: ts, sessionId: 'bench', cwd: '/bench', requestId: `req_bench_${round}_${i}`, message: { id, model: 'claude-sonnet-4-5-20250929', content: [{ type: 'text', text: 'ok' }], usage: { input_tokens: 7, output_tokens: 11, cache_read_input_tokens: 13, cache_creation_input_tokens: 17 } } }) +
        '\n',
    );
    n++;
  }
  return n;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
const same = (a: Totals, b: Totals) => a.input === b.input && a.output === b.output && a.cacheCreation === b.cacheCreation && a.cacheRead === b.cacheRead;

function main(): void {
  const dir = resolve(process.argv[2] ?? '');
  if (!process.argv[2] || !statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    console.error('usage: bench-scan DIR   (a corpus from gen-fixture, or a config dir holding projects/)');
    process.exit(2);
  }
  const dirs = configDirs(dir);
  const files = dirs.flatMap((d) => listTranscripts(d)).sort();
  const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
  console.log(`corpus: ${dir}: ${dirs.length} config dir(s), ${files.length} files, ${(bytes / 1024 ** 2).toFixed(1)} MiB; ${REPS} alternating reps per phase`);
  const root = resolve(__dirname, '..');
  let bin: string | null = null;
  try {
    bin = ccusageBinary(root);
    runCcusage(bin, dirs); // untimed: warms the page cache for both sides
  } catch (err) {
    console.log(`ccusage unavailable: ${(err as Error).message}`);
    bin = null;
  }
  const work = mkdtempSync(join(tmpdir(), 'ccx-bench-'));
  const db = join(work, 'state.db');
  // The report reads its profiles from config.toml: the same names the scan used.
  writeFileSync(join(work, 'config.toml'), profilesOf(dirs).map((p) => `[profiles.${p.name}]\nconfig_dir = ${JSON.stringify(p.config_dir)}\n`).join('\n'));
  const dropDb = () => ['', '-wal', '-shm'].forEach((s) => rmSync(db + s, { force: true }));
  let peak = 0;
  let verdictOk = true;

  const phase = (name: string, before: (rep: number) => void, target: number | null) => {
    const ours: number[] = [];
    const theirs: number[] = [];
    let last: (ChildResult & { wallMs: number }) | null = null;
    let cc: ReturnType<typeof runCcusage> | null = null;
    for (let rep = 0; rep < REPS; rep++) {
      before(rep);
      last = runCcx(work, dirs);
      ours.push(last.wallMs);
      peak = Math.max(peak, last.maxRssMiB);
      if (bin) {
        cc = runCcusage(bin, dirs);
        theirs.push(cc.wallMs);
      }
    }
    const o = median(ours);
    const s = last!.stats;
    let line = `${name.padEnd(7)} ccx ${fmt(o)} (scan ${fmt(last!.scanMs)}, report ${fmt(last!.reportMs)}; ${s.filesChanged} files changed, ${(s.bytesRead / 1024 ** 2).toFixed(1)} MiB read, ${s.usageRows} usage lines, ${s.skippedLines} lines skipped; peak RSS ${last!.maxRssMiB.toFixed(0)} MiB)`;
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
    phase('cold', () => dropDb(), 1.5);
    phase('warm', () => undefined, 0.1);
    let appended = 0;
    phase('append', (rep) => (appended = appendToOnePercent(files, rep)), null);
    console.log(`        (append phase: ${appended} files (1 %) grown before each ccx run)`);
    const rssOk = peak <= 300;
    verdictOk &&= rssOk;
    console.log(`peak RSS of ccx over all runs: ${peak.toFixed(0)} MiB (target <= 300 MiB: ${rssOk ? 'ok' : 'MISSED'})`);
    console.log(bin ? `verdict: ${verdictOk ? 'all targets met, totals equal' : 'SOME TARGET MISSED (see above)'}` : 'verdict: ccusage not run, no ratios');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') void child(process.argv[3]!, process.argv.slice(4));
else main();
