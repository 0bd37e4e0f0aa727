// What the live stream says after each quota.json rewrite: a RecommendationEvent for each profile
// whose band rose (to warn, soft or hard) since the previous snapshot, and the UsageEvent with
// every profile's figures. Pure over the two snapshots.
import type { RecommendationEvent, UsageEvent } from '../contracts/api';
import { BANDS, type ProfileQuota, type QuotaSnapshot } from '../contracts/quota';

const rank = (q: ProfileQuota | undefined) => BANDS.indexOf(q?.band ?? 'ok');

/**
 * `prev` is the snapshot the last event was judged on (at start, the quota.json found on disk, so
 * a restart does not announce a band again). A band that falls is no recommendation; the usage
 * event shows it.
 */
export function bandRises(prev: QuotaSnapshot | null, next: QuotaSnapshot): RecommendationEvent[] {
  return Object.keys(next.profiles)
    .sort()
    .flatMap((name) => {
      const q = next.profiles[name]!;
      if (q.band === 'ok' || rank(q) <= rank(prev?.profiles[name])) return [];
      return [
        {
          profile: name,
          level: q.band,
          reason: q.message ?? `${name}: ${q.band}`,
          suggested: q.suggestion?.profile ?? null,
          ...pcts(q),
          timestamp: new Date(next.generated_at).toISOString(),
        },
      ];
    });
}

export function usageEvent(snap: QuotaSnapshot): UsageEvent {
  return {
    timestamp: new Date(snap.generated_at).toISOString(),
    profiles: Object.keys(snap.profiles)
      .sort()
      .map((name) => {
        const q = snap.profiles[name]!;
        return { profile: name, band: q.band, ...pcts(q), today_tokens: q.today.tokens, today_usd: q.today.usd };
      }),
  };
}

const pcts = (q: ProfileQuota) => ({ quota_5h_pct: q.windows.five_hour?.pct ?? null, quota_weekly_pct: q.windows.weekly?.pct ?? null });
