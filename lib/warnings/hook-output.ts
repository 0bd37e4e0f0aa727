// What a hook prints: a quota warning (once per band per session), or at the hard band an
// opt-in PreToolUse deny. Runs on the hook path: reads quota.json and a few marker files,
// no arithmetic beyond comparing — the consolidator precomputed band and message, both as they
// are and as they will be with one more turn (for a turn quota.json has not counted yet).
import { closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { HookEventName } from '../contracts/hook-input';
import { type AfterTurn, BANDS, type Band, type ProfileQuota, type WindowName } from '../contracts/quota';
import type { CcxPaths } from '../paths';
import { lastTurnEnd, recordTurnEnd } from './last-turn';
import { readSnapshot, snapshotProfile } from './snapshot';

/** Events where a band rise is announced. SessionStart always announces a band ≥ warn. */
const ANNOUNCING: ReadonlySet<string> = new Set(['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'Stop']);
/** Events whose output schema has hookSpecificOutput; elsewhere Claude Code rejects it. */
const HAS_SPECIFIC_OUTPUT: ReadonlySet<string> = new Set(['SessionStart', 'UserPromptSubmit', 'PreToolUse']);

export type HookOutput = Record<string, unknown>;

export type OutputContext = {
  paths: CcxPaths;
  event: HookEventName;
  profile: string | null;
  configDir: string | null;
  sessionId: string;
  now: number;
  /** Registered async or run in a guarded command's background: its output is discarded. */
  background: boolean;
};

export function hookOutput(ctx: OutputContext): HookOutput | null {
  const snap = readSnapshot(ctx.paths.quota);
  const { name, quota: q } = snapshotProfile(snap, ctx.profile, ctx.configDir);
  if (ctx.event === 'Stop') recordTurnEnd(ctx.paths.lastTurn, name, ctx.now);
  // Unseen output: marking the session told would swallow the warning a sync event shows next.
  if (ctx.background || !snap || !q) return null;
  const { band, worst, message } = freshest(ctx, name, snap.generated_at, q);
  if (band === 'ok' || !message || !isCurrent(q, worst, ctx.now)) return null;

  if (ctx.event === 'PreToolUse' && q.enforce && band === 'hard') {
    // The reason is what the user sees of a deny: it counts as telling, and is not repeated.
    markTold(ctx.paths.told, ctx.sessionId, band);
    return { hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: message } };
  }
  if (!ANNOUNCING.has(ctx.event)) return null;
  const fresh = markTold(ctx.paths.told, ctx.sessionId, band);
  if (!fresh && ctx.event !== 'SessionStart') return null;
  const out: HookOutput = { systemMessage: message };
  if (HAS_SPECIFIC_OUTPUT.has(ctx.event)) out.hookSpecificOutput = { hookEventName: ctx.event };
  return out;
}

/**
 * quota.json's figures, or its `after_turn` ones while it has not counted the profile's last turn:
 * the one a Stop is ending, or one that ended after quota.json was computed. A snapshot computed
 * at or after that moment is taken to have counted it.
 */
function freshest(ctx: OutputContext, profile: string, generatedAt: number, q: ProfileQuota): AfterTurn {
  const ended = ctx.event === 'Stop' ? ctx.now : lastTurnEnd(ctx.paths.lastTurn, profile);
  return ended > generatedAt && q.after_turn ? q.after_turn : q;
}

/**
 * A band only falls once its window resets (absent new turns, which the consolidator will count
 * itself); past that moment the snapshot may overstate, so it is not announced.
 */
function isCurrent(q: ProfileQuota, worst: WindowName | null, now: number): boolean {
  if (q.unavailable_until !== null) return now < q.unavailable_until;
  const w = worst ? q.windows[worst] : undefined;
  return !w || w.resets_at === null || now < w.resets_at;
}

/**
 * Records that this session was told about `band`. False when it was already told about this band
 * or a higher one. Creating the marker with O_EXCL makes concurrent hooks of one session agree.
 * True when the marker cannot be written at all (a read-only home: EROFS, EACCES, or ENOENT from
 * a recursive mkdir there): a repeated warning beats a suppressed one.
 */
export function markTold(dir: string, sessionId: string, band: Band): boolean {
  try {
    return createMarker(dir, sessionId, band);
  } catch (err) {
    // EEXIST: a parallel hook of this session created it between our mkdir and open.
    return (err as NodeJS.ErrnoException).code !== 'EEXIST';
  }
}

function createMarker(dir: string, sessionId: string, band: Band): boolean {
  const rank = BANDS.indexOf(band);
  for (const higher of BANDS.slice(rank)) {
    if (statSync(join(dir, `${sessionId}.${higher}`), { throwIfNoEntry: false })) return false;
  }
  const marker = join(dir, `${sessionId}.${band}`);
  try {
    closeSync(openSync(marker, 'wx', 0o600));
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'ENOENT') throw err;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    closeSync(openSync(marker, 'wx', 0o600));
    return true;
  }
}
