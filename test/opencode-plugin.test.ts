// ccx's OpenCode plugin, loaded as OpenCode loads it (the file `ccx hooks install` writes, which
// imports dist/opencode-plugin.mjs) and fed the events the real OpenCode 1.18.33 emitted: the
// inbox records it appends, what the real consolidator makes of them, and that it never throws.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';
import type { InboxRecord } from '../lib/contracts/inbox';
import { installOpenCodePlugin, openCodePluginStatus, uninstallOpenCodePlugin } from '../lib/opencode';
import { eventMapper } from '../lib/opencode/events';
import { consolidateOnce, DIST, query, ROOT, sandboxPool, waitFor } from './helpers/ccx';
import { ccx } from './helpers/cli';
import { OPENCODE_FIXTURES, openCodeDb } from './helpers/opencode';
import { profile } from './helpers/transcript-fixtures';

const sandbox = sandboxPool();
const events = readFileSync(join(OPENCODE_FIXTURES, 'events-1.18.33.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l));

type Hooks = { event?: (i: { event: unknown }) => Promise<void> };
type PluginFn = (input: { directory?: string }) => Promise<Hooks>;

/** An OpenCode data dir in the sandbox's home, its profile, and the plugin file installed for it. */
function setup() {
  const sb = sandbox();
  const dataDir = join(sb.root, '.local', 'share', 'opencode');
  mkdirSync(dataDir, { recursive: true });
  const prof = { ...profile('oc', dataDir), agent: 'opencode' as const };
  mkdirSync(sb.home, { recursive: true, mode: 0o700 });
  writeFileSync(join(sb.home, 'config.toml'), `[profiles.oc]\nconfig_dir = ${JSON.stringify(dataDir)}\nagent = "opencode"\n`);
  const ctx = { node: process.execPath, distDir: DIST, env: sb.env };
  return { sb, dataDir, prof, ctx };
}

/** Imports the installed plugin file the way OpenCode does and calls each exported plugin. */
async function load(path: string, input: { directory?: string }): Promise<Hooks[]> {
  const mod = (await import(`${pathToFileURL(path).href}?${Math.random()}`)) as Record<string, PluginFn>;
  return Promise.all(Object.values(mod).map((fn) => fn(input)));
}

const inbox = (home: string): InboxRecord[] => {
  try {
    return readFileSync(join(home, 'inbox.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
  } catch {
    return [];
  }
};

test('the plugin bundle is small and loads no SQLite, full zod, YAML, TOML, lock library or consolidator code', () => {
  const { metafile } = buildSync({
    entryPoints: [join(ROOT, 'lib', 'opencode', 'plugin.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    outdir: '/nonexistent',
    metafile: true,
  });
  // What the output holds after tree shaking (a folder's index.ts names more than the plugin uses).
  const inputs = Object.values(metafile.outputs).flatMap((o) =>
    Object.entries(o.inputs)
      .filter(([, v]) => v.bytesInOutput > 0)
      .map(([k]) => k),
  );
  assert.ok(inputs.includes('lib/inbox/append.ts'), 'the inbox append is in it');
  const heavy =
    /node_modules\/(better-sqlite3|zod|yaml|@iarna\/toml|proper-lockfile)\/|lib\/(store|pricing|transcripts|report|consolidator|profiles|settings|doctor|cli)\//;
  assert.deepEqual(
    inputs.filter((i) => heavy.test(i)),
    [],
  );
  assert.ok(statSync(join(DIST, 'opencode-plugin.mjs')).size < 16 * 1024);
});

test('install writes one plugin file in the config dir that goes with the data dir; status and uninstall know it', () => {
  const { sb, prof, ctx } = setup();
  const r = installOpenCodePlugin(prof, ctx);
  assert.equal(r.path, join(sb.root, '.config', 'opencode', 'plugins', 'ccx-oc.js'));
  assert.equal(r.changed, true);
  assert.equal(installOpenCodePlugin(prof, ctx).changed, false);
  assert.equal(openCodePluginStatus(prof, ctx).state, 'installed');
  assert.equal(openCodePluginStatus(prof, { ...ctx, distDir: '/elsewhere/dist' }).state, 'outdated');
  assert.equal(uninstallOpenCodePlugin(prof, ctx).changed, true);
  assert.equal(openCodePluginStatus(prof, ctx).state, 'missing');
  assert.equal(uninstallOpenCodePlugin(prof, ctx).changed, false);
  writeFileSync(r.path, 'export const Mine = async () => ({});\n');
  assert.equal(openCodePluginStatus(prof, ctx).state, 'foreign');
  assert.throws(() => installOpenCodePlugin(prof, ctx), /is not ccx's/);
  assert.equal(uninstallOpenCodePlugin(prof, ctx).changed, false, "a user's file is never removed");
  assert.equal(readFileSync(r.path, 'utf8'), 'export const Mine = async () => ({});\n');
});

test("the real OpenCode's events → inbox records → sessions and turns, usage from its database", async (t) => {
  const { sb, dataDir, prof, ctx } = setup();
  const { path } = installOpenCodePlugin(prof, ctx);
  const saved = { ...process.env };
  t.after(() => {
    process.env = saved;
  });
  process.env = { ...sb.env };
  const [hooks] = await load(path, { directory: '/tmp/oc/proj' });
  assert.ok(hooks?.event, 'the plugin subscribes to events');
  for (const event of events) await hooks.event({ event });
  assert.ok(await waitFor(() => inbox(sb.home).length >= 14), 'the queued appends land');
  const recs = inbox(sb.home);
  const sid = (r: InboxRecord) => String(r.payload.session_id).slice(-6);
  // Four `opencode run`s: a reply, a bash call, a 400 from the provider (session.idle twice after
  // it), and a task call whose child session is a sub-agent of its parent.
  assert.deepEqual(
    recs.map((r) => `${r.event} ${sid(r)}${r.payload.agent_id ? ` ${String(r.payload.agent_id).slice(-6)}` : ''}`),
    [
      'SessionStart 7xGlvK',
      'UserPromptSubmit 7xGlvK',
      'Stop 7xGlvK',
      'SessionStart 3B5HyG',
      'UserPromptSubmit 3B5HyG',
      'Stop 3B5HyG',
      'SessionStart fqso4k',
      'UserPromptSubmit fqso4k',
      'StopFailure fqso4k',
      'SessionStart EnRR0x',
      'UserPromptSubmit EnRR0x',
      'SubagentStart EnRR0x QILHL0',
      'SubagentStop EnRR0x QILHL0',
      'Stop EnRR0x',
    ],
  );
  for (const r of recs) {
    assert.equal(r.profile, 'oc');
    assert.equal(r.config_dir, dataDir);
    assert.equal(r.agent, 'opencode');
    assert.equal(r.payload.cwd, '/tmp/oc/proj');
  }
  const failure = recs.find((r) => r.event === 'StopFailure')!;
  assert.equal(failure.payload.error, 'invalid_request');
  assert.equal(failure.payload.error_details, 'stub failure');

  // The real consolidator: sessions and turns from the records, usage from OpenCode's database.
  const oc = openCodeDb(join(dataDir, 'opencode.db'));
  oc.close();
  consolidateOnce(sb);
  const sessions = query<{ session_id: string; turns: number; failed_turns: number; status: string }>(
    sb,
    `SELECT session_id, turns, failed_turns, status FROM sessions WHERE profile = 'oc' ORDER BY session_id`,
  );
  assert.deepEqual(sessions.map((s) => [s.session_id.slice(-6), s.turns, s.failed_turns, s.status]).sort(), [
    ['3B5HyG', 1, 0, 'completed'],
    ['7xGlvK', 1, 0, 'completed'],
    ['EnRR0x', 1, 0, 'completed'],
    ['fqso4k', 1, 1, 'failed'],
  ]);
  const usage = query<{ n: number; agent: string }>(sb, `SELECT COUNT(*) AS n, agent FROM usage WHERE profile = 'oc' GROUP BY agent`);
  assert.deepEqual(usage, [{ n: 6, agent: 'opencode' }]);
});

test('never throws, and records nothing for an OpenCode of another data dir or into an unsafe home', async (t) => {
  const { sb, prof, ctx } = setup();
  const { path } = installOpenCodePlugin(prof, ctx);
  const saved = { ...process.env };
  t.after(() => {
    process.env = saved;
  });
  process.env = { ...sb.env };
  const [hooks] = await load(path, {});
  for (const event of [
    null,
    42,
    {},
    { type: 'session.created' },
    { type: 'session.idle', properties: null },
    { type: 'message.updated', properties: { info: 'x' } },
  ])
    await hooks!.event!({ event });
  // The inbox path is a directory: every write fails, and is logged.
  mkdirSync(join(sb.home, 'inbox.jsonl'));
  await hooks!.event!({ event: { type: 'session.created', properties: { info: { id: 'ses_x', directory: '/p' } } } });
  assert.ok(await waitFor(() => readFileSync(join(sb.home, 'logs', 'hooks.log'), 'utf8').includes('SessionStart lost')));

  process.env = { ...sb.env, XDG_DATA_HOME: join(sb.root, 'other') };
  const [elsewhere] = await load(path, {});
  assert.deepEqual(elsewhere, {});
  assert.match(readFileSync(join(sb.home, 'logs', 'hooks.log'), 'utf8'), /not recording: this OpenCode's data dir is/);

  // A home others may write to (lib/home-trust.ts): no hooks at all, not even a log line.
  process.env = { ...sb.env };
  const logBefore = readFileSync(join(sb.home, 'logs', 'hooks.log'), 'utf8');
  chmodSync(sb.home, 0o777);
  t.after(() => chmodSync(sb.home, 0o700));
  assert.deepEqual(await load(path, {}), [{}]);
  assert.equal(readFileSync(join(sb.home, 'logs', 'hooks.log'), 'utf8'), logBefore);
});

test('turns: an abort ends the turn as a Stop, errors map to ccx codes, a plugin loaded mid-turn records no Stop for it', () => {
  const map = eventMapper('/p');
  const ev = (type: string, properties: Record<string, unknown>) => map({ type, properties })?.event ?? null;
  const user = (sid: string, id: string) => ({ info: { id, sessionID: sid, role: 'user', model: { modelID: 'm' } } });
  assert.equal(ev('session.idle', { sessionID: 's0' }), null, 'no prompt seen: not a turn');
  assert.equal(ev('message.updated', user('s1', 'u1')), 'UserPromptSubmit');
  assert.equal(ev('message.updated', user('s1', 'u1')), null, 'the same prompt updated again');
  assert.equal(ev('session.error', { sessionID: 's1', error: { name: 'MessageAbortedError', data: { message: 'aborted' } } }), null);
  assert.equal(ev('session.idle', { sessionID: 's1' }), 'Stop');
  const code = (error: Record<string, unknown>) => {
    ev('message.updated', user('s2', `u${Math.random()}`));
    return map({ type: 'session.error', properties: { sessionID: 's2', error } })?.payload.error;
  };
  assert.equal(code({ name: 'ProviderAuthError', data: { providerID: 'x', message: 'no key' } }), 'authentication_failed');
  assert.equal(code({ name: 'APIError', data: { message: 'slow down', statusCode: 429, isRetryable: true } }), 'rate_limit');
  assert.equal(code({ name: 'APIError', data: { message: 'boom', statusCode: 503, isRetryable: true } }), 'server_error');
  assert.equal(code({ name: 'MessageOutputLengthError', data: {} }), 'max_output_tokens');
  assert.equal(code({ name: 'SomethingNew' }), 'unknown');
  assert.equal(ev('session.idle', { sessionID: 's2' }), null, 'the failure closed the turn');
});

test('ccx profile add --agent opencode, hooks status, hooks uninstall: the plugin file, not a settings.json', async () => {
  const { sb, dataDir } = setup();
  rmSync(join(sb.home, 'config.toml')); // setup's profile: registered here by the CLI instead
  const plugin = join(sb.root, '.config', 'opencode', 'plugins', 'ccx-oc2.js');
  const add = await ccx(sb, ['profile', 'add', 'oc2', '--agent', 'opencode', '--config-dir', dataDir]);
  assert.equal(add.code, 0, add.stderr);
  assert.match(add.stdout, new RegExp(`oc2: OpenCode plugin installed: ${plugin}`));
  assert.ok(!existsSync(join(dataDir, 'settings.json')));
  const status = await ccx(sb, ['hooks', 'status', '--profile', 'oc2', '--json']);
  assert.equal(status.code, 0, status.stderr);
  assert.deepEqual(JSON.parse(status.stdout)[0], {
    profile: 'oc2',
    settings: plugin,
    state: 'installed',
    detail: 'OpenCode plugin installed',
    fix: null,
  });
  // doctor judges the same plugin file (it once looked for a settings.json and failed).
  const doctor = await ccx(sb, ['doctor', '--json']);
  const hooks = (JSON.parse(doctor.stdout) as { checks: { name: string; status: string; message: string }[] }).checks.find(
    (c) => c.name === 'oc2: hooks',
  );
  assert.equal(hooks?.status, 'ok', doctor.stdout);
  assert.match(hooks.message, /OpenCode plugin installed/);
  const removed = await ccx(sb, ['hooks', 'uninstall', '--profile', 'oc2']);
  assert.match(removed.stdout, /oc2: ccx plugin removed/);
  assert.ok(!existsSync(plugin));
  const after = await ccx(sb, ['hooks', 'status', '--profile', 'oc2']);
  assert.equal(after.code, 1, 'a missing plugin fails the status');
  assert.match(after.stdout, /missing +no ccx plugin in OpenCode/);
});
