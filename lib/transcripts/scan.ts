// Incremental scan of every profile's transcripts (Claude Code's, Codex's rollouts) into the usage ledger. Per file: one stat;
// when it changed, check that the bytes before the cursor are the ones it read (else read from 0),
// read only the new complete lines and commit their records together with the file's cursor, so a
// crash can neither lose nor double count a line.
import { closeSync, openSync, type Stats, statSync } from 'node:fs';
import type { Profile } from '../contracts/profile';
import { type RateLimitFigure, type RateLimitWriter, rateLimitWriter } from '../quota';
import type { Db } from '../store';
import { listRollouts, threadOfFile } from './codex-files';
import { type CodexState, newCodexState, parseCodexLine } from './codex-parse';
import { listTranscripts, pathContext } from './files';
import { fingerprint } from './fingerprint';
import { type Cursor, type Ledger, ledger, type SkipCounts } from './ledger';
import { lineBuffer, readLines } from './lines';
import { type LineContext, parseLine } from './parse';
import { type CodexUsage, type SkipReason, supersedes, type UsageRecord } from './records';

export type ScanStats = {
  files: number;
  filesChanged: number;
  bytesRead: number;
  linesRead: number;
  usageRows: number;
  skippedLines: number;
  /** Of skippedLines, those with a timestamp out of the sane range (lib/time's isSaneTime). */
  outOfRangeLines: number;
};

export type ScanOpts = {
  now?: () => number;
  onProgress?: (p: { files: number; filesTotal: number; bytes: number }) => void;
  log?: (msg: string) => void;
  /** Commit every this many bytes within one file, so an 800 MB file is not one transaction. */
  commitBytes?: number;
};

const DEFAULT_COMMIT_BYTES = 64 * 1024 * 1024;
/** How often (in bytes read) a big file asks the batch whether it is time to commit. */
const CHECK_EVERY = 1024 * 1024;

export function scanProfiles(db: Db, profiles: Profile[], opts: ScanOpts = {}): ScanStats {
  const stats: ScanStats = { files: 0, filesChanged: 0, bytesRead: 0, linesRead: 0, usageRows: 0, skippedLines: 0, outOfRangeLines: 0 };
  const led = ledger(db);
  const batch = new Batch(db, opts.commitBytes ?? DEFAULT_COMMIT_BYTES, led);
  const reader: Reader = { buffer: undefined, now: (opts.now ?? Date.now)() };
  // Each agent's files and how their lines are read. OpenCode keeps its usage in a database, not
  // files: lib/opencode's reader takes those profiles (none here until it lands).
  let limits: RateLimitWriter | undefined;
  const agentOf = (p: Profile): AgentReader | null => {
    if (p.agent === 'claude') return claudeAgent;
    if (p.agent === 'codex') return codexAgent((limits ??= rateLimitWriter(db)));
    return null;
  };
  const work = profiles.flatMap((p) => {
    const agent = agentOf(p);
    return agent ? [{ profile: p, agent, files: agent.list(p.config_dir) }] : [];
  });
  const filesTotal = work.reduce((n, w) => n + w.files.length, 0);
  for (const { profile, agent, files } of work) {
    const cursors = led.cursors(profile.name);
    for (const file of files) {
      const cursor = cursors.get(file);
      cursors.delete(file);
      try {
        scanFile(batch, led, reader, agent, profile, file, cursor, stats, opts);
      } catch (err) {
        // One bad file must not stop the others. Rolling back the batch also rolls back the
        // cursors of the files before it in the batch, so they are simply read again next pass.
        batch.rollback();
        opts.log?.(`transcripts: ${file}: ${(err as Error).message}`);
      }
      stats.files++;
      opts.onProgress?.({ files: stats.files, filesTotal, bytes: stats.bytesRead });
    }
    // Cursors of files that are gone: their rows stay, the cursor is dead weight.
    if (cursors.size > 0) {
      batch.begin();
      for (const path of cursors.keys()) led.dropCursor(path);
    }
  }
  if (limits) {
    batch.begin();
    limits.prune(reader.now);
  }
  batch.commit();
  return stats;
}

/**
 * One write transaction spanning many files: a COMMIT per small file would cost more than reading
 * it. Committed every `commitBytes` of consumed input, always with each file's cursor written in
 * the same transaction as its rows.
 */
class Batch {
  private open = false;
  private bytes = 0;
  constructor(
    private readonly db: Db,
    private readonly commitBytes: number,
    private readonly led: Ledger,
  ) {}
  begin(): void {
    if (!this.open) this.db.exec('BEGIN IMMEDIATE');
    this.open = true;
  }
  /** Counts consumed bytes; true when the caller should write its cursor and commit. */
  due(bytes: number): boolean {
    this.bytes += bytes;
    return this.bytes >= this.commitBytes;
  }
  commit(): void {
    if (this.open) {
      this.led.flushDirty();
      this.db.exec('COMMIT');
    }
    this.open = false;
    this.bytes = 0;
  }
  rollback(): void {
    if (this.open && this.db.inTransaction) this.db.exec('ROLLBACK');
    this.led.discardDirty();
    this.open = false;
    this.bytes = 0;
  }
}

/** What one agent's reader makes of a changed file's new complete lines. */
type FileParser = {
  line(bytes: Buffer): void;
  /** Writes what is held in memory; called before each cursor write. */
  flush(): void;
  /** The reader's state after the lines seen so far, stored with the cursor (null: none needed). */
  state(): string | null;
};

type FileEnv = {
  led: Ledger;
  profile: Profile;
  file: string;
  /** The stored state when reading on from the cursor; null when the file is read from 0. */
  state: string | null;
  now: number;
  stats: ScanStats;
  skip: (reason: SkipReason) => void;
};

/** One agent's files under a profile's dir, and the parser of one of them. */
type AgentReader = { list(dir: string): string[]; open(env: FileEnv): FileParser };

const claudeAgent: AgentReader = {
  list: listTranscripts,
  open({ led, profile, file, now, stats, skip }) {
    const name = profile.name;
    const ctx: LineContext = { ...pathContext(profile.config_dir, file), now };
    // Copies of one response sit next to each other (one per content block): fold them in memory
    // and write one row per key per transaction.
    const pending = new Map<string, UsageRecord>();
    return {
      line(bytes) {
        const rec = parseLine(bytes, ctx);
        if (rec.kind === 'usage') {
          const kept = pending.get(rec.usage.dedupKey);
          if (!kept || supersedes(rec.usage, kept)) pending.set(rec.usage.dedupKey, rec.usage);
          stats.usageRows++;
        } else if (rec.kind === 'limit') led.limit(name, rec.hit);
        else if (rec.kind === 'api_error') led.apiError(name, rec.error);
        else if (rec.kind === 'cost') led.cost(name, rec.cost);
        else if (rec.kind === 'skipped') skip(rec.reason);
      },
      flush() {
        for (const u of pending.values()) led.usage(name, u);
        pending.clear();
      },
      state: () => null,
    };
  },
};

/** Codex rollouts (codex-parse.ts): usage rows with agent 'codex', and the account's rate limits. */
function codexAgent(limits: RateLimitWriter): AgentReader {
  return {
    list: listRollouts,
    open({ led, profile, file, state: stored, now, stats, skip }) {
      const name = profile.name;
      const state: CodexState = stored ? (JSON.parse(stored) as CodexState) : newCodexState();
      const ctx = { fileThread: threadOfFile(file), now };
      const sink = {
        usage(u: CodexUsage) {
          led.codexUsage(name, u);
          stats.usageRows++;
        },
        limit(f: RateLimitFigure) {
          limits.put(name, f);
        },
      };
      return {
        line(bytes) {
          const skipped = parseCodexLine(bytes, state, ctx, sink);
          if (skipped) skip(skipped);
        },
        flush() {},
        state: () => JSON.stringify(state),
      };
    },
  };
}

/** The read buffer of one pass, shared by its files (allocated by the first file read), and its clock. */
type Reader = { buffer: Buffer | undefined; now: number };

function scanFile(
  batch: Batch,
  led: Ledger,
  reader: Reader,
  agent: AgentReader,
  profile: Profile,
  file: string,
  cursor: Cursor | undefined,
  stats: ScanStats,
  opts: ScanOpts,
): void {
  let st: Stats;
  try {
    st = statSync(file);
  } catch {
    return; // vanished between listing and stat
  }
  const inode = st.ino;
  const size = st.size;
  const mtimeMs = Math.trunc(st.mtimeMs);
  if (cursor && cursor.inode === inode && cursor.size === size && cursor.mtimeMs === mtimeMs) return;
  stats.filesChanged++;
  const fd = openSync(file, 'r');
  try {
    // Rotated (new inode), truncated (smaller than what we consumed) or rewritten in place (the bytes
    // before the offset are not the ones read): read it again from 0. Usage rows are keyed by dedup
    // key, so the re-read adds nothing twice.
    const fresh =
      !cursor ||
      cursor.inode !== inode ||
      size < cursor.offset ||
      (cursor.fingerprint !== null && cursor.fingerprint !== fingerprint(fd, cursor.offset));
    const from = fresh ? 0 : cursor.offset;
    let skipped = fresh ? 0 : cursor.skippedLines;
    const skippedByReason: SkipCounts = fresh ? {} : { ...cursor.skippedByReason };
    let outOfRange = 0;
    const skip = (reason: SkipReason) => {
      skipped++;
      skippedByReason[reason] = (skippedByReason[reason] ?? 0) + 1;
      stats.skippedLines++;
      if (reason === 'time_out_of_range') outOfRange++;
    };
    const parser = agent.open({ led, profile, file, state: fresh ? null : cursor.readerState, now: reader.now, stats, skip });
    const put = (offset: number) =>
      led.putCursor(profile.name, file, {
        inode,
        size,
        mtimeMs,
        offset,
        fingerprint: fingerprint(fd, offset),
        skippedLines: skipped,
        skippedByReason,
        readerState: parser.state(),
      });
    if (from >= size) {
      batch.begin();
      put(from);
      return;
    }
    let counted = from;
    const checkEvery = Math.min(CHECK_EVERY, opts.commitBytes ?? DEFAULT_COMMIT_BYTES);
    batch.begin();
    reader.buffer ??= lineBuffer();
    const end = readLines(
      fd,
      from,
      size,
      {
        line(bytes, lineEnd) {
          stats.linesRead++;
          parser.line(bytes);
          if (lineEnd - counted >= checkEvery) checkpoint(lineEnd);
        },
        overlong(lineEnd) {
          stats.linesRead++;
          skip('over_10_mib');
          opts.log?.(`transcripts: ${file}: skipped a line over 10 MiB ending at byte ${lineEnd}`);
        },
      },
      { buffer: reader.buffer },
    );
    parser.flush();
    put(end);
    if (batch.due(end - counted)) batch.commit();
    stats.bytesRead += size - from;
    stats.outOfRangeLines += outOfRange;
    if (outOfRange > 0)
      opts.log?.(`transcripts: ${file}: skipped ${outOfRange} line(s) with a timestamp before 2023 or over a day ahead of now`);

    /** Inside a big file: commit what is read so far once the batch is large enough. */
    function checkpoint(offset: number): void {
      const due = batch.due(offset - counted);
      counted = offset;
      if (!due) return;
      parser.flush();
      put(offset);
      batch.commit();
      batch.begin();
    }
  } finally {
    closeSync(fd);
  }
}
