// Reading quota.json on the hook path (hooks and the status line): no validation library, a
// missing or half-understood file is simply "no figures".
import { readFileSync } from 'node:fs';
import type { ProfileQuota, QuotaSnapshot } from '../contracts/quota';

export function readSnapshot(path: string): QuotaSnapshot | null {
  try {
    const snap = JSON.parse(readFileSync(path, 'utf8')) as QuotaSnapshot;
    return snap && typeof snap.profiles === 'object' && snap.profiles !== null ? snap : null;
  } catch {
    return null;
  }
}

/** The profile named on the command line, else the one watching this config dir, else `default`. */
export function snapshotProfile(
  snap: QuotaSnapshot | null,
  named: string | null,
  configDir: string | null,
): { name: string; quota: ProfileQuota | undefined } {
  let name = named ?? 'default';
  if (!named && configDir) {
    for (const [n, q] of Object.entries(snap?.profiles ?? {})) if (q.config_dir === configDir) name = n;
  }
  return { name, quota: snap?.profiles[name] };
}
