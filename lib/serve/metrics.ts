// GET /metrics (`ccx serve --metrics`): Prometheus text exposition 0.0.4. Counters are totals
// over the whole ledger (lib/report's day facts, priced by lib/pricing), so a scrape after a
// restart continues where the last left off; quota gauges are quota.json's windows. Every series
// carries its profile's agent (claude, codex, opencode): a profile is one agent's home.
import type { Profile } from '../contracts/profile';
import { type QuotaSnapshot, WINDOW_NAMES } from '../contracts/quota';
import type { PriceTable } from '../pricing';
import { agentsOf, dayFacts, type Fact, sumUsage } from '../report';
import type { Db } from '../store';

type Sample = { labels: Record<string, string>; value: number };
type Family = { name: string; help: string; type: 'counter' | 'gauge'; samples: Sample[] };

/** `profiles`: config.toml's, whose `agent` labels a profile even before it has usage rows. */
export function metricsText(
  db: Db | null,
  prices: PriceTable,
  snap: QuotaSnapshot | null,
  tz: string,
  profiles: readonly Pick<Profile, 'name' | 'agent'>[],
): string {
  const families: Family[] = [];
  const configured = new Map(profiles.map((p) => [p.name, p.agent]));
  const agentOf = db ? agentsOf(db, profiles) : (profile: string) => configured.get(profile) ?? 'claude';
  const groups = new Map<string, Fact[]>();
  const facts = db ? dayFacts(db, prices, { profiles: [], project: null, model: null, from: null, to: null }, tz) : [];
  for (const f of facts) {
    const k = JSON.stringify([f.profile, f.model]);
    const g = groups.get(k);
    if (g) g.push(f);
    else groups.set(k, [f]);
  }
  const tokens: Sample[] = [];
  const cost: Sample[] = [];
  for (const [k, g] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const [profile, model] = JSON.parse(k) as [string, string];
    const u = sumUsage(g);
    const kinds = { input: u.inputTokens, output: u.outputTokens, cache_read: u.cacheReadTokens, cache_create: u.cacheCreationTokens };
    const agent = agentOf(profile);
    for (const [kind, value] of Object.entries(kinds)) tokens.push({ labels: { profile, agent, model, kind }, value });
    cost.push({ labels: { profile, agent, model }, value: u.totalCost });
  }
  families.push(
    {
      name: 'ccx_tokens_total',
      help: 'Tokens in the usage ledger, per profile (and its agent), model and kind.',
      type: 'counter',
      samples: tokens,
    },
    { name: 'ccx_cost_usd_total', help: 'Estimated cost at API prices in USD, per profile and model.', type: 'counter', samples: cost },
  );
  const pct: Sample[] = [];
  const resets: Sample[] = [];
  const band: Sample[] = [];
  for (const profile of Object.keys(snap?.profiles ?? {}).sort()) {
    const q = snap!.profiles[profile]!;
    const agent = agentOf(profile);
    for (const window of WINDOW_NAMES) {
      const w = q.windows[window];
      if (w?.pct !== null && w?.pct !== undefined) pct.push({ labels: { profile, agent, window, source: w.source }, value: w.pct });
      if (w?.resets_at) resets.push({ labels: { profile, agent, window }, value: w.resets_at / 1000 });
    }
    band.push({ labels: { profile, agent, band: q.band }, value: 1 });
  }
  families.push(
    { name: 'ccx_quota_used_pct', help: 'How full each quota window is, in percent of its cap.', type: 'gauge', samples: pct },
    { name: 'ccx_quota_resets_at_seconds', help: 'When each quota window resets, as a Unix time.', type: 'gauge', samples: resets },
    { name: 'ccx_quota_band', help: "The profile's band (ok, warn, soft, hard): 1 for the current one.", type: 'gauge', samples: band },
  );
  return families.map(familyText).join('');
}

function familyText(f: Family): string {
  const lines = [`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`];
  for (const s of f.samples) {
    const labels = Object.entries(s.labels)
      .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
      .join(',');
    lines.push(`${f.name}{${labels}} ${s.value}`);
  }
  return `${lines.join('\n')}\n`;
}
