// `ccx top` on a real terminal: tmux runs dist/ccx.js top against a CCX_HOME built from real
// transcripts, hook events and a consolidation pass. The pane shows the bars, a change to the
// data after a refresh, `p` moving the focus, and after `q` the shell's own screen again.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { consolidateOnce, DIST, hookRecord, type Sandbox, sandboxPool, sleep, waitFor } from './helpers/ccx';
import { CLI, ccx, runProcess } from './helpers/cli';
import { assistantLine } from './helpers/transcript-fixtures';

const newSandbox = sandboxPool();
const MIN = 60_000;
const hasTmux = spawnSync('tmux', ['-V']).status === 0;

/** Two profiles: work with a busy 5 h block and a running session, spare with one old request. */
async function seed(sb: Sandbox): Promise<{ work: string; spare: string }> {
  const work = join(sb.root, 'work');
  const spare = join(sb.root, 'spare');
  for (const [name, dir, plan] of [
    ['work', work, 'pro'],
    ['spare', spare, 'max5'],
  ] as const) {
    const r = await ccx(sb, ['profile', 'add', name, '--config-dir', dir, '--create', '--plan-tier', plan, '--no-hooks']);
    assert.equal(r.code, 0, r.stderr);
  }
  const now = Date.now();
  addUsage(work, 'w1', now - 50 * MIN, 12, 'a');
  addUsage(spare, 's1', now - 30 * MIN, 1, 'b');
  // Turns (Stop events) for the 5 h estimate, and a session that is running now.
  const records = [hookRecord(sb, 'SessionStart', 'w1', now - 50 * MIN, { source: 'startup' })];
  for (let i = 0; i < 12; i++) records.push(hookRecord(sb, 'Stop', 'w1', now - (48 - 4 * i) * MIN));
  appendFileSync(join(sb.home, 'inbox.jsonl'), records.map((r) => `${JSON.stringify({ ...r, config_dir: work })}\n`).join(''));
  consolidateOnce(sb);
  return { work, spare };
}

/** `n` requests of one session, one every 4 minutes from `from`. */
function addUsage(configDir: string, session: string, from: number, n: number, tag: string): void {
  const dir = join(configDir, 'projects', '-tmp-proj');
  mkdirSync(dir, { recursive: true });
  const lines = Array.from({ length: n }, (_, i) =>
    assistantLine({
      id: `${tag}-${from}-${i}`,
      session,
      cwd: '/tmp/proj',
      ts: new Date(from + i * 4 * MIN).toISOString(),
      input: 2000,
      output: 800,
      cacheRead: 40_000,
    }),
  );
  appendFileSync(join(dir, `${session}.jsonl`), lines.join(''));
}

const tmux = (...args: string[]) => spawnSync('tmux', args, { encoding: 'utf8' });

function capture(server: string, session: string): string {
  return tmux('-L', server, 'capture-pane', '-p', '-t', session).stdout;
}

async function waitForPane(server: string, session: string, fn: (pane: string) => boolean, timeoutMs = 15_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  let pane = capture(server, session);
  while (!fn(pane) && Date.now() < end) {
    await sleep(100);
    pane = capture(server, session);
  }
  return pane;
}

for (const [width, height] of [
  [80, 24],
  [200, 50],
] as const) {
  test(`ccx top in tmux at ${width}x${height}: bars, refresh, p, q restores the terminal`, {
    skip: !hasTmux && 'tmux is not installed',
  }, async (t) => {
    const sb = newSandbox();
    const { work } = await seed(sb);
    const server = `ccx-top-${process.pid}-${width}`;
    const session = 'top';
    t.after(() => tmux('-L', server, 'kill-server'));
    // A plain shell in the pane (the tmux server takes the sandbox's environment), so that after q
    // the pane shows it again: the main screen with what was on it before.
    const env = { ...sb.env, TERM: 'xterm-256color' };
    const started = spawnSync(
      'tmux',
      ['-L', server, '-f', '/dev/null', 'new-session', '-d', '-x', `${width}`, '-y', `${height}`, '-s', session, 'sh'],
      { env },
    );
    assert.equal(started.status, 0, String(started.stderr));
    tmux('-L', server, 'send-keys', '-t', session, 'echo shell-before-top', 'Enter');
    await waitForPane(server, session, (p) => p.includes('shell-before-top'));
    tmux('-L', server, 'send-keys', '-t', session, `${process.execPath} ${join(DIST, 'ccx.js')} top`, 'Enter');

    let pane = await waitForPane(server, session, (p) => p.includes('weekly') && p.includes('█'));
    t.diagnostic(`first frame at ${width}x${height}:\n${pane}`);
    assert.match(pane, /ccx top/);
    assert.match(pane, /▶ spare|▶ work/, 'one profile is focused');
    assert.match(pane, /5 h\s+█+░*\s+\d+%/, 'a 5 h bar');
    assert.match(pane, /resets \S+/, 'a reset time');
    assert.match(pane, /burn\s+[\d.k]+ tok\/min/, "work's active block burns");
    assert.match(pane, /\/tmp\/proj/, 'the running session');
    assert.ok(!pane.includes('shell-before-top'), 'top draws on the alternate screen');
    for (const line of pane.split('\n')) assert.ok([...line].length <= width, `fits ${width} columns: ${line}`);
    const turns = (p: string) => /(\d+)\/45 turns/.exec(p)?.[1];
    assert.equal(turns(pane), '12', 'work has 12 turns of 45');

    // New data: three more turns for work; the next refresh shows them.
    const now = Date.now();
    const more = [0, 1, 2].map((i) => hookRecord(sb, 'Stop', 'w1', now - (3 - i) * 1000));
    appendFileSync(join(sb.home, 'inbox.jsonl'), more.map((r) => `${JSON.stringify({ ...r, config_dir: work })}\n`).join(''));
    consolidateOnce(sb);
    pane = await waitForPane(server, session, (p) => turns(p) === '15');
    assert.equal(turns(pane), '15', `the refresh shows the new turns:\n${pane}`);

    const focused = (p: string) => /▶ (\w+)/.exec(p)?.[1];
    const before = focused(pane);
    tmux('-L', server, 'send-keys', '-t', session, 'p');
    pane = await waitForPane(server, session, (p) => focused(p) !== before);
    assert.notEqual(focused(pane), before, 'p moves the focus');
    t.diagnostic(`after p:\n${pane}`);

    tmux('-L', server, 'send-keys', '-t', session, 'q');
    pane = await waitForPane(server, session, (p) => p.includes('shell-before-top'));
    assert.match(pane, /shell-before-top/, `q gives the main screen back:\n${pane}`);
    assert.ok(!pane.includes('weekly'), 'nothing of top is left on the screen');
    const mode = tmux('-L', server, 'display-message', '-p', '-t', session, '#{alternate_on} #{cursor_flag}').stdout.trim();
    assert.equal(mode, '0 1', 'alternate screen off, cursor shown');
    tmux('-L', server, 'send-keys', '-t', session, 'stty -a | tr " " "\\n" | grep -x -e icanon -e -icanon', 'Enter');
    pane = await waitForPane(server, session, (p) => /(^|[#$] )-?icanon$/m.test(p));
    assert.match(pane, /(^|[#$] )icanon$/m, 'the terminal is back in cooked mode');
  });
}

test('ccx top with stdout not a terminal: one frame, no escape codes, then exit; ccx-report blocks --live is the same view', async () => {
  const sb = newSandbox();
  await seed(sb);
  const env = { ...sb.env, COLUMNS: '80' };
  const top = await runProcess(process.execPath, [join(DIST, 'ccx.js'), 'top'], env, 30_000);
  assert.equal(top.code, 0, top.stderr);
  assert.ok(!top.stdout.includes('\x1b'), 'no escape codes');
  assert.ok(!top.stdout.includes('q quit'), 'no keys to name');
  assert.match(top.stdout, /^ccx top {2}\d\d:\d\d:\d\d\n/);
  assert.match(top.stdout, /work \[ok\] pro · today \$\d+\.\d\d · 1 running/);
  assert.match(top.stdout, /12\/45 turns/);
  assert.match(top.stdout, /^from state\.db, quota\.json \d+s old · ccx serve is not running$/m);
  for (const line of top.stdout.split('\n')) assert.ok([...line].length <= 80, line);

  const live = await runProcess(process.execPath, [join(DIST, 'ccx-report.js'), 'blocks', '--live'], env, 30_000);
  assert.equal(live.code, 0, live.stderr);
  // The same view: the same lines, figures aside (the clock, burn rates and countdowns move on).
  const shape = (s: string) => s.replace(/\d+/g, '#');
  assert.equal(shape(live.stdout), shape(top.stdout));
  const wrong = await runProcess(process.execPath, [join(DIST, 'ccx-report.js'), '--live'], env, 30_000);
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /--live only applies to the blocks view/);
});

test('ccx top reads from ccx serve when it runs', async (t) => {
  const sb = newSandbox();
  await seed(sb);
  const serve = spawn(process.execPath, [CLI, 'serve', '--port', '0'], { env: sb.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((r) => serve.on('exit', r));
  t.after(() => serve.kill('SIGKILL'));
  let url = '';
  serve.stdout.on('data', (d) => (url += d));
  assert.ok(await waitFor(() => url.includes('\n'), 20_000), 'serve printed its URL');
  const top = await runProcess(process.execPath, [join(DIST, 'ccx.js'), 'top'], { ...sb.env, COLUMNS: '120' }, 30_000);
  assert.equal(top.code, 0, top.stderr);
  assert.ok(top.stdout.includes(`live from ccx serve ${new URL(url.trim()).host}`), top.stdout);
  assert.match(top.stdout, /12\/45/, 'the quota comes through the API');
  serve.kill('SIGTERM');
  await exited;
});
