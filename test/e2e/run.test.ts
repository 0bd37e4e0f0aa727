// `ccx run` with the real Claude Code CLI against the stub API: it starts claude in the profile
// with the most headroom (the transcript lands in that config dir), and with --supervise, when
// the first turn takes the profile to its cap, it ends claude and resumes the same session on
// the sibling, where the transcript continues.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ccx, ccxSandbox, claudeSuite, consolidate, DIST } from './ccx-helpers';
import { claudeEnv, makeProfile, parseJsonLines, type Sandbox } from './harness';
import { type Reply, rateLimited, startStubApi, text } from './stub-api';

const suite = claudeSuite();

type Proc = { code: number | null; stdout: string; stderr: string };

/** `ccx run ARGS` in the sandbox, claude's env as the harness sets it, the pinned claude as CCX_CLAUDE. */
function ccxRun(
  box: Sandbox,
  apiUrl: string,
  args: string[],
  feed?: (write: (line: string) => void, stderr: () => string) => Promise<void>,
) {
  const env = { ...claudeEnv({ ...box, apiUrl }), CCX_CLAUDE: suite.claude(), TZ: 'UTC' };
  const child = spawn(process.execPath, [join(DIST, 'ccx.js'), 'run', ...args], { cwd: box.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const done = new Promise<Proc>((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
  if (feed)
    void feed(
      (line) => child.stdin.write(`${line}\n`),
      () => stderr,
    ).then(() => child.stdin.end());
  else child.stdin.end();
  return done;
}

/** Every transcript (session id → its lines) under a config dir's projects/. */
function transcripts(configDir: string): Map<string, Record<string, unknown>[]> {
  const out = new Map<string, Record<string, unknown>[]>();
  const projects = join(configDir, 'projects');
  if (!existsSync(projects)) return out;
  for (const p of readdirSync(projects)) {
    for (const f of readdirSync(join(projects, p)).filter((n) => n.endsWith('.jsonl'))) {
      out.set(f.slice(0, -6), parseJsonLines(readFileSync(join(projects, p, f), 'utf8')));
    }
  }
  return out;
}

const userTexts = (lines: Record<string, unknown>[]): string[] =>
  lines
    .filter((l) => l.type === 'user')
    .map((l) => (l.message as { content?: unknown }).content)
    .map((c) => (typeof c === 'string' ? c : ((c as { text?: string }[])[0]?.text ?? '')));

test('ccx run starts claude in the profile with the most headroom', async () => {
  const box = ccxSandbox('work', { plan_tier: 'pro', caps_5h_turns: 2 });
  suite.onCleanup(() => box.cleanup());
  const spareDir = makeProfile(box.home, '.claude-spare');
  ccx(box, 'profile', 'add', 'spare', '--config-dir', spareDir, '--plan-tier', 'pro');
  const api = await startStubApi({ script: [text('one'), text('two')] });
  suite.onCleanup(() => api.close());
  // One turn on work: 1 of its 2 turns, 50 % headroom; spare has all of its 45.
  const first = await ccxRun(box, api.url, ['--profile', 'work', '--', '-p', 'first']);
  assert.equal(first.code, 0, first.stderr);
  consolidate(box);

  const run = await ccxRun(box, api.url, ['--', '-p', 'second']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr, 'ccx: spare has 100 % headroom (work 50 %) → spare\n');
  assert.equal(run.stdout.trim(), 'two');
  assert.deepEqual([...transcripts(spareDir).values()].map(userTexts), [['second']], 'the session ran in spare');
  assert.deepEqual([...transcripts(box.configDir).values()].map(userTexts), [['first']]);
});

/**
 * `ccx run --profile work --supervise` in stream-json input mode (claude keeps running between
 * turns, as an interactive session does): sends "first", waits for the swap, sends "second",
 * waits for its answer on spare. The stub answers from `script`.
 */
async function supervisedSwap(work: Record<string, string | number>, script: Reply[]) {
  const box = ccxSandbox('work', { plan_tier: 'pro', ...work });
  suite.onCleanup(() => box.cleanup());
  const spareDir = makeProfile(box.home, '.claude-spare');
  ccx(box, 'profile', 'add', 'spare', '--config-dir', spareDir, '--plan-tier', 'pro');
  const api = await startStubApi({ script });
  suite.onCleanup(() => api.close());
  const message = (content: string) => JSON.stringify({ type: 'user', message: { role: 'user', content } });
  const until = async (what: string, cond: () => boolean) => {
    for (let i = 0; i < 600 && !cond(); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(cond(), `timed out waiting for ${what}`);
  };
  const claudeArgs = ['-p', '--input-format', 'stream-json', '--output-format', 'stream-json', '--verbose'];
  const run = await ccxRun(box, api.url, ['--profile', 'work', '--supervise', '--', ...claudeArgs], async (write, stderr) => {
    write(message('first'));
    await until('the swap to spare', () => stderr().includes('ccx: resuming session'));
    write(message('second'));
    await until('the answer on spare', () => [...transcripts(spareDir).values()].some((l) => JSON.stringify(l).includes('"two"')));
  });
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stderr.split('\n').filter(Boolean);
  assert.equal(lines.length, 3, run.stderr);
  assert.equal(lines[0], 'ccx: --profile work → work');
  const [, id] = /^ccx: resuming session (\S+) on spare \(claude --resume \1, CLAUDE_CONFIG_DIR=(.+)\)$/.exec(lines[2]!) ?? [];
  assert.ok(id, run.stderr);

  const onWork = transcripts(box.configDir);
  const onSpare = transcripts(spareDir);
  assert.deepEqual([...onWork.keys()], [id]);
  assert.deepEqual(userTexts(onWork.get(id!)!), ['first']);
  assert.deepEqual([...onSpare.keys()], [id], 'the same session id on spare');
  assert.deepEqual(userTexts(onSpare.get(id!)!), ['first', 'second'], 'the transcript continues there');
  const main = api.requests.filter((r) => !r.side && r.path.startsWith('/v1/messages'));
  const history = JSON.stringify((main.at(-1)!.body as { messages: unknown[] }).messages);
  assert.ok(history.includes('first') && history.includes('second'), 'spare was sent the conversation so far');
  return { why: lines[1]!, history };
}

test('ccx run --supervise: the turn that reaches the cap moves the session to the sibling, where it continues', async () => {
  const { why, history } = await supervisedSwap({ caps_5h_turns: 1 }, [text('one'), text('two')]);
  assert.equal(why, 'ccx: work is at its limit (5 h window 100 %) → ended this session, resuming it on spare (100 % headroom)');
  assert.ok(history.includes('"one"'), "work's answer is part of the history");
});

test('ccx run --supervise: a rate-limit failure (StopFailure) moves the session to the sibling', async () => {
  const { why } = await supervisedSwap({}, [rateLimited(1), text('two')]);
  assert.match(
    why,
    /^ccx: work is at its limit \(unavailable until \d\d:\d\d\) → ended this session, resuming it on spare \(100 % headroom\)$/,
  );
});
