// lib/top in-process: renderTop at 80 and 200 columns with a fixed clock and zone, the projection,
// the in-place frame updates, and the terminal loop on fake streams (keys, signals, an error).
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ccxPaths } from '../lib/paths';
import { cutBlocks, type UsageEntry } from '../lib/report';
import { renderTop, runTop, type TopData, type TopProfile, type TopState, windowProjection } from '../lib/top';
import { ENTER_SCREEN, frameUpdate, LEAVE_SCREEN } from '../lib/top/screen';

const MIN = 60_000;
const ZONE = 'America/New_York';
/** 2026-12-03 13:00:20 in New York (EST, UTC−5). */
const NOW = Date.parse('2026-12-03T18:00:20Z');

/** One request every 5 minutes from 12:00 (local) to 12:55: the block 12:00–17:00. */
function entries(): UsageEntry[] {
  return Array.from({ length: 12 }, (_, i) => ({
    profile: 'work',
    ts: Date.parse('2026-12-03T17:00:00Z') + i * 5 * MIN,
    model: 'claude-sonnet-4-5',
    input_tokens: 1000,
    output_tokens: 500,
    cache_read_tokens: 0,
    cache_creation_5m_tokens: 0,
    cache_creation_1h_tokens: 0,
    cost: 0.25,
    priced: true,
  }));
}

function profile(name: string, over: Partial<TopProfile> = {}): TopProfile {
  return {
    name,
    planTier: 'max5',
    band: 'ok',
    fiveHour: { pct: 10, used: 22, cap: 225, unit: 'turns', resetsAt: NOW + 3 * 3_600_000 },
    weekly: { pct: null, used: 140, cap: null, unit: 'turns', resetsAt: NOW + 4 * 86_400_000 },
    unavailableUntil: null,
    suggestion: null,
    todayUsd: 1.5,
    block: null,
    sessions: [],
    ...over,
  };
}

const work = (): TopProfile =>
  profile('work', {
    band: 'warn',
    fiveHour: { pct: 80, used: 180, cap: 225, unit: 'turns', resetsAt: Date.parse('2026-12-03T21:30:00Z') },
    weekly: { pct: 30, used: 30, cap: 100, unit: 'percent', resetsAt: Date.parse('2026-12-07T05:00:00Z') },
    suggestion: { profile: 'spare', headroomPct: 90 },
    todayUsd: 12.34,
    block: cutBlocks('work', entries(), NOW).find((b) => b.active)!,
    sessions: [
      {
        sessionId: 'abcdef12-3456',
        state: 'working',
        cwd: '/home/me/src/ccx',
        model: 'claude-opus-4-5',
        startedAt: NOW - 40 * MIN,
        lastSeenAt: NOW - 20_000,
        turns: 7,
      },
    ],
  });

const data = (profiles: TopProfile[]): TopData => ({
  at: NOW,
  source: { kind: 'serve', url: 'http://127.0.0.1:4242/', pid: 99 },
  profiles,
  problem: null,
});

const state = (profiles: TopProfile[], focus: string | null = 'work', color = false): TopState => ({
  data: data(profiles),
  focus,
  color,
  interactive: true,
});

const strip = (s: string) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
const width = (s: string) => [...strip(s)].length;

test('windowProjection: carries the used share forward at the block burn rate', () => {
  const block = cutBlocks('work', entries(), NOW).find((b) => b.active)!;
  // 40 % after the block's first 60 min 20 s of use: 100 % after 1.5 × that again.
  const elapsed = NOW - block.firstTs;
  const fills = windowProjection(40, NOW + 5 * 3_600_000, block, NOW);
  assert.equal(fills?.kind, 'fills');
  assert.ok(fills?.kind === 'fills' && Math.abs(fills.at - (NOW + 1.5 * elapsed)) < 1);
  // 10 % with the reset in 30 min: 10 × (1 + 30 min / elapsed) when it resets.
  const reaches = windowProjection(10, NOW + 30 * MIN, block, NOW);
  assert.ok(reaches?.kind === 'reaches');
  assert.ok(Math.abs(reaches.pct - 10 * (1 + (30 * MIN) / elapsed)) < 1e-9);
  assert.equal(reaches.at, NOW + 30 * MIN);
  assert.deepEqual(windowProjection(100, null, block, NOW), { kind: 'full' });
  assert.equal(windowProjection(null, null, block, NOW), null, 'no cap: no projection');
  assert.equal(windowProjection(40, null, null, NOW), null, 'no active block: no rate');
});

test('renderTop at 80x24: bars, countdowns, burn rate, projection, sessions, in 80 columns', () => {
  const lines = renderTop(state([work(), profile('spare')]), 80, 24, NOW, ZONE);
  assert.ok(lines.length <= 24);
  for (const l of lines) assert.ok(width(l) <= 80, `fits: ${l}`);
  // Worked out by hand: 12 requests of 1,500 tokens and $0.25 from 12:00 to 12:55, now 13:00:20
  // (60 1/3 min in): 298 tok/min, $2.98/h, $3 + 239 2/3 min × $3/60 1/3 min = $14.92 by 17:00;
  // 80 % grows by a quarter in another quarter of 60 1/3 min: full at 13:15.
  assert.deepEqual(lines, [
    'ccx top  13:00:20   p next profile · q quit',
    'live from ccx serve 127.0.0.1:4242',
    '',
    '▶ work [warn] max5 · today $12.34 · 1 running · ccx use spare has 90% headroom',
    '    5 h     ██████████████░░░░  80%  180/225 turns  resets 16:30 (in 3h 29m)',
    '    weekly  █████░░░░░░░░░░░░░  30%                 resets Mon 00:00 (in 3d 10h)',
    '    block   12:00–17:00 · 18k tokens · $3.00 · $14.92 projected by 17:00',
    '    burn    298 tok/min · $2.98/h',
    '            at this rate the 5 h window is full at 13:15',
    '      ▸ /home/me/src/ccx · working · 7 turns · since 12:20 · claude-opus-4-5',
    '',
    '  spare [ok] max5 · today $1.50 · no session running',
    '    5 h     ██░░░░░░░░░░░░░░░░  10%  22/225 turns   resets 16:00 (in 3h 0m)',
    '    weekly  140 turns, no cap  resets Mon 13:00 (in 4d 0h)',
    '    block   none active (no request in the last 5 h)',
  ]);
});

test('renderTop at 200 columns, one profile: longer bars, block and projection on one line, more session fields', () => {
  const lines = renderTop(state([work()]), 200, 50, NOW, ZONE);
  for (const l of lines) assert.ok(width(l) <= 200, `fits: ${l}`);
  const bar = lines.find((l) => l.startsWith('    5 h'))!;
  assert.equal((bar.match(/[█░]/g) ?? []).length, 100, `the bar uses the width: ${bar}`);
  assert.ok(
    lines.includes(
      '    block   12:00–17:00 · 18k tokens · $3.00 · $14.92 projected by 17:00 · burn 298 tok/min · $2.98/h · at this rate the 5 h window is full at 13:15',
    ),
    lines.join('\n'),
  );
  assert.ok(lines.includes('      ▸ abcdef12  /home/me/src/ccx · working · 7 turns · since 12:20 · last seen 20s ago · claude-opus-4-5'));
});

test('renderTop at 200 columns, several profiles: two panels side by side, each laid out for its column', () => {
  const lines = renderTop(state([work(), profile('spare'), profile('third')]), 200, 50, NOW, ZONE);
  for (const l of lines) assert.ok(width(l) <= 200, `fits: ${l}`);
  const top = lines.find((l) => l.startsWith('▶ work'))!;
  assert.match(top, /^▶ work \[warn\].* {3}spare \[ok\] max5/, 'work and spare share a row');
  const bars = lines.find((l) => l.startsWith('    5 h') && l.includes('80%'))!;
  assert.match(bars, /80% .* {3} {4}5 h +█+░+ +10%/);
  assert.equal(bars.indexOf('5 h', 10), 98 + 3 + 4, 'the right column starts after the left one and the gap');
  assert.ok(lines.includes('    burn    298 tok/min · $2.98/h'), 'narrow layout inside a column');
  assert.ok(
    lines.some((l) => l.startsWith('  third [ok]')),
    'the third profile starts the next row',
  );
});

test('renderTop on a short screen: the focused profile in full, the others one line each, never more lines than rows', () => {
  const profiles = [work(), profile('spare'), profile('third', { sessions: work().sessions })];
  for (const focus of ['work', 'spare']) {
    const lines = renderTop(state(profiles, focus), 80, 14, NOW, ZONE);
    assert.ok(lines.length <= 14, lines.join('\n'));
    assert.ok(
      lines.some((l) => l.startsWith(`▶ ${focus} `)),
      `${focus} is drawn in full and marked`,
    );
    const compact = lines.filter((l) => /^ {2}\w+ +\[\w+\] +5h /.test(l));
    assert.equal(compact.length, 2, lines.join('\n'));
  }
  const tiny = renderTop(state(profiles, 'work'), 80, 8, NOW, ZONE);
  assert.equal(tiny.length, 8);
  assert.match(tiny[7]!, /^… \d+ more lines: enlarge the terminal/);
});

test('renderTop: the profile to switch to gets a line of its own when the title has no room for it', () => {
  const long = { ...work(), name: 'a-rather-long-profile-name' };
  const lines = renderTop(state([long], long.name), 80, 24, NOW, ZONE);
  assert.equal(lines[3], '▶ a-rather-long-profile-name [warn] max5 · today $12.34 · 1 running');
  assert.equal(lines[4], '    switch  ccx use spare has 90% headroom');
  const ok = renderTop(state([{ ...long, band: 'ok' }], long.name), 80, 24, NOW, ZONE);
  assert.ok(!ok.some((l) => l.includes('ccx use')), 'at ok, no switch is suggested');
});

test("renderTop: another agent's profile is named with its agent, not with ccx use (Claude Code's config dir)", () => {
  const p = { ...work(), suggestion: { profile: 'cx', headroomPct: 90, agent: 'codex' as const } };
  const lines = renderTop(state([p], p.name), 200, 24, NOW, ZONE);
  assert.ok(
    lines.some((l) => l.includes('Codex profile cx has 90% headroom')),
    lines.join('\n'),
  );
  assert.ok(!lines.some((l) => l.includes('ccx use cx')));
});

test('renderTop at any size: never a line wider than the screen, never more lines than its rows', () => {
  const s = state([work(), profile('spare'), profile('third', { sessions: work().sessions })]);
  for (const w of [0, 1, 5, 20, 39, 61, 80, 99, 139, 159, 160, 233]) {
    for (const h of [0, 1, 2, 4, 9, 24, 60]) {
      const lines = renderTop(s, w, h, NOW, ZONE);
      assert.ok(lines.length <= h, `${w}x${h}: ${lines.length} lines`);
      for (const l of lines) assert.ok(width(l) <= w, `${w}x${h}: ${l}`);
    }
  }
});

test('renderTop: windows from the serve API, which gives no unit, show their figures without one', () => {
  const api = profile('work', {
    fiveHour: { pct: 40, used: 18, cap: 45, unit: null, resetsAt: NOW + 3_600_000 },
    weekly: { pct: null, used: 60, cap: null, unit: null, resetsAt: null },
  });
  const lines = renderTop(state([api]), 80, 24, NOW, ZONE);
  assert.ok(lines.includes('    5 h     ████████████░░░░░░░░░░░░░░░░░░░  40%  18/45  resets 14:00 (in 1h 0m)'), lines.join('\n'));
  assert.ok(lines.includes('    weekly  no cap'), lines.join('\n'));
});

test('renderTop: colour only when asked, the same text either way; data is printed escaped', () => {
  const evil = profile('work', { sessions: [{ ...work().sessions[0]!, cwd: '/tmp/\x1b]0;owned\x07' }] });
  const plain = renderTop(state([evil]), 80, 24, NOW, ZONE);
  const colored = renderTop(state([evil], 'work', true), 80, 24, NOW, ZONE);
  assert.ok(plain.every((l) => !l.includes('\x1b')));
  assert.ok(
    colored.some((l) => l.includes('\x1b[32m')),
    'the ok bar is green',
  );
  assert.deepEqual(colored.map(strip), plain);
  assert.ok(
    plain.some((l) => l.includes('/tmp/\\x1b]0;owned\\x07')),
    plain.join('\n'),
  );
});

test('renderTop: a problem is said in full, wrapped, instead of the panels', () => {
  const s: TopState = {
    ...state([]),
    data: {
      ...data([]),
      problem: 'no database at /some/very/long/path/to/state.db yet: it appears after the first Claude Code session with hooks',
    },
  };
  const lines = renderTop(s, 40, 24, NOW, ZONE);
  assert.ok(lines.every((l) => width(l) <= 40));
  assert.equal(
    lines.slice(3).join(' '),
    'no database at /some/very/long/path/to/state.db yet: it appears after the first Claude Code session with hooks',
  );
});

test('frameUpdate: only changed rows are written; a full-width row is not cleared to its end', () => {
  const first = frameUpdate(null, ['a', 'b'], 10, 5);
  assert.ok(first.includes('\x1b[2J'));
  assert.equal(frameUpdate(['a', 'b'], ['a', 'b'], 10, 5), '', 'nothing changed: nothing written');
  const next = frameUpdate(['a', 'b', 'c'], ['a', 'x'.repeat(10)], 10, 5);
  assert.ok(!next.includes('\x1b[1;1H'), 'row 1 is unchanged');
  assert.ok(next.includes(`\x1b[2;1H${'x'.repeat(10)}\x1b[3;1H\x1b[K`), JSON.stringify(next));
});

class FakeIn extends EventEmitter {
  isTTY = true;
  raw: boolean[] = [];
  setRawMode(on: boolean) {
    this.raw.push(on);
  }
  resume() {}
  pause() {}
}
class FakeOut extends EventEmitter {
  isTTY = true;
  columns = 80;
  rows = 24;
  text = '';
  write(s: string) {
    this.text += s;
    return true;
  }
}

function loop(t: { after(fn: () => void): void }) {
  const root = mkdtempSync(join(tmpdir(), 'ccx-top-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const home = join(root, 'ccx');
  mkdirSync(home, { mode: 0o700 });
  const stdin = new FakeIn();
  const stdout = new FakeOut();
  const proc = new EventEmitter();
  const err = { text: '', write: (s: string) => (err.text += s) };
  const env = { HOME: root, CCX_HOME: home, TZ: 'UTC' };
  const run = runTop(
    { env, paths: ccxPaths(home), clock: Date.now, stdin, stdout, stderr: err, process: proc, tickMs: 10, pollMs: 20 },
    { profiles: [], tz: null },
  );
  return { stdin, stdout, proc, err, run };
}

const until = async (fn: () => boolean) => {
  for (let i = 0; i < 200 && !fn(); i++) await new Promise((r) => setTimeout(r, 10));
};

test('runTop: q quits and gives the terminal back (main screen, cursor, cooked mode)', async (t) => {
  const { stdin, stdout, proc, run } = loop(t);
  await until(() => stdout.text.includes('no database'));
  assert.ok(stdout.text.startsWith(ENTER_SCREEN));
  assert.deepEqual(stdin.raw, [true]);
  stdin.emit('data', Buffer.from('q'));
  assert.equal(await run, 0);
  assert.ok(stdout.text.endsWith(LEAVE_SCREEN));
  assert.deepEqual(stdin.raw, [true, false]);
  assert.equal(stdin.listenerCount('data'), 0);
  assert.equal(proc.eventNames().length, 0, 'no signal handler is left behind');
});

for (const [how, code] of [
  ['SIGTERM', 143],
  ['SIGINT', 130],
  ['ctrl-c', 0],
] as const) {
  test(`runTop: ${how} restores the terminal too`, async (t) => {
    const { stdin, stdout, proc, run } = loop(t);
    await until(() => stdout.text.includes('ccx top'));
    if (how === 'ctrl-c') stdin.emit('data', '\x03');
    else proc.emit(how);
    assert.equal(await run, code);
    assert.ok(stdout.text.endsWith(LEAVE_SCREEN));
    assert.deepEqual(stdin.raw, [true, false]);
  });
}

test('runTop: an uncaught error restores the terminal first, then says what it was', async (t) => {
  const { stdin, stdout, proc, err, run } = loop(t);
  await until(() => stdout.text.includes('ccx top'));
  proc.emit('uncaughtException', new Error('boom'));
  assert.equal(await run, 1);
  assert.ok(stdout.text.endsWith(LEAVE_SCREEN));
  assert.deepEqual(stdin.raw, [true, false]);
  assert.match(err.text, /^ccx: top: Error: boom/);
});
