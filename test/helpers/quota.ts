// A quota.json as the consolidator writes it, for one profile `work` at a chosen band, so hooks
// can be judged without a consolidator pass (the lock dir is created to keep a real one out).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Band, ProfileQuota, QuotaSnapshot } from '../../lib/contracts/quota';
import type { Sandbox } from './ccx';

const H = 3_600_000;

export type QuotaOpts = { enforce?: boolean; resetsAt?: number; configDir?: string; afterTurn?: Band; generatedAt?: number };

export function writeQuota(sb: Sandbox, band: Band, opts: QuotaOpts = {}) {
  const pct = PCT[band];
  const w = { used: pct, cap: 100, pct, resets_at: opts.resetsAt ?? Date.now() + H, unit: 'turns' as const, source: 'estimate' as const };
  const q: ProfileQuota = {
    config_dir: opts.configDir ?? sb.configDir,
    label: null,
    plan_tier: 'pro',
    band,
    worst: 'five_hour',
    windows: { five_hour: w },
    unavailable_until: null,
    headroom_pct: 100 - pct,
    enforce: opts.enforce ?? false,
    today: { tokens: 0, usd: 0 },
    suggestion: null,
    message: messageAt(band),
    ...(opts.afterTurn ? { after_turn: { band: opts.afterTurn, worst: 'five_hour', message: messageAt(opts.afterTurn) } } : {}),
  };
  const snap: QuotaSnapshot = { v: 1, generated_at: opts.generatedAt ?? Date.now(), profiles: { work: q } };
  mkdirSync(join(sb.home, 'consolidator.lock'), { recursive: true }); // keep the real one out
  writeFileSync(join(sb.home, 'quota.json'), JSON.stringify(snap));
}

export const PCT: Record<Band, number> = { ok: 10, warn: 80, soft: 95, hard: 100 };

export function messageAt(band: Band): string | null {
  return band === 'ok' ? null : `ccx [work]: 5 h window ${PCT[band]} % (${PCT[band]}/100 turns)`;
}
