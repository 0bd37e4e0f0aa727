// `ccx doctor [--json]`: runs lib/doctor over the profiles `ccx hooks status` shows; exit 1 on a fail.
import { renderChecks, runDoctor } from '../doctor';
import { type CcxConfig, ConfigError } from '../profiles';
import { flag, parse } from './args';
import { describeClaudeVersion } from './claude-version';
import type { CliContext } from './context';
import { describeStatus, statusTargets } from './hooks';
import { loadConfig, watched } from './targets';

export async function doctorCommand(argv: string[], ctx: CliContext): Promise<number> {
  const p = parse(argv, { json: { type: 'boolean' } }, { min: 0, max: 0, names: '' });
  let config: CcxConfig = { profiles: [] };
  let configError: string | null = null;
  try {
    config = loadConfig(ctx);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    configError = err.message;
  }
  const checks = runDoctor({
    paths: ctx.paths,
    now: ctx.now(),
    node: { version: ctx.nodeVersion, execPath: ctx.node },
    distDir: ctx.distDir,
    configError,
    registered: config.profiles.length,
    profiles: configError ? watched(ctx, config) : statusTargets(ctx, config),
    hooksOf: (prof) => describeStatus(ctx, prof),
    claudeVersion: describeClaudeVersion(ctx.claudeVersion()),
  });
  const failed = checks.some((c) => c.status === 'fail');
  ctx.out(flag(p, 'json') ? `${JSON.stringify({ ok: !failed, checks }, null, 2)}\n` : renderChecks(checks));
  return failed ? 1 : 0;
}
