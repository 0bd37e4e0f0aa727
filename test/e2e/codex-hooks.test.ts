// ccx's hooks in a real Codex home, run by the real Codex CLI against the stub Responses API:
// `ccx profile add --agent codex` installs them trusted (Codex's own hooks/list agrees), a
// `codex exec` session fires them into ccx's inbox and from there into sessions and turns, a
// quota warning reaches Codex's output (also one made from Codex's own rate limits), and `ccx hooks uninstall` gives config.toml back byte
// for byte (keeping a trust entry Codex itself wrote meanwhile). With `enforce`, a tool call at
// the hard band is denied and Codex does not run it.
//
// Where Codex 0.169.0 shows a hook's systemMessage: as a `warning` entry of the app-server's
// `hook/completed` notification (what the TUI renders), for sync hooks; `codex exec` prints no
// hook output at all, in either output mode. The warning test therefore drives a turn through
// `codex app-server`.
import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import TOML from '@iarna/toml';
import Database from 'better-sqlite3';
import { DIST } from './ccx-helpers';
import { codexSuite } from './codex-cli';
import { type CodexBox, codexEnv, codexHooksList, makeCodexBox, runCodex } from './codex-harness';
import { type CodexStub, defaultRateLimits, type StubRateLimits, startCodexStub } from './codex-stub';

const suite = codexSuite();
let stub: CodexStub;
let box: CodexBox;
let ccxHome = '';
let original = '';
/** The rate limits the stub reports with each response; a test may set its own. */
let limits: (index: number) => StubRateLimits = defaultRateLimits;
const PROFILE = 'cx';
const WARNING = `ccx [${PROFILE}]: Codex 5 h window 85 % (resets in 2 h); switch to: spare`;

before(
  async () => {
    if (suite.unavailable) return;
    stub = await startCodexStub({ rateLimits: (i) => limits(i) });
    box = makeCodexBox({ baseUrl: stub.baseUrl });
    // A user's comment and spacing, which install and uninstall must keep.
    writeFileSync(join(box.codexHome, 'config.toml'), `# my Codex settings\n${readFileSync(join(box.codexHome, 'config.toml'), 'utf8')}\n`);
    original = readFileSync(join(box.codexHome, 'config.toml'), 'utf8');
    ccxHome = join(box.root, 'ccx');
  },
  { timeout: 60_000 },
);

after(async () => {
  await stub?.close();
  if (!box) return;
  // A guarded hook's background half may still start a consolidator: stop it until none writes.
  for (let attempt = 1; ; attempt++) {
    stopConsolidator();
    try {
      rmSync(box.root, { recursive: true, force: true });
      return;
    } catch (err) {
      if (attempt === 20) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
});

/** The daemon the hooks started (idle 1 s, see env) may still be up: only ours is stopped. */
function stopConsolidator(): void {
  try {
    const { pid } = JSON.parse(readFileSync(join(ccxHome, 'consolidator.pid'), 'utf8')) as { pid: number };
    if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('consolidator.js')) process.kill(pid, 'SIGKILL');
  } catch {
    // none ran, or it has exited
  }
}

/**
 * For a hand-written quota.json: no consolidator may rewrite it. A fresh lock dir without a pid
 * file looks held (lib/lock-holder.ts), so no hook starts one; a killed holder's pid file would
 * say the opposite, hence it goes too.
 */
function keepConsolidatorOut(): void {
  stopConsolidator();
  rmSync(join(ccxHome, 'consolidator.pid'), { force: true });
  rmSync(join(ccxHome, 'consolidator.lock'), { recursive: true, force: true });
  mkdirSync(join(ccxHome, 'consolidator.lock'));
}

const env = () => ({ ...codexEnv(box), CCX_HOME: ccxHome, TZ: 'UTC', CCX_IDLE_MS: '1000' });

function ccx(...args: string[]) {
  const r = spawnSync(process.execPath, [join(DIST, 'ccx.js'), ...args], { env: env(), encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, `ccx ${args.join(' ')}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

function consolidate(): void {
  const r = spawnSync(process.execPath, [join(DIST, 'consolidator.js'), '--once'], { env: env(), encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
}

function rows<T>(sql: string): T[] {
  const db = new Database(join(ccxHome, 'state.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

const ccxListed = async () => (await codexHooksList(suite.bin, box))[0]!.hooks.filter((h) => h.command?.includes('/dist/hooks/'));

test('ccx profile add --agent codex installs hooks Codex lists as trusted, with the hashes ccx wrote', async (t) => {
  if (suite.unavailable) return t.skip(suite.unavailable);
  const out = ccx('profile', 'add', PROFILE, '--agent', 'codex', '--config-dir', box.codexHome);
  assert.match(out, /Codex hooks installed and trusted in/);
  const text = readFileSync(join(box.codexHome, 'config.toml'), 'utf8');
  assert.ok(text.startsWith(original));
  const state = (TOML.parse(text) as { hooks: { state: Record<string, { trusted_hash: string }> } }).hooks.state;
  const listed = await ccxListed();
  assert.deepEqual(listed.map((h) => h.eventName).sort(), [
    'postCompact',
    'preCompact',
    'preToolUse',
    'sessionEnd',
    'sessionStart',
    'stop',
    'subagentStop',
    'userPromptSubmit',
  ]);
  for (const h of listed) {
    assert.equal(h.trustStatus, 'trusted', h.key);
    assert.equal(state[h.key]?.trusted_hash, h.currentHash, `${h.key}: the hash Codex expects`);
  }
  // Async where nothing is shown, sync where a warning is; Codex runs SessionEnd sync anyway.
  const asyncOf = Object.fromEntries(listed.map((h) => [h.eventName, h.async]));
  assert.deepEqual(asyncOf, {
    sessionStart: false,
    userPromptSubmit: false,
    preToolUse: true,
    stop: false,
    subagentStop: true,
    sessionEnd: false,
    preCompact: true,
    postCompact: true,
  });
  const [entry] = await codexHooksList(suite.bin, box);
  assert.deepEqual(entry!.warnings, [], 'Codex has nothing to say about ccx hooks');
  assert.match(ccx('hooks', 'status', '--profile', PROFILE), /installed\s+all 8 hooks installed/);
});

test('a codex exec session fires them: inbox, then one session with its turn in SQLite', async (t) => {
  if (suite.unavailable) return t.skip(suite.unavailable);
  consolidate(); // the spool and state.db exist, as after any first pass
  const run = await runCodex(suite.bin, box, 'TOOL:echo hi', { extraEnv: { CCX_HOME: ccxHome, TZ: 'UTC', CCX_IDLE_MS: '1000' } });
  assert.equal(run.code, 0, run.stderr.slice(-2000));
  assert.ok(run.threadId);
  await new Promise((r) => setTimeout(r, 1500)); // spool files settle, background hooks finish
  consolidate();
  const sessions = rows<Record<string, unknown>>(`SELECT profile, session_id, turns, status FROM sessions`);
  assert.deepEqual(sessions, [{ profile: PROFILE, session_id: run.threadId, turns: 1, status: 'ended' }]);
  const events = rows<{ event: string }>(`SELECT event FROM hook_events WHERE session_id = '${run.threadId}' ORDER BY ts`).map(
    (r) => r.event,
  );
  for (const e of ['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'Stop', 'SessionEnd'])
    assert.ok(events.includes(e), `${e} in ${events}`);
  assert.equal(rows<{ n: number }>('SELECT COUNT(*) AS n FROM turns')[0]!.n, 1);
});

test("a sub-agent's end arrives as SubagentStop under the parent's session: no session or turn of its own", async (t) => {
  if (suite.unavailable) return t.skip(suite.unavailable);
  const before = rows<{ n: number }>('SELECT COUNT(*) AS n FROM turns')[0]!.n;
  const run = await runCodex(suite.bin, box, 'SPAWN:say hello from the sub-agent', {
    extraEnv: { CCX_HOME: ccxHome, TZ: 'UTC', CCX_IDLE_MS: '1000' },
  });
  assert.equal(run.code, 0, run.stderr.slice(-2000));
  await new Promise((r) => setTimeout(r, 1500));
  consolidate();
  // Codex 0.169.0 sends a sub-agent's end as SubagentStop under the parent's session_id, with
  // the sub-agent's thread id as agent_id; the sub-agent fires no Stop or SessionStart of its own.
  const sub = rows<{ payload: string }>(`SELECT payload FROM hook_events WHERE event = 'SubagentStop' AND session_id = '${run.threadId}'`);
  assert.equal(sub.length, 1);
  const agentId = (JSON.parse(sub[0]!.payload) as { agent_id?: string }).agent_id;
  assert.match(agentId ?? '', /^[0-9a-f-]{36}$/);
  assert.deepEqual(rows(`SELECT session_id, turns FROM sessions WHERE session_id IN ('${run.threadId}', '${agentId}')`), [
    { session_id: run.threadId, turns: 1 },
  ]);
  assert.equal(rows<{ n: number }>('SELECT COUNT(*) AS n FROM turns')[0]!.n, before + 1, "the user's turn only");
});

test("a profile past a band: Codex shows ccx's warning (hook/completed), once per session", async (t) => {
  if (suite.unavailable) return t.skip(suite.unavailable);
  // quota.json as the consolidator writes it for a Codex profile at 85 % (band warn); the lock
  // dir keeps a real consolidator from rewriting it meanwhile.
  const resets = Date.now() + 2 * 3_600_000;
  const window = { used: 85, cap: 100, pct: 85, resets_at: resets, unit: 'percent', source: 'estimate' };
  const q = {
    config_dir: box.codexHome,
    label: null,
    plan_tier: 'pro',
    band: 'warn',
    worst: 'five_hour',
    windows: { five_hour: window },
    unavailable_until: null,
    headroom_pct: 15,
    enforce: false,
    today: { tokens: 0, usd: 0 },
    suggestion: { profile: 'spare', headroom_pct: 90 },
    message: WARNING,
  };
  keepConsolidatorOut();
  // No longer quiet (lib/warnings/quiet.ts): the consolidator drops the flag before such a quota.json.
  rmSync(join(ccxHome, 'quiet', PROFILE), { force: true });
  writeFileSync(join(ccxHome, 'quota.json'), JSON.stringify({ v: 1, generated_at: Date.now(), profiles: { [PROFILE]: q } }));
  try {
    const app = appServer(box);
    try {
      const warnings = await app.turn('TOOL:echo hi');
      assert.deepEqual(warnings, [{ event: 'sessionStart', text: WARNING }], 'told at the start, not again in the same session');
    } finally {
      app.close();
    }
    // codex exec shows no hook output, in either mode: the warning is not there, by Codex's design.
    const run = await runCodex(suite.bin, box, 'hello', { extraEnv: { CCX_HOME: ccxHome, TZ: 'UTC', CCX_IDLE_MS: '1000' } });
    assert.equal(run.code, 0);
    assert.ok(!run.stdout.includes(WARNING) && !run.stderr.includes(WARNING));
  } finally {
    rmSync(join(ccxHome, 'consolidator.lock'), { recursive: true, force: true });
  }
});

test("Codex's own rate limits at 85 %: the consolidator's quota.json says warn, and the next session starts with its warning", async (t) => {
  if (suite.unavailable) return t.skip(suite.unavailable);
  const resetAt = Math.floor(Date.now() / 1000) + 2 * 3600;
  limits = () => ({
    primary: { usedPercent: 85, windowMinutes: 300, resetAt },
    secondary: { usedPercent: 12, windowMinutes: 10_080, resetAt: resetAt + 4 * 86_400 },
  });
  stopConsolidator();
  try {
    const run = await runCodex(suite.bin, box, 'hello', { extraEnv: { CCX_HOME: ccxHome, TZ: 'UTC', CCX_IDLE_MS: '1000' } });
    assert.equal(run.code, 0, run.stderr.slice(-2000));
    consolidate();
    const q = JSON.parse(readFileSync(join(ccxHome, 'quota.json'), 'utf8')).profiles[PROFILE];
    const { five_hour, weekly } = q.windows;
    assert.deepEqual(
      [q.band, q.worst, five_hour.source, five_hour.pct, five_hour.resets_at, weekly.source, weekly.pct],
      ['warn', 'five_hour', 'codex', 85, resetAt * 1000, 'codex', 12],
    );
    const clock = new Date(resetAt * 1000).toISOString().slice(11, 16);
    assert.equal(q.message, `ccx [${PROFILE}]: 5 h window 85 % (Codex's figure), resets ${clock}`);
    const app = appServer(box);
    try {
      assert.deepEqual(await app.turn('hello again'), [{ event: 'sessionStart', text: q.message }]);
    } finally {
      app.close();
    }
  } finally {
    limits = defaultRateLimits;
  }
});

test('with enforce = true, a tool call at the hard band is denied by PreToolUse, and Codex does not run it', async (t) => {
  if (suite.unavailable) return t.skip(suite.unavailable);
  ccx('profile', 'set', PROFILE, '--enforce', 'true');
  const pre = (await ccxListed()).find((h) => h.eventName === 'preToolUse');
  assert.equal(pre?.async, false, 'PreToolUse waits for ccx now');
  assert.equal(pre?.trustStatus, 'trusted');
  keepConsolidatorOut();
  rmSync(join(ccxHome, 'quiet', PROFILE), { force: true });
  const message = `ccx [${PROFILE}]: Codex 5 h window 100 % (resets in 2 h); switch to: spare`;
  const window = { used: 100, cap: 100, pct: 100, resets_at: Date.now() + 2 * 3_600_000, unit: 'percent', source: 'estimate' };
  const q = { config_dir: box.codexHome, label: null, plan_tier: 'pro', band: 'hard', worst: 'five_hour', windows: { five_hour: window } };
  const full = { ...q, unavailable_until: null, headroom_pct: 0, enforce: true, today: { tokens: 0, usd: 0 }, suggestion: null, message };
  writeFileSync(join(ccxHome, 'quota.json'), JSON.stringify({ v: 1, generated_at: Date.now(), profiles: { [PROFILE]: full } }));
  const marker = join(box.root, 'tool-ran');
  try {
    const run = await runCodex(suite.bin, box, `TOOL:touch ${marker}`, { extraEnv: { CCX_HOME: ccxHome, TZ: 'UTC', CCX_IDLE_MS: '1000' } });
    assert.equal(run.code, 0, run.stderr.slice(-2000));
    assert.equal(existsSync(marker), false, 'the denied command did not run');
    // What the model was told instead: ccx's reason, in the tool call's output.
    const toolOutputs = JSON.stringify(stub.requests.at(-1)?.body);
    assert.ok(toolOutputs.includes(message), 'the reason reaches the model');
  } finally {
    rmSync(join(ccxHome, 'consolidator.lock'), { recursive: true, force: true });
    ccx('profile', 'set', PROFILE, '--enforce', 'false');
  }
});

test('ccx hooks uninstall restores config.toml byte for byte', async (t) => {
  if (suite.unavailable) return t.skip(suite.unavailable);
  assert.match(ccx('hooks', 'uninstall', '--profile', PROFILE), /ccx hooks removed from/);
  assert.equal(readFileSync(join(box.codexHome, 'config.toml'), 'utf8'), original);
  assert.deepEqual(await ccxListed(), []);
});

type Warning = { event: string; text: string };

/** `codex app-server`: one thread, one turn; the `warning` entries of its hook/completed notifications. */
function appServer(b: CodexBox) {
  const child: ChildProcessWithoutNullStreams = spawn(suite.bin, ['app-server'], { cwd: b.cwd, env: env(), detached: true });
  const lines: Record<string, any>[] = [];
  let buf = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    buf += d;
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      try {
        lines.push(JSON.parse(buf.slice(0, i)));
      } catch {
        // not a protocol line
      }
      buf = buf.slice(i + 1);
    }
  });
  let id = 0;
  const until = async (done: () => boolean, what: string) => {
    for (const end = Date.now() + 30_000; !done(); await new Promise((r) => setTimeout(r, 50))) {
      if (Date.now() > end) throw new Error(`app-server: no ${what}`);
    }
  };
  const request = async (method: string, params: unknown) => {
    const n = id++;
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: n, method, params })}\n`);
    await until(() => lines.some((l) => l.id === n && !l.method), `answer to ${method}`);
    const r = lines.find((l) => l.id === n && !l.method)!;
    if (r.error) throw new Error(`app-server ${method}: ${JSON.stringify(r.error)}`);
    return r.result;
  };
  const init = async () => {
    await request('initialize', { clientInfo: { name: 'ccx-e2e', version: '0' } });
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'initialized' })}\n`);
  };
  return {
    /** Codex's own config writer (config/batchWrite, what the TUI uses to trust a hook). */
    async writeConfig(keyPath: string, value: unknown): Promise<void> {
      await init();
      await request('config/batchWrite', { edits: [{ keyPath, value, mergeStrategy: 'upsert' }] });
    },
    async turn(text: string): Promise<Warning[]> {
      await init();
      const { thread } = await request('thread/start', { cwd: b.cwd });
      await request('turn/start', { threadId: thread.id, input: [{ type: 'text', text }] });
      await until(() => lines.some((l) => l.method === 'turn/completed'), 'turn/completed');
      return lines
        .filter((l) => l.method === 'hook/completed')
        .flatMap((l) =>
          (l.params.run.entries as { kind: string; text: string }[])
            .filter((e) => e.kind === 'warning')
            .map((e) => ({ event: l.params.run.eventName, text: e.text })),
        );
    },
    close() {
      child.stdin.end();
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // gone already
      }
    },
  };
}

test("a trust entry Codex itself wrote while ccx's hooks were installed survives uninstall", async (t) => {
  if (suite.unavailable) return t.skip(suite.unavailable);
  ccx('hooks', 'install', '--profile', PROFILE);
  const key = `${join(box.codexHome, 'config.toml')}:stop:7:0`;
  const app = appServer(box);
  try {
    await app.writeConfig('hooks.state', { [key]: { trusted_hash: 'sha256:0123' } });
  } finally {
    app.close();
  }
  const written = readFileSync(join(box.codexHome, 'config.toml'), 'utf8');
  // Codex puts it after ccx's last trust table, inside ccx's block.
  assert.ok(written.indexOf(key) > written.indexOf('# >>> ccx hooks') && written.indexOf(key) < written.indexOf('# <<< ccx hooks'));
  ccx('hooks', 'uninstall', '--profile', PROFILE);
  const after = readFileSync(join(box.codexHome, 'config.toml'), 'utf8');
  assert.ok(after.startsWith(original), 'the rest as it was');
  assert.ok(!after.includes('ccx hooks') && !after.includes('/dist/hooks/'), after);
  const state = (TOML.parse(after) as { hooks: { state: Record<string, { trusted_hash: string }> } }).hooks.state;
  assert.deepEqual(state, { [key]: { trusted_hash: 'sha256:0123' } });
});
