// Which profile `ccx run` starts in. The choice is quota.json's `use_next`, the answer lib/quota's
// one ranking rule gives a shell on no profile, so ccx run and the warnings never disagree; this
// file only explains it, or says why there is none.
import type { Profile } from '../contracts/profile';
import type { ProfileQuota, QuotaSnapshot } from '../contracts/quota';
import { pctSpaced, resetClock } from '../format';
import { MIN_SUGGESTED_HEADROOM_PCT } from '../quota';
import { RunError } from './errors';

export type Choice = { profile: Profile; why: string };

export type ChooseInput = {
  /** The watched profiles (registered, plus `default` when it is watched). */
  profiles: Profile[];
  registered: number;
  snapshot: QuotaSnapshot | null;
  /** --profile NAME */
  named: string | undefined;
  now: number;
  tz: string;
};

const headroom = (name: string, q: ProfileQuota | undefined): string => `${name} ${q ? pctSpaced(q.headroom_pct) : 'unmeasured'}`;

export function chooseProfile(input: ChooseInput): Choice {
  const { profiles, snapshot, named } = input;
  if (named !== undefined) {
    const hit = profiles.find((p) => p.name === named);
    if (!hit) {
      const known = profiles.map((p) => p.name).join(', ') || 'none';
      throw new RunError(
        `no profile "${named}" (watched: ${known}); see ccx profile list, or add it with: ccx profile add ${named} --config-dir DIR`,
      );
    }
    return { profile: hit, why: `--profile ${named} → ${named}` };
  }
  if (input.registered === 0) throw new RunError('no profiles registered; add one with: ccx profile add NAME --config-dir DIR');
  if (profiles.length === 1) return { profile: profiles[0]!, why: `${profiles[0]!.name} is the only profile → ${profiles[0]!.name}` };
  if (!snapshot) {
    throw new RunError(
      'no quota figures yet (quota.json is written by the consolidator): run ccx-report once, or pick one with --profile NAME',
    );
  }
  const others = (name: string) =>
    profiles
      .filter((p) => p.name !== name)
      .map((p) => headroom(p.name, snapshot.profiles[p.name]))
      .join(', ');
  const next = snapshot.use_next ? profiles.find((p) => p.name === snapshot.use_next!.profile) : undefined;
  if (next) {
    const rest = others(next.name);
    return {
      profile: next,
      why: `${next.name} has ${pctSpaced(snapshot.use_next!.headroom_pct)} headroom${rest ? ` (${rest})` : ''} → ${next.name}`,
    };
  }
  const all = profiles.map((p) => ({ p, q: snapshot.profiles[p.name] }));
  if (all.every(({ q }) => q?.band === 'hard')) {
    // quota.json is rewritten only while the consolidator runs: a reset since then is not in it.
    const reset = all.find(({ q }) => (backAt(q!) ?? Number.POSITIVE_INFINITY) <= input.now);
    if (reset) {
      throw new RunError(
        `quota.json is out of date (${reset.p.name}'s limit has reset since it was written): run ccx-report to refresh it, or pick one with --profile NAME`,
      );
    }
    const resets = all.map(({ p, q }) => `${p.name} ${resetsText(q!, input.now, input.tz)}`).join(', ');
    throw new RunError(`every profile is at its limit (${resets}); wait for a reset, or start one anyway with --profile NAME`);
  }
  throw new RunError(
    `no profile has ${pctSpaced(MIN_SUGGESTED_HEADROOM_PCT)} headroom (${all.map(({ p, q }) => headroom(p.name, q)).join(', ')}); start one anyway with --profile NAME`,
  );
}

/** When a profile at hard is back: its unavailability's end, else its worst window's reset. */
const backAt = (q: ProfileQuota): number | null => q.unavailable_until ?? (q.worst ? q.windows[q.worst]?.resets_at : null) ?? null;

function resetsText(q: ProfileQuota, now: number, tz: string): string {
  const at = backAt(q);
  return at === null ? 'no reset known' : `resets ${resetClock(at, now, tz)}`;
}
