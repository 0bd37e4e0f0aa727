// One consolidation pass = apply the inbox, scan transcripts, rewrite quota.json. The daemon
// runs passes in a loop; `--once` and ccx-report run a single one. The caller holds the lock.
import { statSync } from 'node:fs';
import { writeFileAtomic } from '../atomic-write';
import type { Profile } from '../contracts/profile';
import { CLAIM_SETTLE_MS, claimedAt, claimInbox, parseInboxFile, removeClaimed } from '../inbox';
import type { Logger } from '../log';
import type { CcxPaths, Env } from '../paths';
import { loadPrices, type PriceTable, promptClasses } from '../pricing';
import { type CcxConfig, profileForConfigDir, readConfig, watchedProfiles } from '../profiles';
import { computeSnapshot } from '../quota';
import { type Db, hasHookEvents, openDb, refreshRollup } from '../store';
import { type ScanOpts, type ScanStats, scanProfiles } from '../transcripts';
import { type HookRow, makeHookApplier } from './apply-events';
import { makeStatusLineApplier } from './apply-statusline';

export type ConsolidatorDeps = {
  paths: CcxPaths;
  env: Env;
  now: () => number;
  tz: string;
  log: Logger;
  onScanProgress?: ScanOpts['onProgress'];
};

export type InboxStats = { records: number; applied: number; bad: number };
export type PassStats = { inbox: InboxStats; scan: ScanStats };

export class Consolidator {
  readonly db: Db;
  private lastGoodConfig: CcxConfig | null = null;
  private configStamp: string | null = null;
  private prices: PriceTable | null = null;
  private readonly applyHooks;
  private readonly applyStatusLine;
  /** How far each claimed file has been applied (by this process; a new one starts at 0). */
  private readonly applied = new Map<string, number>();

  constructor(private readonly deps: ConsolidatorDeps) {
    this.db = openDb(deps.paths.db);
    this.applyHooks = makeHookApplier(this.db);
    this.applyStatusLine = makeStatusLineApplier(this.db);
  }

  /**
   * Re-read whenever config.toml changes (one stat per tick otherwise), so `ccx profile add`
   * takes effect without a restart; a broken file keeps the last good registry. The watched set
   * is decided every tick: an unregistered default dir joins once it has history.
   */
  profiles(): Profile[] {
    const st = statSync(this.deps.paths.config, { throwIfNoEntry: false });
    const stamp = st ? `${st.mtimeMs}:${st.size}:${st.ino}` : 'none';
    if (!this.lastGoodConfig || stamp !== this.configStamp) {
      this.configStamp = stamp;
      try {
        this.lastGoodConfig = readConfig(this.deps.paths.config);
      } catch (err) {
        this.deps.log(`config: ${(err as Error).message} (using the last valid profiles)`);
        this.lastGoodConfig ??= { profiles: [] };
      }
    }
    return watchedProfiles(this.lastGoodConfig, this.deps.env, (name) => hasHookEvents(this.db, name));
  }

  private priceTable(): PriceTable {
    if (!this.prices) {
      const { prices, warnings } = loadPrices(this.deps.paths.pricing);
      for (const w of warnings) this.deps.log(`pricing: ${w}`);
      this.prices = prices;
    }
    return this.prices;
  }

  applyInbox(profiles: Profile[]): InboxStats {
    const { paths, now, log } = this.deps;
    const stats: InboxStats = { records: 0, applied: 0, bad: 0 };
    for (const file of claimInbox(paths.inbox, now())) {
      const parsed = parseInboxFile(file, this.applied.get(file) ?? 0);
      const hooks: HookRow[] = [];
      const status: HookRow[] = [];
      for (const record of parsed.records) {
        const row = { record, profile: record.profile ?? profileForConfigDir(profiles, record.config_dir) };
        (record.kind === 'hook' ? hooks : status).push(row);
      }
      stats.applied += this.db.transaction(() => this.applyHooks(hooks) + this.applyStatusLine(status)).immediate();
      stats.records += parsed.records.length;
      stats.bad += parsed.bad.length;
      for (const b of parsed.bad) log(`inbox ${file}@${b.offset}: skipped: ${b.reason}`);
      this.applied.set(file, parsed.end);
      if (now() - claimedAt(file) >= CLAIM_SETTLE_MS) {
        if (parsed.tail > 0) log(`inbox ${file}: dropped an unterminated last line of ${parsed.tail} bytes`);
        removeClaimed(file);
        this.applied.delete(file);
      }
    }
    return stats;
  }

  /** New transcript lines into the ledger, then the report rollup brought up to date with them. */
  scan(profiles: Profile[]): ScanStats {
    const stats = scanProfiles(this.db, profiles, { now: this.deps.now, log: this.deps.log, onProgress: this.deps.onScanProgress });
    refreshRollup(this.db, promptClasses(this.priceTable()).thresholds, this.deps.tz);
    return stats;
  }

  writeQuota(profiles: Profile[]): void {
    const snap = computeSnapshot({ db: this.db, profiles, now: this.deps.now(), tz: this.deps.tz, prices: this.priceTable() });
    writeFileAtomic(this.deps.paths.quota, `${JSON.stringify(snap)}\n`, { mode: 0o600, durable: false });
  }

  pass(): PassStats {
    const profiles = this.profiles();
    const inbox = this.applyInbox(profiles);
    const scan = this.scan(profiles);
    this.writeQuota(profiles);
    return { inbox, scan };
  }

  close(): void {
    this.db.close();
  }
}
