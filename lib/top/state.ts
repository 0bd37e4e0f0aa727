// What `ccx top` draws: one read of the figures (TopData) plus the view's own state (focus,
// colour). Plain data, so renderTop is a pure function of it.
import type { Agent } from '../contracts/profile';
import type { Band, QuotaWindow } from '../contracts/quota';
import type { Block } from '../report';

export type TopWindow = {
  pct: number | null;
  used: number | null;
  cap: number | null;
  /** null when the source does not say (the serve API has no unit). */
  unit: QuotaWindow['unit'] | null;
  resetsAt: number | null;
};

export type TopSession = {
  sessionId: string;
  /** working: on a turn; waiting: its last turn ended, the next prompt not yet sent; failed: its last turn failed. */
  state: 'working' | 'waiting' | 'failed';
  cwd: string | null;
  model: string | null;
  startedAt: number | null;
  lastSeenAt: number | null;
  turns: number;
};

export type TopProfile = {
  name: string;
  planTier: string;
  band: Band;
  fiveHour: TopWindow | null;
  weekly: TopWindow | null;
  /** Out after a usage-limit hit or a rate_limit failure, until then (files only: the API does not say). */
  unavailableUntil: number | null;
  /** lib/quota/rank.ts's answer, as the snapshot gives it. */
  /** `agent`: absent for a Claude Code profile. */
  suggestion: { profile: string; headroomPct: number; agent?: Agent } | null;
  todayUsd: number;
  /** The active 5-hour block (lib/report cutBlocks), with its burn rate; null when none is active. */
  block: Block | null;
  sessions: TopSession[];
};

export type TopSource =
  | { kind: 'serve'; url: string; pid: number }
  /**
   * `why`: serve is not running, or did not answer. quotaAt: when quota.json was written, or null
   * when it was too old and the snapshot was computed here (or nothing was read yet).
   */
  | { kind: 'files'; why: string; quotaAt: number | null };

export type TopData = {
  /** When this read was made. */
  at: number;
  source: TopSource;
  profiles: TopProfile[];
  /** Something the user must fix before there is anything to show (no database, a bad config.toml). */
  problem: string | null;
};

export type TopState = {
  data: TopData | null;
  /** The profile drawn in full and marked; `p` moves it. */
  focus: string | null;
  color: boolean;
  /** A terminal with keys: the header names them. */
  interactive: boolean;
};
