// ccusage 20, installed on demand into the checkout's gitignored .cache (never into package.json),
// for the tests that hold ccx-report against it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './ccx';

// 20.0.26, the newest 20.x, has no published linux-x64 native package: pin the newest that has.
const CCUSAGE = 'ccusage@20.0.24';
const PREFIX = join(ROOT, '.cache', 'ccusage');
export const CCUSAGE_BIN = join(PREFIX, 'node_modules', '.bin', 'ccusage');

/** Why ccusage cannot run here (offline, no native binary), or null when it can. */
export function installCcusage(): string | null {
  if (!existsSync(CCUSAGE_BIN)) {
    const r = spawnSync('npm', ['install', '--prefix', PREFIX, '--no-save', '--no-audit', '--no-fund', CCUSAGE], {
      encoding: 'utf8',
      timeout: 180_000,
    });
    if (r.status !== 0) return `npm install ${CCUSAGE} failed (offline?): ${(r.stderr || String(r.error)).trim().split('\n')[0]}`;
  }
  const v = spawnSync(CCUSAGE_BIN, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  return v.status === 0 ? null : `ccusage does not run here: ${(v.stderr || v.stdout || String(v.error)).trim()}`;
}
