// The `ccx` command: finds the command, prints its help on -h/--help, turns errors into one line
// on stderr and an exit code (lib/cli-kit; ccx's error kinds in errors.ts).

import { guarded, helpRequested } from '../cli-kit';
import { describeHomeProblem, homeProblem } from '../home-trust';
import type { CliContext } from './context';
import { doctorCommand } from './doctor';
import { CCX_ERRORS, CliError, UsageError } from './errors';
import { HELP } from './help';
import { hooksCommand } from './hooks';
import { installCommand } from './install';
import { profileCommand } from './profile';
import { runCommand } from './run';
import { serveCommand } from './serve';
import { initCommand, useCommand } from './shell';
import { statusCommand } from './status';
import { topCommand } from './top';

type Command = (argv: string[], ctx: CliContext) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  profile: profileCommand,
  hooks: hooksCommand,
  use: useCommand,
  init: initCommand,
  doctor: doctorCommand,
  status: statusCommand,
  install: installCommand,
  serve: serveCommand,
  run: runCommand,
  top: topCommand,
  // dist/ccx.js runs the status line itself (dist/statusline.js); only its --help comes here.
  statusline: async () => {
    throw new UsageError('the status line runs through dist/ccx.js: ccx statusline');
  },
};

/** Every command, in --help's order of interest; `report` is dist/ccx.js's (ccx-report). */
const NAMES = [...Object.keys(COMMANDS), 'report'].join(', ');

/** Commands whose first argument is a subcommand with its own help. */
const GROUPS = new Set(['profile', 'hooks']);

export async function runCli(argv: string[], ctx: CliContext): Promise<number> {
  const [cmd, ...rest] = argv;
  return guarded(
    'ccx',
    ctx.err,
    async () => {
      if (cmd === undefined) throw new UsageError(`missing a command: ${NAMES}`);
      if (cmd === '-h' || cmd === '--help' || cmd === 'help') {
        ctx.out(HELP['']!);
        return 0;
      }
      const run = COMMANDS[cmd];
      if (!run) throw new UsageError(`unknown command "${cmd}" (commands: ${NAMES})`);
      if (helpRequested(rest)) {
        const sub = GROUPS.has(cmd) && rest[0] && !rest[0].startsWith('-') ? `${cmd} ${rest[0]}` : cmd;
        ctx.out(HELP[sub] ?? HELP[cmd]!);
        return 0;
      }
      // doctor runs anyway: saying what is wrong with the home is its job.
      const problem = cmd === 'doctor' ? null : homeProblem(ctx.paths);
      if (problem) throw new CliError(describeHomeProblem(problem));
      return await run(rest, ctx);
    },
    CCX_ERRORS,
  );
}
