// Pure install/uninstall/status planning on settings.json texts: merge never clobbers, ccx's own
// entries are recognised exactly, uninstall restores the original bytes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HOOK_EVENT_NAMES, HOOK_EVENTS } from '../lib/contracts/hook-input';
import { SettingsError } from '../lib/settings/errors';
import { planInstall, planStatusLine, planUninstall } from '../lib/settings/plan';
import { isCcxHookCommand } from '../lib/settings/recognise';
import { registrationOf } from '../lib/settings/registration';
import { desiredSettings, type InstallContext } from '../lib/settings/snippet';
import { settingsStatus } from '../lib/settings/status';
import { splitPosixWords } from '../lib/settings/words';

const registration = { enforce: false, asyncHooks: true };
const ctx: InstallContext = { node: '/usr/bin/node', distDir: `/opt/it's a "ccx" $HOME \\ dir/dist`, profile: 'work', ...registration };
const moved: InstallContext = { node: '/usr/local/bin/node', distDir: '/srv/ccx-v2/dist', profile: 'work', ...registration };

type Entry = { type: string; command: string; timeout?: number; [k: string]: unknown };
type Group = { matcher?: string; hooks: Entry[] };
const parse = (text: string): Record<string, unknown> => JSON.parse(text.replace(/^\uFEFF/, ''));
const hooksOf = (text: string) => (parse(text).hooks ?? {}) as Record<string, Group[]>;
const ccxCommands = (text: string): { event: string; command: string }[] =>
  Object.entries(hooksOf(text)).flatMap(([event, groups]) =>
    groups.flatMap((g) => g.hooks.filter((h) => isCcxHookCommand(h.command)).map((h) => ({ event, command: h.command }))),
  );

const userStop = { type: 'command', command: 'notify-send "done"' };
const userBash = { type: 'command', command: '~/bin/guard.sh', timeout: 3 };

/** Files a user may have, none with ccx entries; each must survive install + uninstall byte for byte. */
const FIXTURES: Record<string, string> = {
  'empty object': '{}\n',
  'empty object, no newline': '{}',
  'no hooks key': `${JSON.stringify({ model: 'opus', permissions: { allow: ['Bash(ls:*)'], deny: [] } }, null, 2)}\n`,
  'other hooks on the same events': `${JSON.stringify(
    {
      hooks: {
        PreToolUse: [
          { matcher: 'Bash', hooks: [userBash] },
          { matcher: '*', hooks: [{ type: 'command', command: 'log-tool' }] },
        ],
        Stop: [{ hooks: [userStop] }],
        PostToolUse: [{ matcher: 'Edit|Write', hooks: [{ type: 'command', command: 'prettier --write' }] }],
      },
      model: 'sonnet',
    },
    null,
    2,
  )}\n`,
  'odd key order, hooks in the middle': JSON.stringify({ z: 1, hooks: { Stop: [{ hooks: [userStop] }] }, a: [true, null] }, null, 2),
  'four-space indent': `${JSON.stringify({ env: { A: '1' }, hooks: { Notification: [{ hooks: [userStop] }] } }, null, 4)}\n`,
  tabs: `${JSON.stringify({ env: { A: '1' }, statusLine: { type: 'command', command: 'my-line' } }, null, '\t')}\n`,
  CRLF: `${JSON.stringify({ hooks: { SessionStart: [{ matcher: 'startup', hooks: [userStop] }] } }, null, 2).replace(/\n/g, '\r\n')}\r\n`,
  'compact one line': '{"model":"opus","hooks":{"Stop":[{"hooks":[{"type":"command","command":"x"}]}]}}',
  'unusual but valid JSON':
    '{ "n": 1.0, "big": 123456789012345678901234567890, "exp": 1E+3, "esc": "\\u00e9\\/\\ud83d\\ude00", "dup": 1, "dup": 2,\n' +
    '  "nested": [[], {}, [{"a": {}}]], "": "", "hooks": {}, "Stop": "not an event here"\n}\n',
  'byte order mark': '\uFEFF{\n  "model": "opus"\n}\n',
  'empty hooks object and empty event array': '{\n  "hooks": {\n    "Stop": []\n  }\n}\n',
};
/** Containers ccx cannot tell from its own: an uninstall drops them once they are empty. */
const LOSES_EMPTY_CONTAINERS = new Set(['unusual but valid JSON', 'empty hooks object and empty event array']);

test('the snippet registers exactly the HOOK_EVENTS, each running `<node> <dist>/hooks/<kebab>.js --profile <name>`', () => {
  const want = desiredSettings(ctx);
  assert.deepEqual(want.hooks.map((h) => h.event).sort(), [...HOOK_EVENT_NAMES].sort());
  for (const h of want.hooks) {
    const kebab = HOOK_EVENTS[h.event as keyof typeof HOOK_EVENTS];
    const hook = [ctx.node, `${ctx.distDir}/hooks/${kebab}.js`, '--profile', 'work'];
    const words = splitPosixWords(h.entry.command)!;
    const how = registrationOf(h.event, ctx);
    const at = words.indexOf('exec');
    if (how === 'guarded') {
      // test -e <flag> || exec <hook> ; … | <hook> --async ; …
      assert.deepEqual(words.slice(at + 1, at + 5), hook);
      assert.equal(
        words
          .slice(at + 5)
          .join(' ')
          .split(`${hook.join(' ')} --async`).length,
        2,
        h.event,
      );
    } else if (how === 'async') {
      // … >> <spool file> || { … | exec <hook> --async ; }
      assert.equal(h.entry.async, true);
      assert.deepEqual(words.slice(at + 1, at + 6), [...hook, '--async']);
    } else {
      assert.deepEqual(words, hook);
    }
    assert.ok(h.entry.timeout !== undefined && h.entry.timeout <= 10, `${h.event}: timeout ${h.entry.timeout}`);
    assert.ok(isCcxHookCommand(h.entry.command));
  }
  assert.equal(want.hooks.find((h) => h.event === 'PreToolUse')!.matcher, '*');
  assert.deepEqual(splitPosixWords(want.statusLine.command), [ctx.node, `${ctx.distDir}/ccx.js`, 'statusline', '--profile', 'work']);
});

test('bad context is refused', () => {
  assert.throws(() => desiredSettings({ ...ctx, node: 'node' }), SettingsError);
  assert.throws(() => desiredSettings({ ...ctx, distDir: 'dist' }), SettingsError);
  assert.throws(() => desiredSettings({ ...ctx, profile: 'a b' }), SettingsError);
});

test('install into a missing file writes every hook, 2-space indented, newline-terminated', () => {
  const { text, changed } = planInstall(null, ctx);
  assert.ok(changed);
  assert.ok(text.endsWith('}\n') && text.startsWith('{\n  "hooks": {\n    "'));
  const want = desiredSettings(ctx);
  const hooks = hooksOf(text);
  for (const h of want.hooks) {
    assert.deepEqual(hooks[h.event], [h.matcher === undefined ? { hooks: [h.entry] } : { matcher: h.matcher, hooks: [h.entry] }]);
  }
});

for (const [name, original] of Object.entries(FIXTURES)) {
  test(`install merges, re-install is a no-op, uninstall restores: ${name}`, () => {
    const installed = planInstall(original, ctx);
    assert.ok(installed.changed);
    // The user's keys and hooks are all still there, in their order, ahead of ccx's groups.
    const before = parse(original);
    const after = parse(installed.text);
    assert.deepEqual(
      Object.keys(after).filter((k) => k !== 'hooks'),
      Object.keys(before).filter((k) => k !== 'hooks'),
    );
    for (const [event, groups] of Object.entries(hooksOf(original))) {
      assert.deepEqual(hooksOf(installed.text)[event]!.slice(0, groups.length), groups, event);
    }
    assert.equal(ccxCommands(installed.text).length, HOOK_EVENT_NAMES.length);
    assert.equal(settingsStatus(installed.text, ctx).state, 'installed');

    const again = planInstall(installed.text, ctx);
    assert.equal(again.changed, false);
    assert.equal(again.text, installed.text);

    const removed = planUninstall(installed.text);
    assert.ok(removed.changed);
    if (LOSES_EMPTY_CONTAINERS.has(name)) {
      assert.equal(ccxCommands(removed.text).length, 0);
      assert.equal(settingsStatus(removed.text, ctx).state, 'missing');
    } else {
      assert.equal(removed.text, original);
    }
    assert.equal(planUninstall(removed.text).changed, false);
  });
}

test('the user formatting is kept: indentation and line endings of the file', () => {
  const tabs = planInstall(FIXTURES.tabs!, ctx).text;
  assert.match(tabs, /\n\t"hooks": \{\n\t\t"SessionStart": \[\n\t\t\t\{/);
  const crlf = planInstall(FIXTURES.CRLF!, ctx).text;
  assert.equal(crlf.replace(/\r\n/g, '').includes('\n'), false);
  const compact = planInstall(FIXTURES['compact one line']!, ctx).text;
  assert.equal(compact.includes('\n'), false);
  const unusual = planInstall(FIXTURES['unusual but valid JSON']!, ctx).text;
  assert.ok(
    unusual.startsWith(
      '{ "n": 1.0, "big": 123456789012345678901234567890, "exp": 1E+3, "esc": "\\u00e9\\/\\ud83d\\ude00", "dup": 1, "dup": 2,',
    ),
  );
});

test('a moved checkout replaces ccx entries in place: no stale paths, no duplicates', () => {
  const original = FIXTURES['other hooks on the same events']!;
  const first = planInstall(original, ctx).text;
  const second = planInstall(first, moved);
  assert.ok(second.changed);
  const commands = ccxCommands(second.text);
  assert.equal(commands.length, HOOK_EVENT_NAMES.length);
  assert.deepEqual(new Set(commands.map((c) => c.event)), new Set(HOOK_EVENT_NAMES));
  for (const { command } of commands) assert.ok(command.includes(`${moved.node} ${moved.distDir}/hooks/`), command);
  assert.ok(!second.text.includes('/opt/'));
  // Same shape as a fresh install from the new checkout: replaced where they were.
  assert.equal(second.text, planInstall(original, moved).text);
  assert.equal(planUninstall(second.text).text, original);
});

test('keys the user added to a ccx entry survive a re-install', () => {
  const installed = planInstall('{}', ctx).text;
  const doc = parse(installed) as { hooks: Record<string, Group[]> };
  doc.hooks.Stop![0]!.hooks[0]!.statusMessage = 'recording';
  const edited = JSON.stringify(doc, null, 2);
  const again = hooksOf(planInstall(edited, moved).text).Stop![0]!.hooks[0]!;
  assert.equal(again.statusMessage, 'recording');
  assert.equal(again.command, desiredSettings(moved).hooks.find((h) => h.event === 'Stop')!.entry.command);
});

test('duplicate ccx entries, and entries for events ccx no longer registers, are removed', () => {
  const stale = { type: 'command', command: '/old/node /old/dist/hooks/post-tool-use.js --profile work', timeout: 5 };
  const base = parse(planInstall('{"hooks": {}}', ctx).text) as { hooks: Record<string, Group[]> };
  base.hooks.Stop!.push(base.hooks.Stop![0]!); // the same group twice
  base.hooks.PreToolUse!.unshift({ matcher: 'Bash', hooks: [{ ...userBash }, base.hooks.PreToolUse![0]!.hooks[0]!] });
  base.hooks.PostToolUse = [{ matcher: '*', hooks: [stale] }];
  const messy = `${JSON.stringify(base, null, 2)}\n`;
  assert.equal(settingsStatus(messy, ctx).state, 'partial');
  assert.equal((settingsStatus(messy, ctx) as { surplus: number }).surplus, 3);

  const cleaned = planInstall(messy, ctx).text;
  assert.equal(ccxCommands(cleaned).length, HOOK_EVENT_NAMES.length);
  assert.equal(hooksOf(cleaned).PostToolUse, undefined);
  assert.deepEqual(hooksOf(cleaned).PreToolUse![0], { matcher: 'Bash', hooks: [userBash] });
  assert.equal(settingsStatus(cleaned, ctx).state, 'installed');

  const gone = planUninstall(messy).text;
  assert.deepEqual(parse(gone), { hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [userBash] }] } });
});

test('a ccx entry under an equivalent matcher ("" for "*") is kept, not duplicated', () => {
  const installed = parse(planInstall(null, ctx).text) as { hooks: Record<string, Group[]> };
  installed.hooks.PreToolUse![0]!.matcher = '';
  const text = `${JSON.stringify(installed, null, 2)}\n`;
  assert.equal(planInstall(text, ctx).changed, false);
});

test('commands that only look like ccx are the user’s', () => {
  for (const command of [
    '/usr/bin/node /home/me/dist/hooks/stop.js', // no --profile
    'node /home/me/hooks/stop.js --profile work', // not under dist/hooks
    'node /home/me/dist/hooks/stop.sh --profile work',
    'echo dist/hooks/stop.js --profile', // no profile name
    "node '/home/me/dist/hooks/stop.js --profile work'", // one quoted word
  ]) {
    assert.equal(isCcxHookCommand(command), false, command);
    const text = `${JSON.stringify({ hooks: { Stop: [{ hooks: [{ type: 'command', command }] }] } }, null, 2)}\n`;
    assert.equal(planUninstall(text).changed, false, command);
    assert.equal(hooksOf(planInstall(text, ctx).text).Stop!.length, 2, command);
  }
});

test('invalid files are refused with a clear error, nothing planned', () => {
  const cases: [string, RegExp][] = [
    ['{\n  "model": "opus",\n}\n', /not valid JSON at line 3, column 1/],
    ['// comment\n{}', /not valid JSON at line 1, column 1/],
    ['[]', /top level is not a JSON object/],
    ['{"hooks": []}', /"hooks" is not an object/],
    ['{"hooks": "none"}', /"hooks" is not an object/],
  ];
  for (const [text, message] of cases) {
    assert.throws(
      () => planInstall(text, ctx),
      (e: unknown) => e instanceof SettingsError && message.test(e.message),
      text,
    );
    assert.throws(() => planUninstall(text), SettingsError, text);
    const status = settingsStatus(text, ctx);
    assert.equal(status.state, 'invalid', text);
  }
  assert.throws(() => planInstall('{"hooks": {"Stop": {}}}', ctx), /"hooks.Stop" is not an array/);
});

test('disableAllHooks: true is reported, and does not stop the install', () => {
  const text = '{\n  "disableAllHooks": true\n}\n';
  const installed = planInstall(text, ctx);
  assert.equal(installed.disableAllHooks, true);
  assert.equal(planInstall('{"disableAllHooks": false}', ctx).disableAllHooks, false);
  const status = settingsStatus(installed.text, ctx);
  assert.ok(status.state === 'disabled');
  assert.equal(status.hooks, 'installed');
});

test('status: missing, partial, stale', () => {
  assert.equal(settingsStatus(null, ctx).state, 'missing');
  assert.equal(settingsStatus('{"hooks": {}}', ctx).state, 'missing');
  const installed = parse(planInstall(null, ctx).text) as { hooks: Record<string, Group[]> };
  delete installed.hooks.Notification;
  const partial = settingsStatus(JSON.stringify(installed), ctx);
  assert.ok(partial.state === 'partial');
  assert.equal(partial.events.Notification, 'missing');
  assert.equal(partial.events.Stop, 'ok');
  const stale = settingsStatus(planInstall(null, moved).text, ctx);
  assert.ok(stale.state === 'partial');
  assert.ok(Object.values(stale.events).every((s) => s === 'stale'));
});

test('status line: added only when absent, the user’s never replaced, ccx’s kept current', () => {
  const added = planStatusLine('{\n  "model": "opus"\n}\n', ctx);
  assert.equal(added.outcome, 'added');
  assert.deepEqual(parse(added.text).statusLine, desiredSettings(ctx).statusLine);
  assert.equal(planStatusLine(added.text, ctx).changed, false);

  const users = '{\n  "statusLine": {\n    "type": "command",\n    "command": "~/.claude/line.sh"\n  }\n}\n';
  const kept = planStatusLine(users, ctx);
  assert.deepEqual([kept.outcome, kept.changed, kept.text], ['user', false, users]);
  assert.equal(planInstall(users, ctx).text.includes('"command": "~/.claude/line.sh"'), true);
  assert.equal(planUninstall(users).changed, false);

  // A ccx status line from another checkout follows the install; the user's padding stays.
  const old = parse(added.text);
  (old.statusLine as Record<string, unknown>).padding = 0;
  const oldText = `${JSON.stringify(old, null, 2)}\n`;
  const refreshed = parse(planInstall(oldText, moved).text).statusLine as Record<string, unknown>;
  assert.deepEqual(refreshed, { ...desiredSettings(moved).statusLine, padding: 0 });
  assert.equal(planStatusLine(oldText, moved).outcome, 'updated');
  const oldStatus = settingsStatus(oldText, moved);
  assert.ok(oldStatus.state !== 'invalid');
  assert.equal(oldStatus.statusLine, 'ccx-stale');

  // Uninstall takes ccx's status line away with the hooks.
  const full = planStatusLine(planInstall('{\n  "model": "opus"\n}\n', ctx).text, ctx).text;
  assert.equal(planUninstall(full).text, '{\n  "model": "opus"\n}\n');
});

test('shell word splitting reads back what quoting wrote', () => {
  assert.deepEqual(splitPosixWords(`a 'b c' "d \\"e\\" \\$f \\x" g\\ h`), ['a', 'b c', 'd "e" $f \\x', 'g h']);
  assert.equal(splitPosixWords(`a 'b`), null);
  assert.equal(splitPosixWords(`a "b`), null);
});

test('the fallback registration for an older Claude Code is outdated for a current one, and install turns it into the async one in place', () => {
  const sync = planInstall('{}', { ...ctx, asyncHooks: false }).text;
  const status = settingsStatus(sync, ctx);
  if (status.state === 'invalid') throw new Error(status.error);
  assert.equal(status.state, 'outdated');
  assert.deepEqual(
    Object.entries(status.events)
      .filter(([, v]) => v === 'outdated')
      .map(([k]) => k)
      .sort(),
    ['Notification', 'PostCompact', 'PreCompact', 'PreToolUse', 'SessionEnd', 'SubagentStop'],
  );
  const upgraded = planInstall(sync, ctx).text;
  assert.equal(upgraded, planInstall('{}', ctx).text, 'same as a fresh install: nothing duplicated');
  assert.equal(settingsStatus(upgraded, ctx).state, 'installed');
  // And back: enforce makes PreToolUse wait again (guarded), its "async" key removed.
  const enforced = planInstall(upgraded, { ...ctx, enforce: true }).text;
  const pre = hooksOf(enforced).PreToolUse![0]!.hooks[0]!;
  assert.equal('async' in pre, false);
  assert.equal(registrationOf('PreToolUse', { ...ctx, enforce: true }), 'guarded');
  assert.ok(pre.command.startsWith('test -e '), pre.command);
  assert.equal(settingsStatus(enforced, ctx).state, 'outdated');
});
