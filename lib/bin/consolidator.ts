// dist/consolidator.js — the background consolidator that hooks start, or with --once one pass
// in the foreground (waits for a running consolidator's pass instead when one is alive).
import { consolidatorDeps, envMs, lowerOwnPriority, type Renderer, runDaemon, runOnce } from '../consolidator';
import { describeHomeProblem, homeProblem } from '../home-trust';

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help')) {
    process.stdout.write('usage: node dist/consolidator.js [--once]\n  --once  run one full pass in the foreground and exit\n');
    return 0;
  }
  const unknown = argv.filter((a) => a !== '--once');
  if (unknown.length) {
    process.stderr.write(`consolidator: unknown argument ${unknown[0]} (see --help)\n`);
    return 2;
  }
  const deps = consolidatorDeps();
  const problem = homeProblem(deps.paths);
  if (problem) {
    process.stderr.write(`consolidator: ${describeHomeProblem(problem)}\n`);
    return 1;
  }
  if (argv.includes('--once')) {
    await runOnce(deps);
    return 0;
  }
  const env = process.env;
  lowerOwnPriority(deps.log);
  await runDaemon({
    ...deps,
    idleMs: envMs(env, 'CCX_IDLE_MS', 120_000),
    tickMs: envMs(env, 'CCX_TICK_MS', 250),
    scanEveryMs: envMs(env, 'CCX_SCAN_EVERY_MS', 5_000),
    quotaEveryMs: 30_000,
    // Loaded with the first report a ccx-report process asks for.
    render: lazyRenderer(deps.paths.home, deps.now),
  });
  return 0;
}

/** lib/report's renderer, required at the first report asked for: most consolidators never render one. */
function lazyRenderer(home: string, clock: () => number): Renderer {
  let r: Renderer | null = null;
  const get = () => (r ??= (require('../report') as typeof import('../report')).reportRenderer({ home, clock }));
  return { zoneOf: (ask) => get().zoneOf(ask), render: (ask) => get().render(ask) };
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`consolidator: ${err.message}\n`);
    process.exit(1);
  },
);
