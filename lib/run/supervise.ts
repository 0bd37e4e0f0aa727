// ccx run --supervise: stays beside the child; when the profile it runs in reaches the hard band
// (quota.json, freshly written by the consolidator: a cap crossed at a Stop, or a usage-limit hit
// or rate-limit failure from the hooks and transcripts), it ends the child (SIGINT, then SIGTERM
// after a grace) and resumes the same conversation on the sibling quota.json suggests for it.
// Never a sibling without headroom (the suggestion rule, lib/quota/rank.ts), never a profile twice
// in one run. Everything from outside is injected: spawn, quota.json, the clock, the session files.
import type { Profile } from '../contracts/profile';
import { type ProfileQuota, type QuotaSnapshot, WINDOW_LABEL } from '../contracts/quota';
import { pctSpaced, resetClock } from '../format';
import type { Env } from '../paths';
import { switchHint } from '../quota';
import { type Launch, launchFor } from './launch';
import { resumeArgs, withSessionId } from './session';

export type Exit = { code: number | null; signal: NodeJS.Signals | null };
export type Child = { exited: Promise<Exit>; kill(signal: NodeJS.Signals): void };

export type SuperviseDeps = {
  spawn(launch: Launch): Child;
  /** quota.json as it is now (lib/warnings readSnapshot). */
  snapshot(): QuotaSnapshot | null;
  now(): number;
  sleep(ms: number): Promise<void>;
  err(text: string): void;
  newId(): string;
  /** Copies the session's transcript into the sibling's config dir (session.ts carrySession). */
  carry(fromConfigDir: string, toConfigDir: string, sessionId: string, fromProfile: string): boolean;
  /** The session a run without a known id wrote (session.ts newestSession). */
  newest(configDir: string, since: number): string | null;
};

export type SuperviseInput = {
  binary: string;
  profile: Profile;
  /** Every watched profile: where a sibling may be found. */
  profiles: Profile[];
  args: string[];
  env: Env;
  tz: string;
  /**
   * How long the notice stays up before the next claude starts: claude's full-screen UI takes the
   * terminal's alternate screen, so on a terminal the notice is seen only in between.
   */
  pauseMs: number;
};

/** How often quota.json is looked at: the consolidator rewrites it about a second after a hook. */
export const POLL_MS = 1000;
/** On a terminal: the pause between the notice and the resumed claude. */
export const NOTICE_MS = 3000;
/** How long a child gets after SIGINT (then SIGTERM, then SIGKILL) to save its transcript and exit. */
export const GRACE_MS = 5000;

type Outcome = { kind: 'exited'; exit: Exit } | { kind: 'swap'; quota: ProfileQuota; next: Profile; headroom: number };

export async function supervise(input: SuperviseInput, deps: SuperviseDeps): Promise<Exit> {
  const used = new Set([input.profile.name]);
  let profile = input.profile;
  let { args, sessionId } = withSessionId(input.args, deps.newId);
  for (;;) {
    const started = deps.now();
    const child = deps.spawn(launchFor(input.binary, profile, args, input.env));
    const outcome = await watch(child, profile, started, used, input, deps);
    if (outcome.kind === 'exited') return outcome.exit;
    const { next } = outcome;
    const why = limitText(outcome.quota, deps.now(), input.tz);
    // Said once claude is gone: while it runs, its full-screen UI would draw over the line.
    const exit = await stop(child, deps);
    deps.err(
      `ccx: ${profile.name} is at its limit (${why}) → ended this session, resuming it on ${next.name} (${pctSpaced(outcome.headroom)} headroom)\n`,
    );
    const id = sessionId ?? deps.newest(profile.config_dir, started);
    if (!id || !deps.carry(profile.config_dir, next.config_dir, id, profile.name)) {
      deps.err(`ccx: found no transcript of this session in ${profile.config_dir}/projects; not resuming it on ${next.name}\n`);
      return exit;
    }
    deps.err(`ccx: resuming session ${id} on ${next.name} (claude --resume ${id}, CLAUDE_CONFIG_DIR=${next.config_dir})\n`);
    if (input.pauseMs > 0) await deps.sleep(input.pauseMs);
    args = resumeArgs(args, id);
    sessionId = id;
    used.add(next.name);
    profile = next;
  }
}

/** Until the child exits, or quota.json written since `started` puts its profile at hard with a sibling to go to. */
async function watch(
  child: Child,
  profile: Profile,
  started: number,
  used: Set<string>,
  input: SuperviseInput,
  deps: SuperviseDeps,
): Promise<Outcome> {
  const done: { exit: Exit | null } = { exit: null };
  void child.exited.then((e) => {
    done.exit = e;
  });
  let toldStaying = false;
  for (;;) {
    await Promise.race([child.exited, deps.sleep(POLL_MS)]);
    if (done.exit) return { kind: 'exited', exit: done.exit };
    const snap = deps.snapshot();
    const quota = snap?.profiles[profile.name];
    if (!snap || !quota || snap.generated_at < started || quota.band !== 'hard') continue;
    const s = quota.suggestion;
    const next = s && !used.has(s.profile) ? input.profiles.find((p) => p.name === s.profile) : undefined;
    if (s && next) return { kind: 'swap', quota, next, headroom: s.headroom_pct };
    if (!toldStaying) {
      // The suggestion may be another agent's profile (suggest_across_agents): claude cannot resume there.
      const why = !s
        ? 'no other profile has headroom'
        : s.agent && s.agent !== 'claude'
          ? `${switchHint(s.profile, s.agent)} has headroom, but it is not Claude Code's`
          : `${s.profile} was used already in this run`;
      deps.err(
        `ccx: ${profile.name} is at its limit (${limitText(quota, deps.now(), input.tz)}), and ${why}; staying on ${profile.name}\n`,
      );
      toldStaying = true;
    }
  }
}

/** SIGINT, then SIGTERM after a grace (then SIGKILL): Claude Code writes its transcript as it goes. */
async function stop(child: Child, deps: SuperviseDeps): Promise<Exit> {
  const done: { exit: Exit | null } = { exit: null };
  void child.exited.then((e) => {
    done.exit = e;
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGKILL'] as const) {
    child.kill(signal);
    await Promise.race([child.exited, deps.sleep(GRACE_MS)]);
    if (done.exit) return done.exit;
  }
  return child.exited;
}

/** "5 h window 100 %", or "unavailable until 14:05" after a usage-limit hit or rate-limit failure. */
function limitText(q: ProfileQuota, now: number, tz: string): string {
  if (q.unavailable_until !== null) return `unavailable until ${resetClock(q.unavailable_until, now, tz)}`;
  const w = q.worst ? q.windows[q.worst] : undefined;
  return q.worst && w?.pct != null ? `${WINDOW_LABEL[q.worst].long} ${pctSpaced(w.pct)}` : 'hard band';
}
