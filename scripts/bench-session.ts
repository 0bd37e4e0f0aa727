// Session benchmark: what ccx's hooks cost a real Claude Code session. The pinned Claude Code CLI
// (installed on demand, as the e2e tests do) runs one `claude -p` turn of 12 Bash tool calls
// against the stub API, which answers every request after a fixed latency. Four profiles take
// turns, order alternating each round: no hooks (the baseline), ccx's hooks as `ccx hooks install`
// writes them, the same without PreToolUse (the share of the one event that fires per tool call),
// and ccx's registration with every command replaced by `true` (the floor: what Claude Code itself
// charges for starting hooks). A warm-up round is not counted.
// Prints the median of per-round ratios against the baseline, the added ms per tool call and the
// CPU seconds of the consolidator ccx's hooks started. Target: ccx ratio <= 1.05.
// Usage: npm run bench:session [-- --rounds N --latency MS]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ccxPaths } from '../lib/paths';
import { ccx } from '../test/e2e/ccx-helpers';
import { ensureClaude } from '../test/e2e/claude-cli';
import { makeProfile, makeSandbox, runClaude, type Sandbox } from '../test/e2e/harness';
import { startStubApi, text, toolUse } from '../test/e2e/stub-api';

const TOOL_CALLS = 12;
const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const rounds = arg('rounds', 5);
const latencyMs = arg('latency', 200);

type Variant = 'bare' | 'ccx' | 'noPre' | 'floor';

async function main(): Promise<void> {
  const claude = await ensureClaude();
  const box = makeSandbox();
  const dirs: Record<Variant, string> = { bare: box.configDir, ccx: makeProfile(box.home, '.claude-ccx'), noPre: '', floor: '' };
  ccx({ ...box, configDir: dirs.ccx }, 'profile', 'add', 'bench', '--config-dir', dirs.ccx, '--no-hooks');
  ccx({ ...box, configDir: dirs.ccx }, 'hooks', 'install', '--no-statusline');
  const ccxSettings = readFileSync(join(dirs.ccx, 'settings.json'), 'utf8');
  dirs.floor = makeProfile(box.home, '.claude-floor');
  writeFileSync(join(dirs.floor, 'settings.json'), floorSettings(ccxSettings));
  dirs.noPre = makeProfile(box.home, '.claude-no-pre');
  writeFileSync(join(dirs.noPre, 'settings.json'), withoutEvent(ccxSettings, 'PreToolUse'));

  const cpu = new Map<number, number>();
  const times: Record<Variant, number[]> = { bare: [], ccx: [], noPre: [], floor: [] };
  try {
    for (let round = 0; round <= rounds; round++) {
      const order: Variant[] = round % 2 ? ['floor', 'noPre', 'ccx', 'bare'] : ['bare', 'ccx', 'noPre', 'floor'];
      for (const v of order) {
        const ms = await session(claude, box, dirs[v]);
        sampleConsolidatorCpu(box.ccxHome, cpu);
        if (round > 0) times[v].push(ms);
      }
      process.stderr.write(`round ${round}${round ? '' : ' (warm-up)'} done\n`);
    }
  } finally {
    await box.cleanup();
  }
  report(
    times,
    [...cpu.values()].reduce((a, b) => a + b, 0),
  );
}

/** One `claude -p` turn of TOOL_CALLS Bash calls; its wall time in ms. */
async function session(claude: string, box: Sandbox, configDir: string): Promise<number> {
  const script = [...Array.from({ length: TOOL_CALLS }, (_, i) => toolUse('Bash', { command: 'echo hi' }, `Call ${i + 1}.`)), text('done')];
  const api = await startStubApi({ script, latencyMs });
  try {
    const run = await runClaude(claude, {
      ...box,
      configDir,
      apiUrl: api.url,
      prompt: 'run echo',
      extraArgs: ['--allowedTools', 'Bash(echo hi)'],
    });
    if (run.code !== 0 || api.pending() > 0) throw new Error(`claude exited ${run.code}, ${api.pending()} replies unused: ${run.stderr}`);
    return run.ms;
  } finally {
    await api.close();
  }
}

/** ccx's registration with every hook command replaced by a no-op, its sync/async kept. */
function floorSettings(ccxSettings: string): string {
  const settings = JSON.parse(ccxSettings) as { hooks: Record<string, { hooks: { command: string }[] }[]> };
  for (const groups of Object.values(settings.hooks)) for (const g of groups) for (const h of g.hooks) h.command = 'true';
  return JSON.stringify({ hooks: settings.hooks }, null, 2);
}

/** ccx's registration without one event's hooks. */
function withoutEvent(ccxSettings: string, event: string): string {
  const settings = JSON.parse(ccxSettings) as { hooks: Record<string, unknown> };
  delete settings.hooks[event];
  return JSON.stringify({ hooks: settings.hooks }, null, 2);
}

/** CPU seconds so far of the running consolidator, per pid (one may exit and another start). */
function sampleConsolidatorCpu(ccxHome: string, cpu: Map<number, number>): void {
  try {
    const { pid } = JSON.parse(readFileSync(ccxPaths(ccxHome).pidFile, 'utf8')) as { pid: number };
    // /proc/PID/stat: fields 14 and 15 (utime, stime) in clock ticks, after the "(comm)" field.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    cpu.set(pid, (Number(fields[11]) + Number(fields[12])) / 100);
  } catch {
    // not running right now
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function report(times: Record<Variant, number[]>, consolidatorCpu: number): void {
  const ratio = (v: Variant) => median(times[v].map((ms, i) => ms / times.bare[i]!));
  const added = (v: Variant) => (median(times[v]) - median(times.bare)) / TOOL_CALLS;
  const line = (v: Variant, label: string) =>
    `${label.padEnd(22)} median ${median(times[v]).toFixed(0).padStart(6)} ms  ratio ${ratio(v).toFixed(3)}  ${added(v) >= 0 ? '+' : ''}${added(v).toFixed(1)} ms/tool call\n`;
  process.stdout.write(
    `bench:session: ${rounds} rounds after a warm-up, ${TOOL_CALLS} Bash calls, API latency ${latencyMs} ms\n` +
      `${'no hooks'.padEnd(22)} median ${median(times.bare).toFixed(0).padStart(6)} ms\n` +
      line('ccx', 'ccx hooks') +
      line('noPre', 'ccx w/o PreToolUse') +
      line('floor', 'no-op hooks (floor)') +
      `consolidator CPU       ${consolidatorCpu.toFixed(2)} s over the run\n` +
      `target ccx ratio <= 1.05: ${ratio('ccx') <= 1.05 ? 'met' : 'NOT met'}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:session: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
