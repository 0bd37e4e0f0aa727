// `ccx doctor`: every check in order, each ok/warn/fail with its fix. Read-only.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Profile } from '../contracts/profile';
import type { CcxPaths } from '../paths';
import { quotePosix } from '../shell';
import { type Check, fail, ok, warn } from './check';
import { daemonChecks } from './daemon';
import { homeChecks, nodeCheck } from './environment';
import { type HooksReport, missingCommandFiles, verdictStatus } from './hooks';
import { quarantineCheck } from './quarantine';
import { lastEventCheck, storeChecks } from './store';

export type DoctorInput = {
  paths: CcxPaths;
  now: number;
  node: { version: string; execPath: string };
  distDir: string;
  /** config.toml's error, when it does not parse (the profiles are then the default only). */
  configError: string | null;
  registered: number;
  /** The profiles whose hooks matter: see lib/cli/hooks statusTargets. */
  profiles: Profile[];
  /** A profile's hooks as `ccx hooks status` judges them, whatever its agent (settings.json, config.toml, OpenCode's plugin). */
  hooksOf: (p: Profile) => HooksReport;
  /** Which Claude Code the hooks are registered for, and so whether async applies. */
  claudeVersion: string;
};

export function runDoctor(input: DoctorInput): Check[] {
  const { paths, now } = input;
  const onceCommand = `${quotePosix(input.node.execPath)} ${quotePosix(join(input.distDir, 'consolidator.js'))} --once`;
  const checks: Check[] = [nodeCheck(input.node.version, input.node.execPath), ...homeChecks(paths, onceCommand)];
  checks.push(
    input.configError
      ? fail('config', input.configError, `fix ${paths.config} by hand (ccx profile commands refuse to rewrite it while it is broken)`)
      : ok(
          'config',
          input.registered ? `${input.registered} profile(s) registered` : `no profiles registered; watching the default config dir`,
        ),
  );
  checks.push(ok('claude code', input.claudeVersion));
  const db = storeChecks(paths, onceCommand);
  for (const p of input.profiles) checks.push(...profileChecks(p, input, db.last, now));
  checks.push(db.check, ...daemonChecks(paths, now, onceCommand), quarantineCheck(paths));
  return checks;
}

function profileChecks(p: Profile, input: DoctorInput, last: ReturnType<typeof storeChecks>['last'], now: number): Check[] {
  const dir = statSync(p.config_dir, { throwIfNoEntry: false });
  // Every fix works as printed (test/doctor-fixes.test.ts runs them): no placeholders, and
  // nothing that needs the profile registered (`default` may not be).
  const codex = p.agent === 'codex';
  const startClaude = codex ? `CODEX_HOME=${quotePosix(p.config_dir)} codex` : `CLAUDE_CONFIG_DIR=${quotePosix(p.config_dir)} claude`;
  const checks: Check[] = [
    !dir
      ? warn(
          `${p.name}: config dir`,
          `${p.config_dir} does not exist (${codex ? 'Codex' : 'Claude Code'} has not used it yet)`,
          `${codex ? 'Codex' : 'Claude Code'} creates it when started in this profile: ${startClaude}`,
        )
      : !dir.isDirectory()
        ? fail(
            `${p.name}: config dir`,
            `${p.config_dir} is not a directory`,
            `move it aside: mv ${quotePosix(p.config_dir)} ${quotePosix(`${p.config_dir}.bak`)}`,
          )
        : ok(`${p.name}: config dir`, p.config_dir),
  ];
  // Hooks cannot be in a file that is not a directory: moving it aside is the one fix to print.
  if (dir && !dir.isDirectory()) return checks;
  const { settings, ...verdict } = input.hooksOf(p);
  const name = `${p.name}: hooks`;
  const status = verdictStatus(verdict);
  if (status === 'ok') checks.push(ok(name, `${verdict.detail} (${settings})`));
  else if (status === 'warn') checks.push(warn(name, verdict.detail, verdict.fix));
  else checks.push(fail(name, `${verdict.state}: ${verdict.detail} (${settings})`, verdict.fix ?? `ccx hooks install --profile ${p.name}`));
  // OpenCode's is a plugin file, whose status already compares it whole.
  const missing = p.agent !== 'opencode' && existsSync(settings) ? missingCommandFiles(settings, codex) : [];
  if (missing.length) {
    checks.push(
      fail(
        `${p.name}: hook files`,
        `ccx's commands name files that do not exist: ${missing.join(', ')}`,
        `ccx hooks install --profile ${p.name}`,
      ),
    );
  }
  checks.push(
    lastEventCheck(p.name, last, now, `start ${codex ? 'Codex' : 'Claude Code'} in this profile, then check again: ${startClaude}`),
  );
  return checks;
}
