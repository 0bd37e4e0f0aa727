// The ranking across agents: a suggestion stays within the profile's agent, unless config.toml
// says `suggest_across_agents = true` and every profile of that agent is spent. Checked on the
// rule itself, on quota.json as the consolidator writes it, and in ccx-report.

import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Consolidator } from '../lib/consolidator/consolidator';
import { type Profile, profileConfigSchema } from '../lib/contracts/profile';
import type { QuotaSnapshot } from '../lib/contracts/quota';
import { ccxPaths } from '../lib/paths';
import { loadPrices } from '../lib/pricing';
import { addProfile, ConfigError, readConfig } from '../lib/profiles';
import { parseConfig } from '../lib/profiles/config';
import { computeSnapshot } from '../lib/quota';
import { bestSwitch, type Candidate, rivalsOf } from '../lib/quota/rank';
import { runReport } from '../lib/report';
import { ccxHooksPresent } from '../lib/settings';
import { type Db, openDb } from '../lib/store';
import { type Sandbox, sandbox, withTempDb } from './helpers/ccx';
import { ccx } from './helpers/cli';

const H = 3_600_000;
const NOW = Date.UTC(2026, 10, 20, 12);
const prices = loadPrices('/nonexistent/pricing.yaml').prices;

const cand = (name: string, agent: Candidate['agent'], headroom_pct: number, extra: Partial<Candidate> = {}): Candidate => ({
  name,
  agent,
  headroom_pct,
  available: true,
  priority: 0,
  recentFailures: 0,
  ...extra,
});

describe('the rule (rank.ts)', () => {
  const pick = (current: Candidate | null, others: Candidate[], acrossAgents: boolean) =>
    bestSwitch([...(current ? [current] : []), ...others], current, { acrossAgents })?.profile ?? null;

  test('without the opt-in, never another agent, however spent this one is', () => {
    const work = cand('work', 'claude', 5);
    assert.equal(pick(work, [cand('home', 'claude', 0), cand('cx', 'codex', 90)], false), null);
    assert.equal(pick(cand('cx', 'codex', 0), [cand('work', 'claude', 100)], false), null, 'nor from Codex to Claude');
    assert.equal(pick(null, [cand('cx', 'codex', 90)], false), null, 'a shell on no profile runs claude');
  });

  test('with it: another agent once every profile of this one is spent (out, or under 20 % headroom)', () => {
    const work = cand('work', 'claude', 5);
    assert.equal(pick(work, [cand('home', 'claude', 19), cand('cx', 'codex', 90)], true), 'cx');
    assert.equal(pick(work, [cand('home', 'claude', 90, { available: false }), cand('cx', 'codex', 90)], true), 'cx', 'home is out');
    assert.equal(pick(work, [cand('cx', 'codex', 90)], true), 'cx', 'no sibling of its own at all');
    assert.equal(pick(null, [cand('work', 'claude', 10), cand('cx', 'codex', 90)], true), 'cx', 'from no profile too');
    assert.equal(pick(cand('cx', 'codex', 0), [cand('work', 'claude', 100)], true), 'work', 'and from Codex to Claude');
  });

  test('with it, but a profile of its own is not spent: that one, or nothing', () => {
    const work = cand('work', 'claude', 5);
    assert.equal(pick(work, [cand('home', 'claude', 25), cand('cx', 'codex', 100)], true), 'home', 'own agent first');
    // home has 22 % (not spent) but not 15 points more than work's 15: no switch, and no Codex either.
    assert.equal(pick(cand('work', 'claude', 15), [cand('home', 'claude', 22), cand('cx', 'codex', 100)], true), null);
    assert.equal(pick(cand('work', 'claude', 40), [cand('cx', 'codex', 100)], true), null, 'work itself is not spent');
  });

  test('a candidate without an agent is claude; rivals exclude the current profile', () => {
    const legacy: Candidate = { name: 'old', headroom_pct: 90, available: true, priority: 0, recentFailures: 0 };
    assert.equal(pick(cand('work', 'claude', 5), [legacy], false), 'old');
    assert.deepEqual(
      rivalsOf([cand('work', 'claude', 5), legacy, cand('cx', 'codex', 90)], cand('work', 'claude', 5)).map((c) => c.name),
      ['old'],
    );
  });
});

function profile(name: string, extra: Record<string, unknown> = {}): Profile {
  return { ...profileConfigSchema.parse({ config_dir: `/cfg/${name}`, caps_5h_turns: 20, ...extra }), name } as Profile;
}

let seq = 0;
/** `n` turns of `name` in the last hour: n/20 of the 5 h cap. */
function turns(db: Db, name: string, n: number) {
  const insert = db.prepare('INSERT INTO turns (event_id, profile, session_id, ts, failed, error) VALUES (?, ?, ?, ?, 0, NULL)');
  for (let i = 0; i < n; i++) insert.run(`t${seq++}`, name, 's', NOW - H + i);
}

/** work 95 % (headroom 5), home 100 % (0), cx (Codex) 10 % (90). */
function spentClaude(db: Db) {
  turns(db, 'work', 19);
  turns(db, 'home', 20);
  turns(db, 'cx', 2);
}
const PROFILES = [profile('work'), profile('home'), profile('cx', { agent: 'codex' })];

describe('the snapshot (quota.json)', () => {
  test('opted out: no suggestion, and the message lists the Claude siblings only', () => {
    withTempDb((db) => {
      spentClaude(db);
      const s = computeSnapshot({ db, profiles: PROFILES, now: NOW, tz: 'UTC', prices });
      assert.equal(s.profiles.work!.suggestion, null);
      assert.equal(
        s.profiles.work!.message,
        'ccx [work]: 5 h window 95 % (19/20 turns), resets 16:00 — no profile has more headroom (home 0 %)',
      );
      assert.equal(s.use_next, null);
      assert.equal(s.profiles.cx!.suggestion, null);
    });
  });

  test("opted in: the Codex profile, named by its agent (ccx use sets Claude Code's config dir)", () => {
    withTempDb((db) => {
      spentClaude(db);
      const s = computeSnapshot({ db, profiles: PROFILES, now: NOW, tz: 'UTC', prices, suggestAcrossAgents: true });
      assert.deepEqual(s.profiles.work!.suggestion, { profile: 'cx', headroom_pct: 90, agent: 'codex' });
      assert.equal(
        s.profiles.work!.message,
        'ccx [work]: 5 h window 95 % (19/20 turns), resets 16:00 — Codex profile `cx` has 90 % headroom',
      );
      assert.deepEqual(s.use_next, { profile: 'cx', headroom_pct: 90, agent: 'codex' });
      assert.equal(s.profiles.cx!.suggestion, null, 'cx is not spent: nothing to switch to');
      // One more turn would not change work's answer.
      assert.match(s.profiles.work!.after_turn!.message ?? '', /Codex profile `cx` has 90 % headroom$/);
    });
  });
});

test("within Codex: a Codex sibling, without the opt-in, named as Codex's (ccx use switches Claude Code only)", () => {
  withTempDb((db) => {
    turns(db, 'cx', 19);
    turns(db, 'cx2', 2);
    const profiles = [profile('work'), profile('cx', { agent: 'codex' }), profile('cx2', { agent: 'codex' })];
    const s = computeSnapshot({ db, profiles, now: NOW, tz: 'UTC', prices });
    assert.deepEqual(
      s.profiles.cx!.suggestion,
      { profile: 'cx2', headroom_pct: 90, agent: 'codex' },
      'not work, a Claude Code profile with 100 %',
    );
    assert.equal(s.profiles.cx!.message, 'ccx [cx]: 5 h window 95 % (19/20 turns), resets 16:00 — Codex profile `cx2` has 90 % headroom');
  });
});

function homeWith(settings: string): Sandbox {
  const sb = sandbox();
  mkdirSync(sb.home, { recursive: true });
  const dirs = Object.fromEntries(['work', 'home', 'cx'].map((n) => [n, join(sb.root, n)]));
  writeFileSync(
    join(sb.home, 'config.toml'),
    `${settings}[profiles.work]\nconfig_dir = "${dirs.work}"\ncaps_5h_turns = 20\n\n[profiles.home]\nconfig_dir = "${dirs.home}"\ncaps_5h_turns = 20\n\n[profiles.cx]\nconfig_dir = "${dirs.cx}"\nagent = "codex"\ncaps_5h_turns = 20\n`,
  );
  sb.env.CLAUDE_CONFIG_DIR = dirs.work;
  const db = openDb(ccxPaths(sb.home).db);
  spentClaude(db);
  db.close();
  return sb;
}

describe('config.toml: suggest_across_agents', () => {
  test('a top-level boolean, default off; anything else is an error naming the key', () => {
    assert.equal(parseConfig('suggest_across_agents = true\n', 'c.toml').suggestAcrossAgents, true);
    assert.equal(parseConfig('', 'c.toml').suggestAcrossAgents, undefined);
    assert.throws(
      () => parseConfig('suggest_across_agents = "yes"\n', 'c.toml'),
      (e: Error) => e instanceof ConfigError && e.message === 'c.toml: suggest_across_agents: must be true or false',
    );
    assert.throws(
      () => parseConfig('suggest_across = true\n', 'c.toml'),
      /expected keep_payloads, suggest_across_agents or \[profiles\.NAME\]/,
    );
  });

  test('ccx profile add keeps it (and keep_payloads) when it rewrites the file', () => {
    const sb = homeWith('keep_payloads = true\nsuggest_across_agents = true\n\n');
    try {
      const file = join(sb.home, 'config.toml');
      addProfile(file, 'spare', { config_dir: join(sb.root, 'spare') });
      const c = readConfig(file);
      assert.deepEqual([c.keepPayloads, c.suggestAcrossAgents, c.profiles.length], [true, true, 4]);
    } finally {
      sb.cleanup();
    }
  });

  test("the consolidator's quota.json follows it", () => {
    for (const [settings, expected] of [
      ['', null],
      ['suggest_across_agents = true\n\n', { profile: 'cx', headroom_pct: 90, agent: 'codex' }],
    ] as const) {
      const sb = homeWith(settings);
      try {
        const c = new Consolidator({ paths: ccxPaths(sb.home), env: sb.env, now: () => NOW, tz: 'UTC', log: () => undefined });
        c.pass();
        c.close();
        const snap = JSON.parse(readFileSync(join(sb.home, 'quota.json'), 'utf8')) as QuotaSnapshot;
        assert.deepEqual(snap.profiles.work!.suggestion, expected, settings || 'unset');
      } finally {
        sb.cleanup();
      }
    }
  });

  test('ccx-report: "Use next" says the Codex profile only when opted in', async () => {
    for (const [settings, json, line] of [
      ['', null, /^work: no profile has more headroom \(home 0 %\)$/m],
      ['suggest_across_agents = true\n\n', { profile: 'cx', headroomPct: 90 }, /^Use next: cx \(90% headroom\): Codex profile cx$/m],
    ] as const) {
      const sb = homeWith(settings);
      try {
        const run = async (argv: string[]) => {
          let out = '';
          let err = '';
          const code = await runReport({
            argv: [...argv, '--no-consolidate'],
            env: { ...sb.env, COLUMNS: '120' },
            clock: () => NOW,
            stdout: { write: (s: string) => (out += s) },
            stderr: { write: (s: string) => (err += s) },
            consolidate: async () => undefined,
            hooksPresent: ccxHooksPresent,
          });
          assert.equal(code, 0, err);
          return out;
        };
        const q = JSON.parse(await run(['quota', '--json']));
        assert.equal(q.activeProfile, 'work');
        assert.deepEqual(q.useNext, json, settings || 'unset');
        assert.match(await run([]), line);
      } finally {
        sb.cleanup();
      }
    }
  });
});

test('ccx run starts Claude Code: never in the Codex profile quota.json suggests when opted in', async () => {
  const sb = homeWith('suggest_across_agents = true\n\n');
  try {
    const c = new Consolidator({ paths: ccxPaths(sb.home), env: sb.env, now: () => NOW, tz: 'UTC', log: () => undefined });
    c.pass();
    c.close();
    const claude = join(sb.root, 'claude');
    writeFileSync(claude, '#!/bin/sh\nexit 0\n');
    chmodSync(claude, 0o755);
    const r = await ccx(sb, ['run', '--print-only', '--claude', claude]);
    assert.notEqual(r.code, 0, r.stdout);
    assert.doesNotMatch(r.stdout + r.stderr, /\bcx\b/);
    assert.match(r.stderr, /no profile has 20 % headroom \(work 5 %, home 0 %\)/);
  } finally {
    sb.cleanup();
  }
});
