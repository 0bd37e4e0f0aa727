// Quota warnings as Claude Code sees them: real hook processes reading a quota.json written here.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HookEventName } from '../lib/contracts/hook-input';
import { payload, runHook, type Sandbox, sandbox } from './helpers/ccx';
import { messageAt, writeQuota } from './helpers/quota';

async function out(sb: Sandbox, event: HookEventName, session: string, profile: string | null = 'work') {
  const r = await runHook(event, payload(event, session, sb, event === 'PreToolUse' ? { tool_name: 'Bash', tool_input: {} } : {}), sb, {
    profile: profile ?? undefined,
  });
  assert.equal(r.code, 0);
  const lines = r.stdout.split('\n').filter(Boolean);
  assert.ok(lines.length <= 1, `at most one line of JSON: ${r.stdout}`);
  return lines.length ? (JSON.parse(lines[0]!) as Record<string, any>) : null;
}

test('SessionStart at warn or worse always shows the message; other hooks only when the band rose', async () => {
  const sb = sandbox();
  try {
    writeQuota(sb, 'ok');
    assert.equal(await out(sb, 'SessionStart', 's1'), null, 'nothing at ok');
    writeQuota(sb, 'warn');
    assert.deepEqual(await out(sb, 'SessionStart', 's1'), {
      systemMessage: 'ccx [work]: 5 h window 80 % (80/100 turns)',
      hookSpecificOutput: { hookEventName: 'SessionStart' },
    });
    assert.equal(await out(sb, 'UserPromptSubmit', 's1'), null, 'already told about warn');
    assert.equal(await out(sb, 'PreToolUse', 's1'), null);
    const other = await out(sb, 'UserPromptSubmit', 's2');
    assert.deepEqual(other, {
      systemMessage: 'ccx [work]: 5 h window 80 % (80/100 turns)',
      hookSpecificOutput: { hookEventName: 'UserPromptSubmit' },
    });
    assert.equal(await out(sb, 'Stop', 's2'), null);
    writeQuota(sb, 'soft');
    assert.deepEqual(
      await out(sb, 'Stop', 's2'),
      { systemMessage: 'ccx [work]: 5 h window 95 % (95/100 turns)' },
      'Stop has no hookSpecificOutput',
    );
    assert.equal(await out(sb, 'PreToolUse', 's2'), null);
    writeQuota(sb, 'warn');
    assert.equal(await out(sb, 'PreToolUse', 's2'), null, 'falling back to warn after soft is not news');
    for (const e of ['SubagentStop', 'Notification', 'PreCompact', 'PostCompact', 'SessionEnd', 'StopFailure'] as const) {
      assert.equal(await out(sb, e, 's3'), null, `${e} never announces`);
    }
  } finally {
    sb.cleanup();
  }
});

test('ten PreToolUse hooks of one session at once: exactly one announces the band', async () => {
  const sb = sandbox();
  try {
    writeQuota(sb, 'soft');
    const outs = await Promise.all(Array.from({ length: 10 }, () => out(sb, 'PreToolUse', 'busy')));
    assert.equal(outs.filter(Boolean).length, 1);
  } finally {
    sb.cleanup();
  }
});

test('the profile comes from the config dir when the hook has no --profile', async () => {
  const sb = sandbox();
  try {
    writeQuota(sb, 'warn');
    assert.ok(await out(sb, 'UserPromptSubmit', 's1', null));
    writeQuota(sb, 'warn', { configDir: '/some/other/dir' });
    assert.equal(await out(sb, 'UserPromptSubmit', 's2', null), null, 'another profile is not ours');
  } finally {
    sb.cleanup();
  }
});

test('a snapshot whose window has already reset is not announced', async () => {
  const sb = sandbox();
  try {
    writeQuota(sb, 'hard', { resetsAt: Date.now() - 1000, enforce: true });
    assert.equal(await out(sb, 'SessionStart', 's1'), null);
    assert.equal(await out(sb, 'PreToolUse', 's1'), null, 'and nothing is denied on stale figures');
  } finally {
    sb.cleanup();
  }
});

test('enforcement: at hard with enforce = true PreToolUse denies, every time; never an allow', async () => {
  const sb = sandbox();
  try {
    writeQuota(sb, 'hard', { enforce: true });
    const deny = {
      hookSpecificOutput: {
        hookEventName: 'PreToolUse',
        permissionDecision: 'deny',
        permissionDecisionReason: 'ccx [work]: 5 h window 100 % (100/100 turns)',
      },
    };
    assert.deepEqual(await out(sb, 'PreToolUse', 's1'), deny, 'the reason alone: no systemMessage repeating it');
    assert.deepEqual(await out(sb, 'PreToolUse', 's1'), deny, 'a deny is repeated: each tool call is blocked');
    writeQuota(sb, 'soft', { enforce: true });
    const soft = await out(sb, 'PreToolUse', 's2');
    assert.deepEqual(
      soft,
      { systemMessage: 'ccx [work]: 5 h window 95 % (95/100 turns)', hookSpecificOutput: { hookEventName: 'PreToolUse' } },
      'below hard nothing is decided',
    );
    writeQuota(sb, 'hard', { enforce: false });
    const off = await out(sb, 'PreToolUse', 's3');
    assert.deepEqual(off, {
      systemMessage: 'ccx [work]: 5 h window 100 % (100/100 turns)',
      hookSpecificOutput: { hookEventName: 'PreToolUse' },
    });
  } finally {
    sb.cleanup();
  }
});

test("Stop judges with the turn it ends: quota.json's after_turn while it has not counted that turn", async () => {
  const sb = sandbox();
  try {
    writeQuota(sb, 'ok', { afterTurn: 'warn', generatedAt: Date.now() - 1000 });
    assert.equal(await out(sb, 'SessionStart', 's1'), null, 'the turns counted so far are under 75 %');
    assert.deepEqual(await out(sb, 'Stop', 's1'), { systemMessage: messageAt('warn') }, 'this turn reaches 75 %');
    writeQuota(sb, 'warn', { afterTurn: 'hard' });
    assert.deepEqual(
      await out(sb, 'SessionStart', 's2'),
      { systemMessage: messageAt('warn'), hookSpecificOutput: { hookEventName: 'SessionStart' } },
      'quota.json computed after that Stop has counted it: its own figures',
    );
  } finally {
    sb.cleanup();
  }
});

test('a tool call after a crossing Stop quota.json has not counted yet is denied, in any session', async () => {
  const sb = sandbox();
  try {
    writeQuota(sb, 'warn', { afterTurn: 'hard', enforce: true, generatedAt: Date.now() - 1000 });
    assert.deepEqual(
      await out(sb, 'PreToolUse', 's1'),
      { systemMessage: messageAt('warn'), hookSpecificOutput: { hookEventName: 'PreToolUse' } },
      'no turn has ended since quota.json: warn, the call runs',
    );
    assert.deepEqual(await out(sb, 'Stop', 's1'), { systemMessage: messageAt('hard') });
    const deny = {
      hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: messageAt('hard') },
    };
    assert.deepEqual(await out(sb, 'PreToolUse', 's1'), deny, 'the next call of that session');
    assert.deepEqual(await out(sb, 'PreToolUse', 's2'), deny, 'and of the next session');
    assert.equal(await out(sb, 'Stop', 's2'), null, 'the deny told s2 about hard');
  } finally {
    sb.cleanup();
  }
});
