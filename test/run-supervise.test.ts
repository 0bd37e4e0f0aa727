// The supervisor of `ccx run --supervise` with its outside injected: a fake child that records
// the signals it gets, quota.json as the test sets it, a clock the fake sleep advances. The
// session helpers (which id, the resume arguments, carrying a transcript) on real temp dirs.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Profile } from '../lib/contracts/profile';
import type { ProfileQuota, QuotaSnapshot } from '../lib/contracts/quota';
import { carrySession, type Exit, type Launch, newestSession, resumeArgs, type SuperviseDeps, supervise, withSessionId } from '../lib/run';

const profile = (name: string): Profile =>
  ({ name, config_dir: `/cfg/${name}`, plan_tier: 'pro', weekly_anchor: 'rolling', priority: 0, enforce: false }) as Profile;
const PROFILES = [profile('work'), profile('spare'), profile('third')];

function quota(band: ProfileQuota['band'], suggestion: string | null): ProfileQuota {
  const pct = band === 'hard' ? 100 : 10;
  return {
    config_dir: '/cfg',
    label: null,
    plan_tier: 'pro',
    band,
    worst: 'five_hour',
    windows: { five_hour: { used: pct, cap: 100, pct, resets_at: null, unit: 'turns', source: 'estimate' } },
    unavailable_until: null,
    headroom_pct: 100 - pct,
    enforce: false,
    today: { tokens: 0, usd: 0 },
    suggestion: suggestion ? { profile: suggestion, headroom_pct: 80 } : null,
    message: null,
  };
}

type FakeChild = { launch: Launch; signals: string[]; exit(e: Exit): void; ignores: Set<string> };

/** Deps whose quota.json is `state.snapshot`; each child exits when it gets a signal it does not ignore. */
function fakes() {
  let now = 1_000;
  const children: FakeChild[] = [];
  const err: string[] = [];
  const carried: string[] = [];
  const slept: number[] = [];
  const state: { snapshot: QuotaSnapshot | null; tick?: () => void } = { snapshot: null };
  const deps: SuperviseDeps = {
    spawn(launch) {
      let resolve!: (e: Exit) => void;
      const exited = new Promise<Exit>((r) => {
        resolve = r;
      });
      const child: FakeChild = { launch, signals: [], exit: resolve, ignores: new Set() };
      children.push(child);
      return {
        exited,
        kill(signal) {
          child.signals.push(signal);
          if (!child.ignores.has(signal)) resolve({ code: null, signal });
        },
      };
    },
    snapshot: () => state.snapshot,
    now: () => now,
    async sleep(ms) {
      slept.push(ms);
      now += ms;
      state.tick?.();
      await new Promise((r) => setImmediate(r));
    },
    err: (t) => void err.push(t),
    newId: () => 'sess-1',
    carry: (from, to, id) => {
      carried.push(`${from} -> ${to} ${id}`);
      return true;
    },
    newest: () => null,
  };
  const snap = (profiles: Record<string, ProfileQuota>): QuotaSnapshot => ({ v: 1, generated_at: now, profiles });
  return { deps, children, err, carried, slept, state, snap };
}

const input = (args: string[] = ['--model', 'x']) => ({
  binary: '/bin/claude',
  profile: PROFILES[0]!,
  profiles: PROFILES,
  args,
  env: {},
  tz: 'UTC',
  pauseMs: 0,
});

test('at hard with a suggestion: SIGINT, the transcript carried, resumed on the sibling with --resume', async () => {
  const f = fakes();
  f.state.tick = () => {
    if (f.children.length === 1) f.state.snapshot = f.snap({ work: quota('hard', 'spare') });
    // On spare nothing happens until its child exits by itself.
    if (f.children.length === 2 && f.children[1]!.signals.length === 0) f.children[1]!.exit({ code: 0, signal: null });
  };
  const exit = await supervise({ ...input(), pauseMs: 3000 }, f.deps);
  assert.deepEqual(exit, { code: 0, signal: null });
  assert.ok(f.slept.includes(3000), 'on a terminal the notice stays up before the next claude');
  assert.equal(f.children.length, 2);
  assert.deepEqual(f.children[0]!.launch.args, ['--model', 'x', '--session-id', 'sess-1']);
  assert.equal(f.children[0]!.launch.env.CLAUDE_CONFIG_DIR, '/cfg/work');
  assert.deepEqual(f.children[0]!.signals, ['SIGINT']);
  assert.deepEqual(f.carried, ['/cfg/work -> /cfg/spare sess-1']);
  assert.deepEqual(f.children[1]!.launch.args, ['--model', 'x', '--resume', 'sess-1']);
  assert.equal(f.children[1]!.launch.env.CLAUDE_CONFIG_DIR, '/cfg/spare');
  assert.equal(f.children[1]!.launch.env.CCX_ACTIVE_PROFILE, 'spare');
  assert.deepEqual(f.err, [
    'ccx: work is at its limit (5 h window 100 %) → ended this session, resuming it on spare (80 % headroom)\n',
    'ccx: resuming session sess-1 on spare (claude --resume sess-1, CLAUDE_CONFIG_DIR=/cfg/spare)\n',
  ]);
});

test('a child that ignores SIGINT gets SIGTERM after the grace', async () => {
  const f = fakes();
  f.state.tick = () => {
    if (f.children.length === 1 && !f.state.snapshot) f.state.snapshot = f.snap({ work: quota('hard', 'spare') });
    if (f.children.length === 2) f.children[1]!.exit({ code: 0, signal: null });
  };
  f.deps.spawn = ((spawn) => (l: Launch) => {
    const c = spawn(l);
    f.children.at(-1)!.ignores.add('SIGINT');
    return c;
  })(f.deps.spawn);
  await supervise(input(), f.deps);
  assert.deepEqual(f.children[0]!.signals, ['SIGINT', 'SIGTERM']);
});

test('never without headroom, never a profile twice: no suggestion, or one already used, keeps the session where it is', async () => {
  const f = fakes();
  let polls = 0;
  f.state.tick = () => {
    polls++;
    if (f.children.length === 1) f.state.snapshot = f.snap({ work: quota('hard', null) });
    if (polls === 5) f.children[0]!.exit({ code: 7, signal: null });
  };
  assert.deepEqual(await supervise(input(), f.deps), { code: 7, signal: null });
  assert.equal(f.children.length, 1);
  assert.deepEqual(f.children[0]!.signals, []);
  assert.deepEqual(
    f.err,
    ['ccx: work is at its limit (5 h window 100 %), and no other profile has headroom; staying on work\n'],
    'said once',
  );

  const g = fakes();
  let n = 0;
  g.state.tick = () => {
    n++;
    // work → spare, then spare's suggestion is work again: no way back.
    if (g.children.length === 1) g.state.snapshot = g.snap({ work: quota('hard', 'spare') });
    if (g.children.length === 2) g.state.snapshot = g.snap({ spare: quota('hard', 'work') });
    if (n === 20) g.children.at(-1)!.exit({ code: 0, signal: null });
  };
  await supervise(input(), g.deps);
  assert.equal(g.children.length, 2);
  assert.deepEqual(g.children[1]!.signals, []);
  assert.match(g.err.at(-1)!, /^ccx: spare is at its limit .*, and work was used already in this run; staying on spare\n$/);

  // suggest_across_agents: the sibling with headroom is a Codex profile, where claude cannot resume.
  const h = fakes();
  let k = 0;
  h.state.tick = () => {
    k++;
    if (h.children.length === 1)
      h.state.snapshot = h.snap({ work: { ...quota('hard', null), suggestion: { profile: 'cx', headroom_pct: 90, agent: 'codex' } } });
    if (k === 5) h.children[0]!.exit({ code: 0, signal: null });
  };
  await supervise(input(), h.deps);
  assert.equal(h.children.length, 1);
  assert.deepEqual(h.err, [
    "ccx: work is at its limit (5 h window 100 %), and Codex profile cx has headroom, but it is not Claude Code's; staying on work\n",
  ]);
});

test('a quota.json written before the child started is not acted on', async () => {
  const f = fakes();
  f.state.snapshot = { v: 1, generated_at: 0, profiles: { work: quota('hard', 'spare') } };
  let polls = 0;
  f.state.tick = () => {
    if (++polls === 3) f.children[0]!.exit({ code: 0, signal: null });
  };
  await supervise(input(), f.deps);
  assert.equal(f.children.length, 1);
  assert.deepEqual(f.children[0]!.signals, []);
});

test('session ids: the one the args name, else a new --session-id; resume args drop the old choice', () => {
  const id = () => 'new';
  assert.deepEqual(withSessionId(['-p', 'x'], id), { args: ['-p', 'x', '--session-id', 'new'], sessionId: 'new' });
  assert.deepEqual(withSessionId(['--session-id', 'abc'], id), { args: ['--session-id', 'abc'], sessionId: 'abc' });
  assert.deepEqual(withSessionId(['--resume=abc'], id).sessionId, 'abc');
  assert.deepEqual(withSessionId(['-r', 'abc', '--verbose'], id).sessionId, 'abc');
  assert.deepEqual(withSessionId(['--continue'], id), { args: ['--continue'], sessionId: null });
  assert.deepEqual(withSessionId(['--resume', '--verbose'], id).sessionId, null, 'a bare --resume opens the picker');
  assert.deepEqual(resumeArgs(['--model', 'm', '--session-id', 'abc', '-c', '--fork-session', '-r', 'old', '--verbose'], 'abc'), [
    '--model',
    'm',
    '--verbose',
    '--resume',
    'abc',
  ]);
});

const tmp = mkdtempSync(join(tmpdir(), 'ccx-run-session-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

test('carrySession copies the transcript and its folder under the same project key; newestSession finds a run’s session', () => {
  const from = join(tmp, 'a');
  const to = join(tmp, 'b');
  const project = join(from, 'projects', '-home-me-project');
  mkdirSync(join(project, 's1', 'subagents'), { recursive: true });
  writeFileSync(join(project, 's1.jsonl'), '{"type":"user"}\n');
  writeFileSync(join(project, 's1', 'subagents', 'agent-1.jsonl'), '{}\n');
  writeFileSync(join(project, 'old.jsonl'), '{}\n');
  utimesSync(join(project, 'old.jsonl'), new Date(1_000), new Date(1_000));
  writeFileSync(join(project, 's1', 'tool-result.txt'), '{"not":"a transcript"}');
  assert.equal(carrySession(from, to, 's1', 'work'), true);
  const copied = join(to, 'projects', '-home-me-project');
  assert.equal(readFileSync(join(copied, 's1.jsonl'), 'utf8'), '{"ccxCopiedFrom":"work","type":"user"}\n');
  assert.equal(readFileSync(join(copied, 's1', 'subagents', 'agent-1.jsonl'), 'utf8'), '{"ccxCopiedFrom":"work"}\n');
  assert.equal(readFileSync(join(copied, 's1', 'tool-result.txt'), 'utf8'), '{"not":"a transcript"}', 'other files as they are');
  assert.equal(carrySession(from, to, 'missing', 'work'), false);
  assert.equal(newestSession(from, 2_000), 's1');
  assert.equal(newestSession(from, Date.now() + 60_000), null);
});
