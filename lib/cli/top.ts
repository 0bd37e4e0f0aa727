// `ccx top [--profile NAME]`: the live view (lib/top) on this process's terminal.
import { runTop } from '../top';
import { parse } from './args';
import type { CliContext } from './context';

export async function topCommand(argv: string[], ctx: CliContext): Promise<number> {
  const p = parse(argv, { profile: { type: 'string', multiple: true } }, { min: 0, max: 0, names: '' });
  const profiles = (p.values.profile as unknown as string[] | undefined) ?? [];
  // The terminal itself is what this command drives, so it takes the real streams and signals.
  return runTop(
    { env: ctx.env, paths: ctx.paths, clock: ctx.now, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, process },
    { profiles, tz: null },
  );
}
