// Incremental scan of every profile's transcripts (Claude Code's, Codex's rollouts) into the usage ledger. Per file: one stat;
// when it changed, check that the bytes before the cursor are the ones it read (else read from 0),
// read only the new complete lines and commit their records together with the file's cursor, so a
// crash can neither lose nor double count a line.
import { closeSync, fstatSync, openSync, type Stats, statSync } from 'node:fs';
import type { Profile } from '../contracts/profile';
import { type RateLimitFigure, type RateLimitWriter, rateLimitWriter } from '../quota';
import type { Db } from '../store';
import { applyChunk, type ClaudeChunk, claudeCollector } from './claude-chunk';
import { listRollouts, threadOfFile } from './codex-files';
import { type CodexState, newCodexState, parseCodexLine } from './codex-parse';
import { listTranscripts, pathContext } from './files';
import { fingerprint } from './fingerprint';
import { type Cursor, type Ledger, ledger, type SkipCounts } from './ledger';
import { lineBuffer, readLines } from './lines';
import type { LineContext } from './parse';
import { ReadAhead } from './read-ahead';
import type { CodexUsage, SkipReason } from './records';

export type ScanStats = {
  files: number;
  filesChanged: number;
  bytesRead: number;
  linesRead: number;
  usageRows: number;
  skippedLines: number;
  /** Of skippedLines, those with a timestamp out of the sane range (lib/time's isSaneTime). */
  outOfRangeLines: number;
  /** Of filesChanged, those read and parsed on the read worker. */
  filesReadAhead: number;
};

export type ScanOpts = {
  now?: () => number;
  onProgress?: (p: { files: number; filesTotal: number; bytes: number }) => void;
  log?: (msg: string) => void;
  /** Commit every this many bytes within one file, so an 800 MB file is not one transaction. */
  commitBytes?: number;
  /** Read Claude Code files on a worker thread: true always, false never; unset, on passes over 32 MiB. */
  readAhead?: boolean;
};

const DEFAULT_COMMIT_BYTES = 64 * 1024 * 1024;
/** How often (in bytes read) a big file asks the batch whether it is time to commit. */
const CHECK_EVERY = 1024 * 1024;

export function scanProfiles(db: Db, profiles: Profile[], opts: ScanOpts = {}): ScanStats {
  const stats: ScanStats = {
    files: 0,
    filesChanged: 0,
    bytesRead: 0,
    linesRead: 0,
    usageRows: 0,
    skippedLines: 0,
    outOfRangeLines: 0,
    filesReadAhead: 0,
  };
  const led = ledger(db);
  const batch = new Batch(db, opts.commitBytes ?? DEFAULT_COMMIT_BYTES, led);
  const reader: Reader = { buffer: undefined, now: (opts.now ?? Date.now)(), ahead: null };
  // Each agent's files and how their lines are read. OpenCode keeps its usage in a database, not
  // files: lib/opencode's scanOpenCode takes those profiles (the consolidator calls it).
  let limits: CountedLimits | undefined;
  const agentOf = (p: Profile): AgentReader | null => {
    if (p.agent === 'claude') return claudeAgent;
    if (p.agent === 'codex') return codexAgent((limits ??= { writer: rateLimitWriter(db), newest: 0 }));
    return null;
  };
  const work = profiles.flatMap((p) => {
    const agent = agentOf(p);
    return agent ? [{ profile: p, agent, files: agent.list(p.config_dir) }] : [];
  });
  const filesTotal = work.reduce((n, w) => n + w.files.length, 0);
  const progress = () => opts.onProgress?.({ files: stats.files, filesTotal, bytes: stats.bytesRead });
  // First which files changed and from where to read them (one stat each), then the reading: a
  // large pass reads and parses its Claude Code files on a second core meanwhile (read-ahead.ts).
  const plans: Plan[] = [];
  const gone: string[] = [];
  for (const { profile, agent, files } of work) {
    const cursors = led.cursors(profile.name);
    for (const file of files) {
      const cursor = cursors.get(file);
      cursors.delete(file);
      const plan = planFile(profile, agent, file, cursor, opts);
      if (plan) plans.push(plan);
      else {
        stats.files++;
        progress();
      }
    }
    // Cursors of files that are gone: their rows stay, the cursor is dead weight.
    gone.push(...cursors.keys());
  }
  reader.ahead = readAhead(plans, reader.now, opts);
  try {
    for (const plan of plans) {
      try {
        scanFile(batch, led, reader, plan, stats, opts);
      } catch (err) {
        // One bad file must not stop the others. Rolling back the batch also rolls back the
        // cursors of the files before it in the batch, so they are simply read again next pass.
        batch.rollback();
        opts.log?.(`transcripts: ${plan.file}: ${(err as Error).message}`);
      }
      stats.files++;
      progress();
    }
  } finally {
    reader.ahead?.worker.stop();
  }
  if (gone.length > 0) {
    batch.begin();
    for (const path of gone) led.dropCursor(path);
  }
  // Old samples go when new figures came (a write only then: an idle pass stays read-only).
  if (limits && limits.newest > 0) {
    batch.begin();
    limits.writer.prune(reader.now);
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
type AgentReader = {
  list(dir: string): string[];
  open(env: FileEnv): FileParser;
  /** Whether a stored state can be read on from; one that cannot makes the file read again from 0. */
  readable?(state: string): boolean;
};

const claudeAgent: AgentReader = {
  list: listTranscripts,
  open({ led, profile, file, now, stats, skip }) {
    const collect = claudeCollector(claudeContext(profile, file, now));
    return {
      line: collect.line,
      flush: () => applyClaude(led, profile, collect.take(), stats, skip),
      state: () => null,
    };
  },
};

const claudeContext = (profile: Profile, file: string, now: number): LineContext => ({ ...pathContext(profile.config_dir, file), now });

/** A Claude Code chunk (collected inline or by the read worker) into the open transaction. */
function applyClaude(led: Ledger, profile: Profile, chunk: ClaudeChunk, stats: ScanStats, skip: (r: SkipReason) => void): void {
  applyChunk(led, profile.name, chunk, skip);
  stats.usageRows += chunk.usageLines;
}

/** The pass's rate-limit writer and how many figures it recorded as a window's newest. */
type CountedLimits = { writer: RateLimitWriter; newest: number };

/** Codex rollouts (codex-parse.ts): usage rows with agent 'codex', and the account's rate limits. */
function codexAgent(limits: CountedLimits): AgentReader {
  return {
    list: listRollouts,
    readable(stored) {
      try {
        const v: unknown = JSON.parse(stored);
        return typeof v === 'object' && v !== null && !Array.isArray(v);
      } catch {
        return false;
      }
    },
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
          if (limits.writer.put(name, f)) limits.newest++;
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

/** The read buffer of one pass (allocated by the first file read), its clock, and its read worker if any. */
type Reader = { buffer: Buffer | undefined; now: number; ahead: { worker: ReadAhead; jobOf: Map<Plan, number> } | null };

/** A changed file: what its cursor said, what stat says now, and where reading starts. */
type Plan = {
  profile: Profile;
  agent: AgentReader;
  file: string;
  cursor: Cursor | undefined;
  inode: number;
  size: number;
  mtimeMs: number;
  /** Read from 0 (new, rotated, truncated or rewritten in place), else from the cursor. */
  fresh: boolean;
};

const fromOf = (p: Plan): number => (p.fresh ? 0 : p.cursor!.offset);

/** null: unchanged since its cursor (same inode, size and mtime: not opened), or vanished. */
function planFile(profile: Profile, agent: AgentReader, file: string, cursor: Cursor | undefined, opts: ScanOpts): Plan | null {
  let st: Stats;
  try {
    st = statSync(file);
  } catch {
    return null; // vanished between listing and stat
  }
  const inode = st.ino;
  const size = st.size;
  const mtimeMs = Math.trunc(st.mtimeMs);
  if (cursor && cursor.inode === inode && cursor.size === size && cursor.mtimeMs === mtimeMs) return null;
  // Rotated (new inode), truncated (smaller than what we consumed) or rewritten in place (the bytes
  // before the offset are not the ones read): read it again from 0. Usage rows are keyed by dedup
  // key, so the re-read adds nothing twice.
  let fresh =
    !cursor ||
    cursor.inode !== inode ||
    size < cursor.offset ||
    (cursor.readerState !== null && agent.readable?.(cursor.readerState) === false);
  if (!fresh && cursor!.fingerprint !== null) {
    try {
      const fd = openSync(file, 'r');
      try {
        fresh = cursor!.fingerprint !== fingerprint(fd, cursor!.offset);
      } finally {
        closeSync(fd);
      }
    } catch (err) {
      opts.log?.(`transcripts: ${file}: ${(err as Error).message}`);
      return null;
    }
  }
  return { profile, agent, file, cursor, inode, size, mtimeMs, fresh };
}

/** Reading on a second core pays for the worker's start (~30 ms) only on a pass this large. */
const READ_AHEAD_FROM = 32 * 1024 * 1024;

function readAhead(plans: Plan[], now: number, opts: ScanOpts): Reader['ahead'] {
  const claude = plans.filter((p) => p.agent === claudeAgent && fromOf(p) < p.size);
  const bytes = claude.reduce((n, p) => n + p.size - fromOf(p), 0);
  if (opts.readAhead === false || (opts.readAhead !== true && bytes < READ_AHEAD_FROM)) return null;
  const jobs = claude.map((p) => ({
    file: p.file,
    inode: p.inode,
    from: fromOf(p),
    until: p.size,
    ctx: claudeContext(p.profile, p.file, now),
  }));
  const worker = ReadAhead.start(jobs, checkEvery(opts));
  return worker && { worker, jobOf: new Map(claude.map((p, i) => [p, i])) };
}

const checkEvery = (opts: ScanOpts) => Math.min(CHECK_EVERY, opts.commitBytes ?? DEFAULT_COMMIT_BYTES);

function scanFile(batch: Batch, led: Ledger, reader: Reader, plan: Plan, stats: ScanStats, opts: ScanOpts): void {
  const { profile, agent, file, cursor, inode, size, mtimeMs, fresh } = plan;
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return; // vanished since the plan: the next pass sees what is there
  }
  try {
    if (fstatSync(fd).ino !== inode) return; // replaced since the plan: likewise
    stats.filesChanged++;
    const from = fromOf(plan);
    let skipped = fresh ? 0 : cursor!.skippedLines;
    const skippedByReason: SkipCounts = fresh ? {} : { ...cursor!.skippedByReason };
    let outOfRange = 0;
    const skip = (reason: SkipReason) => {
      skipped++;
      skippedByReason[reason] = (skippedByReason[reason] ?? 0) + 1;
      stats.skippedLines++;
      if (reason === 'time_out_of_range') outOfRange++;
    };
    const overlong = (lineEnd: number) => {
      stats.linesRead++;
      skip('over_10_mib');
      opts.log?.(`transcripts: ${file}: skipped a line over 10 MiB ending at byte ${lineEnd}`);
    };
    // A file the worker reads arrives parsed (Claude Code's: no reader state); only inline reading needs a parser.
    const job = reader.ahead?.worker.alive ? reader.ahead.jobOf.get(plan) : undefined;
    const parser =
      job === undefined
        ? agent.open({ led, profile, file, state: fresh ? null : cursor!.readerState, now: reader.now, stats, skip })
        : null;
    const put = (offset: number) =>
      led.putCursor(profile.name, file, {
        inode,
        size,
        mtimeMs,
        offset,
        fingerprint: fingerprint(fd, offset),
        skippedLines: skipped,
        skippedByReason,
        readerState: parser?.state() ?? null,
      });
    if (from >= size) {
      batch.begin();
      put(from);
      return;
    }
    let counted = from;
    const every = checkEvery(opts);
    batch.begin();
    let end = from;
    if (!parser) {
      // Read and parsed by the worker, in chunks that end where `every` bytes have passed, as below.
      stats.filesReadAhead++;
      for (const m of reader.ahead!.worker.messages(job!)) {
        if ('error' in m) throw new Error(m.error);
        stats.linesRead += m.chunk.lines;
        for (const at of m.chunk.overlongAt) overlong(at);
        applyClaude(led, profile, m.chunk, stats, skip);
        end = m.offset;
        if (!m.last) checkpoint(m.offset);
      }
    } else {
      reader.buffer ??= lineBuffer();
      end = readLines(
        fd,
        from,
        size,
        {
          line(bytes, lineEnd) {
            stats.linesRead++;
            parser.line(bytes);
            if (lineEnd - counted >= every) checkpoint(lineEnd);
          },
          overlong,
        },
        { buffer: reader.buffer },
      );
    }
    parser?.flush();
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
      parser?.flush();
      put(offset);
      batch.commit();
      batch.begin();
    }
  } finally {
    closeSync(fd);
  }
}
