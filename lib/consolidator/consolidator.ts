// One consolidation pass = apply the inbox, scan transcripts, rewrite quota.json. The daemon
// runs passes in a loop; `--once` and ccx-report run a single one. The caller holds the lock.
import { mkdirSync, statSync } from 'node:fs';
import { writeFileAtomic } from '../atomic-write';
import type { Profile } from '../contracts/profile';
import type { QuotaSnapshot } from '../contracts/quota';
import { importSpool } from '../inbox';
import type { Logger } from '../log';
import { scanOpenCode } from '../opencode';
import type { CcxPaths, Env } from '../paths';
import { loadPrices, type PriceTable, promptClasses } from '../pricing';
import { type CcxConfig, readConfig, watchedProfiles } from '../profiles';
import { computeSnapshot } from '../quota';
import { type Db, dayZones, hasHookEvents, noteZonesAsked, openDb, PAYLOAD_KEEP_MS, refreshRollup, thinOldPayloads } from '../store';
import { assertTimeZone } from '../time';
import { type ScanOpts, type ScanStats, scanProfiles } from '../transcripts';
import { writeWithQuietFlags } from '../warnings';
import { type InboxStats, makeInboxApplier } from './apply-inbox';

export type ConsolidatorDeps = {
  paths: CcxPaths;
  env: Env;
  now: () => number;
  tz: string;
  log: Logger;
  onScanProgress?: ScanOpts['onProgress'];
};

export type { InboxStats };
export type PassStats = { inbox: InboxStats; scan: ScanStats };

export class Consolidator {
  private db!: Db;
  /** dev:ino of the state.db we opened: a pass that finds another file (or none) there reopens. */
  private dbIdentity = '';
  private lastGoodConfig: CcxConfig | null = null;
  private configStamp: string | null = null;
  private prices: PriceTable | null = null;
  private applyInboxFiles!: ReturnType<typeof makeInboxApplier>;

  constructor(private readonly deps: ConsolidatorDeps) {
    this.openDb();
    // Where shell-only hooks leave events; until it exists they start node instead.
    mkdirSync(deps.paths.spool, { recursive: true, mode: 0o700 });
  }

  private openDb(): void {
    this.db = openDb(this.deps.paths.db);
    this.dbIdentity = fileIdentity(this.deps.paths.db);
    this.applyInboxFiles = makeInboxApplier(this.db, { ...this.deps, keepPayloads: () => this.lastGoodConfig?.keepPayloads === true });
  }

  /**
   * Called at the start of each pass. `mv state.db state.db.bad` (or rm) under a running
   * consolidator would otherwise leave it writing every later event into the unlinked file.
   * True when it reopened: the new file holds nothing yet.
   */
  ensureDbAtPath(): boolean {
    const now = fileIdentity(this.deps.paths.db);
    if (now === this.dbIdentity) return false;
    this.deps.log(`state.db was ${now === 'none' ? 'removed' : 'replaced'}; reopening ${this.deps.paths.db}`);
    this.db.close();
    this.openDb();
    return true;
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

  /** Settled spool files into the inbox first (lib/inbox/spool.ts), then the inbox into the DB. */
  applyInbox(profiles: Profile[]): InboxStats {
    importSpool(this.deps.paths.spool, this.deps.paths.inbox, this.deps.now(), this.deps.log);
    return this.applyInboxFiles(profiles);
  }

  /** New transcript lines into the ledger, then the report rollup brought up to date with them. */
  scan(profiles: Profile[]): ScanStats {
    const stats = scanProfiles(this.db, profiles, { now: this.deps.now, log: this.deps.log, onProgress: this.deps.onScanProgress });
    // An OpenCode profile's usage is in OpenCode's database, not in files (scanProfiles skips it).
    for (const p of profiles) if (p.agent === 'opencode') scanOpenCode(this.db, p, { now: this.deps.now, log: this.deps.log });
    refreshRollup(this.db, promptClasses(this.priceTable()).thresholds, dayZones(this.db, this.deps.tz, this.deps.now()));
    return stats;
  }

  /**
   * Zones reports asked for (lib/store/day-zones.ts): their day pieces are built at the next scan.
   * True when one has none yet, so the answer must wait for that scan. Names that are no zone are
   * logged and left out.
   */
  askZones(zones: readonly string[]): boolean {
    const valid = zones.filter((z) => {
      if (z === this.deps.tz) return false; // kept anyway
      try {
        assertTimeZone(z);
        return true;
      } catch {
        this.deps.log(`request: ${JSON.stringify(z)} is no time zone; ignored`);
        return false;
      }
    });
    return noteZonesAsked(this.db, valid, this.deps.now());
  }

  writeQuota(profiles: Profile[]): QuotaSnapshot {
    const snap = computeSnapshot({
      db: this.db,
      profiles,
      now: this.deps.now(),
      tz: this.deps.tz,
      prices: this.priceTable(),
      suggestAcrossAgents: this.lastGoodConfig?.suggestAcrossAgents === true,
    });
    const write = () => writeFileAtomic(this.deps.paths.quota, `${JSON.stringify(snap)}\n`, { mode: 0o600, durable: false });
    writeWithQuietFlags(this.deps.paths.quiet, snap, write, this.deps.log);
    return snap;
  }

  pass(): PassStats {
    this.ensureDbAtPath();
    const profiles = this.profiles();
    const inbox = this.applyInbox(profiles);
    const scan = this.scan(profiles);
    this.writeQuota(profiles);
    return { inbox, scan };
  }

  /** Hook payloads past their keeping time thinned (lib/store/thin.ts); once per daemon start. */
  thinOldPayloads(): void {
    const n = thinOldPayloads(this.db, this.deps.now());
    if (n > 0) this.deps.log(`thinned ${n} hook payload(s) older than ${PAYLOAD_KEEP_MS / 86_400_000} days`);
  }

  close(): void {
    this.db.close();
  }
}

function fileIdentity(path: string): string {
  const st = statSync(path, { throwIfNoEntry: false });
  return st ? `${st.dev}:${st.ino}` : 'none';
}
