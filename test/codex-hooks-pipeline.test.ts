// A Codex profile end to end without Codex: `ccx profile add --agent codex` writes the hooks
// into a Codex home's config.toml, each registered command runs as Codex runs it (`sh -c`, the
// event JSON on stdin without a newline) with Codex-shaped payloads, the consolidator folds them
// into sessions and turns (a sub-agent's Stop is no turn), a warning is printed at SessionStart,
// and `ccx hooks uninstall` gives config.toml back byte for byte. test/e2e/codex-hooks.test.ts
// does the same through the real Codex CLI.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import TOML from '@iarna/toml';
import { consolidateOnce, DIST, query, runWithInput, type Sandbox, sandbox, sleep } from './helpers/ccx';
import { messageAt, writeQuota } from './helpers/quota';

const ORIGINAL = '# my Codex config\nmodel = "gpt-5.1-codex"  # keep\n\n[tui]\nnotifications = true\n';
const THREAD = '019a8f2e-5b1c-7d40-9a3e-2f6c1d0e4b7a';

function ccx(sb: Sandbox, args: string[]) {
  return spawnSync(process.execPath, [join(DIST, 'ccx.js'), ...args], { env: sb.env, encoding: 'utf8', timeout: 30_000 });
}

function codexHome(sb: Sandbox): string {
  const home = join(sb.root, 'codex');
  mkdirSync(home, { recursive: true });
  writeFileSync(join(home, 'config.toml'), ORIGINAL);
  return home;
}

type Hooks = Record<string, { hooks: { command: string }[] }[]>;
const commands = (home: string): Hooks => (TOML.parse(readFileSync(join(home, 'config.toml'), 'utf8')) as { hooks: Hooks }).hooks;

/** Runs ccx's registered command for `event` as Codex does: through a shell, JSON on stdin. */
function fire(sb: Sandbox, home: string, event: string, extra: Record<string, unknown> = {}) {
  const command = commands(home)[event]!.at(-1)!.hooks[0]!.command;
  const payload = {
    session_id: THREAD,
    turn_id: 'turn-1',
    transcript_path: join(home, 'sessions', '2026', '12', '03', `rollout-2026-12-03T10-00-00-${THREAD}.jsonl`),
    cwd: '/tmp/proj',
    hook_event_name: event,
    model: 'gpt-5.1-codex',
    ...extra,
  };
  return runWithInput('/bin/sh', ['-c', command], { env: { ...sb.env, CODEX_HOME: home }, input: JSON.stringify(payload) });
}

test('profile add --agent codex installs trusted hooks; no Claude Code words; uninstall restores config.toml', () => {
  const sb = sandbox();
  try {
    const home = codexHome(sb);
    const add = ccx(sb, ['profile', 'add', 'cx', '--agent', 'codex', '--config-dir', home]);
    assert.equal(add.status, 0, add.stderr);
    assert.doesNotMatch(add.stdout, /Claude Code|status line/);
    assert.match(add.stdout, /Codex hooks installed and trusted in .*config\.toml/);
    const text = readFileSync(join(home, 'config.toml'), 'utf8');
    assert.ok(text.startsWith(ORIGINAL));
    assert.equal(existsSync(join(home, 'settings.json')), false, 'nothing of Claude Code written');

    const status = ccx(sb, ['hooks', 'status', '--profile', 'cx']);
    assert.equal(status.status, 0, status.stdout);
    assert.match(status.stdout, /cx\s+installed\s+all 8 hooks installed/);
    // Trust lost (a group of the user's inserted before ccx's): status says so, install mends it.
    writeFileSync(join(home, 'config.toml'), `[[hooks.Stop]]\n[[hooks.Stop.hooks]]\ntype = "command"\ncommand = "true"\n\n${text}`);
    const untrusted = ccx(sb, ['hooks', 'status', '--profile', 'cx']);
    assert.equal(untrusted.status, 1);
    assert.match(untrusted.stdout, /untrusted .*not trusted, which Codex skips \(Stop\)[\s\S]*fix: ccx hooks install --profile cx/);
    writeFileSync(join(home, 'config.toml'), text);

    const missing = ccx(sb, ['profile', 'add', 'nohome', '--agent', 'codex', '--config-dir', join(sb.root, 'nope')]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /does not exist.*Codex fills it on first use with CODEX_HOME=/);

    const un = ccx(sb, ['hooks', 'uninstall', '--profile', 'cx']);
    assert.equal(un.status, 0, un.stderr);
    assert.equal(readFileSync(join(home, 'config.toml'), 'utf8'), ORIGINAL);
  } finally {
    sb.cleanup();
  }
});

test('profile set --agent moves the hooks into the file the agent reads; install --profile --agent registers a Codex home', () => {
  const sb = sandbox();
  try {
    const home = codexHome(sb);
    mkdirSync(sb.configDir, { recursive: true });
    assert.equal(ccx(sb, ['profile', 'add', 'cx', '--config-dir', home, '--no-statusline']).status, 0);
    assert.ok(existsSync(join(home, 'settings.json')), 'registered as a Claude Code dir first');
    const set = ccx(sb, ['profile', 'set', 'cx', '--agent', 'codex']);
    assert.equal(set.status, 0, set.stderr);
    assert.match(set.stdout, /ccx hooks removed from .*settings\.json[\s\S]*Codex hooks installed and trusted in .*config\.toml/);
    assert.match(ccx(sb, ['hooks', 'status', '--profile', 'cx']).stdout, /installed\s+all 8 hooks installed/);

    const other = join(sb.root, 'codex2');
    mkdirSync(other);
    const install = ccx(sb, ['install', '--profile', 'cx2', '--agent', 'codex', '--config-dir', other, '--no-report']);
    assert.equal(install.status, 0, install.stderr);
    assert.match(install.stdout, /cx2: Codex hooks installed and trusted in .*codex2\/config\.toml/);
  } finally {
    sb.cleanup();
  }
});

test("Codex events through the registered commands: one session, one user turn (not the sub-agent's), ended", async () => {
  const sb = sandbox();
  try {
    const home = codexHome(sb);
    assert.equal(ccx(sb, ['profile', 'add', 'cx', '--agent', 'codex', '--config-dir', home]).status, 0);
    mkdirSync(join(sb.home, 'consolidator.lock'), { recursive: true }); // no consolidator between events
    mkdirSync(join(sb.home, 'spool'), { recursive: true, mode: 0o700 }); // as the consolidator leaves it
    for (const [event, extra] of [
      ['SessionStart', { source: 'startup' }],
      ['UserPromptSubmit', { prompt: 'TOOL:ls' }],
      ['PreToolUse', { tool_name: 'shell', tool_input: { command: ['ls'] }, tool_use_id: 'call_1' }],
      ['Stop', { agent_id: 'agent-7', last_assistant_message: 'sub-agent done' }],
      ['SubagentStop', { agent_id: 'agent-7', agent_transcript_path: join(home, 'sessions', 'sub.jsonl') }],
      ['Stop', { last_assistant_message: 'done', stop_hook_active: false }],
      ['SessionEnd', { reason: 'other' }],
    ] as const) {
      const r = await fire(sb, home, event, extra);
      assert.equal(r.code, 0, `${event}: ${r.stderr}`);
      assert.equal(r.stdout, '', `${event} prints nothing at quota ok`);
    }
    // The foreground hooks wrote the inbox; the shell-only ones their spool files.
    const inbox = readFileSync(join(sb.home, 'inbox.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      inbox.map((r) => [r.event, r.agent, r.profile, r.config_dir]),
      ['SessionStart', 'UserPromptSubmit', 'Stop', 'Stop'].map((e) => [e, 'codex', 'cx', home]),
    );
    assert.equal(readdirSync(join(sb.home, 'spool')).length, 3, 'PreToolUse, SubagentStop, SessionEnd spooled');
    rmSync(join(sb.home, 'consolidator.lock'), { recursive: true });
    await sleep(1100); // spool files settle (lib/inbox/spool.ts)
    consolidateOnce(sb);
    const sessions = query(
      sb,
      'SELECT profile, session_id, turns, status, ended_at IS NOT NULL AS ended, model, transcript_path FROM sessions',
    );
    assert.deepEqual(sessions, [
      {
        profile: 'cx',
        session_id: THREAD,
        turns: 1,
        status: 'ended',
        ended: 1,
        model: 'gpt-5.1-codex',
        transcript_path: join(home, 'sessions', '2026', '12', '03', `rollout-2026-12-03T10-00-00-${THREAD}.jsonl`),
      },
    ]);
    assert.equal(query(sb, 'SELECT COUNT(*) AS n FROM turns')[0]!.n, 1);
    assert.equal(query(sb, 'SELECT COUNT(*) AS n FROM hook_events')[0]!.n, 7);
  } finally {
    sb.cleanup();
  }
});

test('a Codex SessionStart past a band shows the warning once per session (systemMessage)', async () => {
  const sb = sandbox();
  try {
    const home = codexHome(sb);
    // The quota helper writes profile `work`: name the Codex profile so.
    assert.equal(ccx(sb, ['profile', 'add', 'work', '--agent', 'codex', '--config-dir', home]).status, 0);
    writeQuota(sb, 'warn', { configDir: home });
    const start = await fire(sb, home, 'SessionStart', { source: 'startup' });
    assert.deepEqual(JSON.parse(start.stdout), { systemMessage: messageAt('warn'), hookSpecificOutput: { hookEventName: 'SessionStart' } });
    const prompt = await fire(sb, home, 'UserPromptSubmit', { prompt: 'hi' });
    assert.equal(prompt.stdout, '', 'told once at this band');
    writeQuota(sb, 'soft', { configDir: home });
    const stop = await fire(sb, home, 'Stop', {});
    assert.deepEqual(JSON.parse(stop.stdout), { systemMessage: messageAt('soft') }, 'a band rise is told at Stop');
  } finally {
    sb.cleanup();
  }
});
