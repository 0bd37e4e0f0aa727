// `ccx statusline` as Claude Code runs it: stdin JSON in, one line out, rate_limits recorded
// through the inbox only when they change, and the consolidator preferring them over estimates.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Band, ProfileQuota } from '../lib/contracts/quota';
import { DEFAULT_FORMAT, parseTemplate, type Template } from '../lib/statusline/layout';
import { render } from '../lib/statusline/run';
import { consolidateOnce, DIST, query, runNode, type Sandbox, sandbox } from './helpers/ccx';

function statusInput(sb: Sandbox, fivePct: number, resetsAtSec: number) {
  return JSON.stringify({
    session_id: 'sess-1',
    transcript_path: join(sb.configDir, 'projects', '-p', 'sess-1.jsonl'),
    model: { id: 'claude-sonnet-4-5', display_name: 'Sonnet 4.5' },
    cost: { total_cost_usd: 0.12 },
    rate_limits: {
      five_hour: { used_percentage: fivePct, resets_at: resetsAtSec },
      seven_day: { used_percentage: 12.5, resets_at: resetsAtSec + 86_400 },
    },
  });
}

const run = (sb: Sandbox, input: string) =>
  runNode(join(DIST, 'ccx.js'), ['statusline', '--profile', 'work'], { env: { ...sb.env, NO_COLOR: '1' }, input });

const inboxRecords = (sb: Sandbox) => {
  const p = join(sb.home, 'inbox.jsonl');
  return existsSync(p)
    ? readFileSync(p, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
    : [];
};

test('prints one line with the real figures and records them once until they change', async () => {
  const sb = sandbox();
  try {
    mkdirSync(sb.home, { recursive: true });
    writeFileSync(join(sb.home, 'config.toml'), `[profiles.work]\nconfig_dir = ${JSON.stringify(sb.configDir)}\n`);
    mkdirSync(join(sb.home, 'consolidator.lock')); // no background consolidator in this test
    const resets = Math.floor(Date.UTC(2030, 0, 1, 14, 5) / 1000);
    const first = await run(sb, statusInput(sb, 42.7, resets));
    assert.equal(first.code, 0);
    assert.equal(first.stdout, 'work │ 5h 43% ↻2030-01-01 14:05 │ wk 13% ↻2030-01-02 14:05 │ Sonnet 4.5 │ $0.12 session\n');
    assert.equal((await run(sb, statusInput(sb, 42.7, resets))).code, 0);
    assert.equal(inboxRecords(sb).length, 1, 'unchanged figures are not recorded again');
    await run(sb, statusInput(sb, 80, resets));
    const records = inboxRecords(sb);
    assert.equal(records.length, 2);
    assert.deepEqual([records[1].kind, records[1].event, records[1].profile], ['statusline', 'StatusLine', 'work']);

    rmLock(sb);
    consolidateOnce(sb);
    assert.deepEqual(query(sb, 'SELECT window, used_percentage, resets_at FROM rate_limits ORDER BY window'), [
      { window: 'five_hour', used_percentage: 80, resets_at: resets * 1000 },
      { window: 'seven_day', used_percentage: 12.5, resets_at: (resets + 86_400) * 1000 },
    ]);
    const snap = JSON.parse(readFileSync(join(sb.home, 'quota.json'), 'utf8'));
    assert.deepEqual([snap.profiles.work.windows.five_hour.source, snap.profiles.work.band], ['claude-code', 'warn']);
    const after = await run(sb, JSON.stringify({ session_id: 'sess-1' }));
    assert.equal(
      after.stdout,
      'work │ 5h 80% ↻2030-01-01 14:05 │ wk 13% ↻2030-01-02 14:05 │ $0.00 today\n',
      'figures from quota.json without rate_limits on stdin',
    );
  } finally {
    sb.cleanup();
  }
});

test('garbage on stdin still prints a line and exits 0', async () => {
  const sb = sandbox();
  try {
    const r = await run(sb, 'not json');
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'work\n');
  } finally {
    sb.cleanup();
  }
});

function rmLock(sb: Sandbox) {
  require('node:fs').rmSync(join(sb.home, 'consolidator.lock'), { recursive: true });
}

test('without --profile the profile comes from the config dir, however CLAUDE_CONFIG_DIR is spelled', async () => {
  const sb = sandbox();
  try {
    mkdirSync(join(sb.home, 'consolidator.lock'), { recursive: true });
    const quota = {
      v: 1,
      generated_at: Date.now(),
      profiles: { work: { config_dir: sb.configDir, band: 'ok', windows: {}, today: { tokens: 0, usd: 1.5 } } },
    };
    writeFileSync(join(sb.home, 'quota.json'), JSON.stringify(quota));
    const env = { ...sb.env, NO_COLOR: '1', CLAUDE_CONFIG_DIR: `${sb.configDir}/` };
    const r = await runNode(join(DIST, 'ccx.js'), ['statusline'], { env, input: '{}' });
    assert.equal(r.stdout, 'work │ $1.50 today\n');
    const viaTranscript: NodeJS.ProcessEnv = { ...sb.env, NO_COLOR: '1' };
    delete viaTranscript.CLAUDE_CONFIG_DIR;
    const input = JSON.stringify({ transcript_path: join(sb.configDir, 'projects', '-p', 's.jsonl') });
    assert.equal((await runNode(join(DIST, 'ccx.js'), ['statusline'], { env: viaTranscript, input })).stdout, 'work │ $1.50 today\n');
  } finally {
    sb.cleanup();
  }
});

test("the line takes the band's colour: none at ok, yellow at warn, red at soft, bold red at hard", () => {
  const now = Date.UTC(2030, 0, 1, 12, 0);
  const quota = (band: Band, pct: number): ProfileQuota => ({
    config_dir: '/c',
    label: null,
    plan_tier: 'pro',
    band,
    worst: 'five_hour',
    windows: { five_hour: { used: null, cap: null, pct, resets_at: null, unit: 'percent', source: 'claude-code' } },
    unavailable_until: null,
    headroom_pct: 100 - pct,
    enforce: false,
    today: { tokens: 0, usd: 1234.5 },
    suggestion: null,
    message: null,
  });
  const template = parseTemplate(DEFAULT_FORMAT) as Template;
  const line = (band: Band, pct: number, env: Record<string, string> = {}) =>
    render({ profile: 'work', quota: quota(band, pct), status: {}, now, tz: 'UTC' }, template, env);
  assert.equal(line('ok', 41.5), 'work │ 5h 42% │ $1234.50 today');
  assert.equal(line('warn', 80), '\x1b[33mwork │ 5h 80% │ $1234.50 today\x1b[0m');
  assert.equal(line('soft', 95), '\x1b[31mwork │ 5h 95% │ $1234.50 today\x1b[0m');
  assert.equal(line('hard', 100), '\x1b[1;31mwork │ 5h 100% │ $1234.50 today\x1b[0m');
  assert.equal(line('hard', 100, { NO_COLOR: '1' }), 'work │ 5h 100% │ $1234.50 today');
});

test('the first line fed 95 % is red: the colour follows the figures on stdin, not the older snapshot', async () => {
  const sb = sandbox();
  try {
    mkdirSync(join(sb.home, 'consolidator.lock'), { recursive: true }); // quota.json stays as written
    const five = { used: null, cap: null, pct: 80, resets_at: null, unit: 'percent', source: 'claude-code' };
    const work = { config_dir: sb.configDir, band: 'warn', worst: 'five_hour', windows: { five_hour: five }, unavailable_until: null };
    writeFileSync(
      join(sb.home, 'quota.json'),
      JSON.stringify({ v: 1, generated_at: Date.now(), profiles: { work: { ...work, today: { tokens: 0, usd: 0 } } } }),
    );
    const resets = Math.floor(Date.UTC(2030, 0, 1, 14, 5) / 1000);
    const env = { ...sb.env, TZ: 'UTC', NO_COLOR: '' };
    const r = await runNode(join(DIST, 'ccx.js'), ['statusline', '--profile', 'work'], { env, input: statusInput(sb, 95, resets) });
    assert.equal(
      r.stdout,
      '\x1b[31mwork │ 5h 95% ↻2030-01-01 14:05 │ wk 13% ↻2030-01-02 14:05 │ $0.00 today │ Sonnet 4.5 │ $0.12 session\x1b[0m\n',
    );
  } finally {
    sb.cleanup();
  }
});

// The fields, layout and failures of the line, through dist/ccx.js as Claude Code runs it.

const FIVE_RESETS = Date.UTC(2030, 0, 1, 14, 5);
const WEEK_RESETS = Date.UTC(2030, 0, 5, 9, 0);

/** Claude Code's status JSON with every field the line shows. */
const fullStatus = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    session_id: 'sess-1',
    model: { id: 'claude-opus-4-8', display_name: 'Opus 4.8' },
    cost: { total_cost_usd: 1.234 },
    context_window: { used_percentage: 61.5 },
    rate_limits: {
      five_hour: { used_percentage: 42.7, resets_at: FIVE_RESETS / 1000 },
      seven_day: { used_percentage: 12.5, resets_at: WEEK_RESETS / 1000 },
    },
    ...extra,
  });

/** A sandbox whose quota.json has profile `work` (today $3.21, `windows` as given) and stays as written. */
function withQuota(windows: Record<string, unknown> = {}): Sandbox {
  const sb = sandbox();
  mkdirSync(join(sb.home, 'consolidator.lock'), { recursive: true }); // no consolidator rewrites quota.json
  const work = { config_dir: sb.configDir, band: 'ok', worst: null, windows, unavailable_until: null, today: { tokens: 0, usd: 3.21 } };
  writeFileSync(join(sb.home, 'quota.json'), JSON.stringify({ v: 1, generated_at: Date.now(), profiles: { work } }));
  return sb;
}

const statusLine = (sb: Sandbox, input: string, args: string[] = [], env: Record<string, string> = {}) =>
  runNode(join(DIST, 'ccx.js'), ['statusline', '--profile', 'work', ...args], { env: { ...sb.env, NO_COLOR: '1', ...env }, input });

test('each field from stdin: model, session cost, context, 5 h and weekly with their resets in TZ; today from quota.json', async () => {
  const sb = withQuota();
  try {
    const tokyo = await statusLine(sb, fullStatus(), [], { TZ: 'Asia/Tokyo' });
    assert.equal(tokyo.code, 0);
    assert.equal(
      tokyo.stdout,
      'work │ 5h 43% ↻2030-01-01 23:05 │ wk 13% ↻2030-01-05 18:00 │ $3.21 today │ ctx 62% │ Opus 4.8 │ $1.23 session\n',
    );
    const utc = await statusLine(sb, fullStatus({ model: { id: 'claude-opus-4-8' } }), [], { TZ: 'UTC' });
    assert.equal(
      utc.stdout,
      'work │ 5h 43% ↻2030-01-01 14:05 │ wk 13% ↻2030-01-05 09:00 │ $3.21 today │ ctx 62% │ claude-opus-4-8 │ $1.23 session\n',
      'the reset times follow TZ; the model id stands in for a missing display name',
    );
  } finally {
    sb.cleanup();
  }
});

test("ccx's own figures (turn estimate, calibrated) are marked ~; Claude Code's are not", async () => {
  const five = { used: 180, cap: 225, pct: 80, resets_at: FIVE_RESETS, unit: 'turns', source: 'estimate' };
  const weekly = { used: null, cap: null, pct: 31.2, resets_at: null, unit: 'percent', source: 'calibrated' };
  const sb = withQuota({ five_hour: five, weekly });
  try {
    assert.equal((await statusLine(sb, '{}')).stdout, 'work │ 5h ~80% ↻2030-01-01 14:05 │ wk ~31% │ $3.21 today\n');
    const fiveFromStdin = JSON.stringify({ rate_limits: { five_hour: { used_percentage: 50, resets_at: FIVE_RESETS / 1000 } } });
    assert.equal(
      (await statusLine(sb, fiveFromStdin)).stdout,
      'work │ 5h 50% ↻2030-01-01 14:05 │ wk ~31% │ $3.21 today\n',
      "stdin's 5 h figure is Claude Code's; the weekly one is still ccx's",
    );
  } finally {
    sb.cleanup();
  }
});

test('a narrow terminal: the weekly reset goes first, then session, model, context, today, the 5 h reset', async () => {
  const sb = withQuota();
  try {
    const expected: Record<number, string> = {
      200: 'work │ 5h 43% ↻2030-01-01 14:05 │ wk 13% ↻2030-01-05 09:00 │ $3.21 today │ ctx 62% │ Opus 4.8 │ $1.23 session',
      100: 'work │ 5h 43% ↻2030-01-01 14:05 │ wk 13% │ $3.21 today │ ctx 62% │ Opus 4.8 │ $1.23 session',
      80: 'work │ 5h 43% ↻2030-01-01 14:05 │ wk 13% │ $3.21 today │ ctx 62% │ Opus 4.8',
      60: 'work │ 5h 43% ↻2030-01-01 14:05 │ wk 13% │ $3.21 today',
      40: 'work │ 5h 43% │ wk 13% │ $3.21 today',
      20: 'work │ 5h 43% │ wk 13%',
    };
    for (const [cols, line] of Object.entries(expected)) {
      const r = await statusLine(sb, fullStatus(), [], { COLUMNS: cols });
      assert.equal(r.stdout, `${line}\n`, `COLUMNS=${cols}`);
      if (Number(cols) > 30) assert.ok([...line].length <= Number(cols) - 3, `COLUMNS=${cols}: fits beside Claude Code's margin`);
    }
    assert.equal((await statusLine(sb, fullStatus(), [], { COLUMNS: 'wide' })).stdout, `${expected[200]}\n`, 'no usable COLUMNS: no limit');
  } finally {
    sb.cleanup();
  }
});

test('--format sets the order; a field with nothing to show takes its separator with it; it narrows the same way', async () => {
  const sb = withQuota();
  const noContext = fullStatus({ context_window: {} });
  try {
    const ordered = await statusLine(sb, noContext, ['--format', '{model} · {ctx} · {5h} · {profile}']);
    assert.equal(ordered.stdout, 'Opus 4.8 · 5h 43% ↻2030-01-01 14:05 · work\n');
    assert.equal((await statusLine(sb, noContext, ['--format=[{wk}] {today}!'])).stdout, '[wk 13% ↻2030-01-05 09:00] $3.21 today!\n');
    const gaps = await statusLine(sb, fullStatus({ context_window: {}, cost: {} }), [
      '--format',
      '<{ctx} : {model} - {session} + {profile} / {wk}>',
    ]);
    assert.equal(
      gaps.stdout,
      '<Opus 4.8 - work / wk 13% ↻2030-01-05 09:00>\n',
      'the text after a field shown separates it from the next one shown',
    );
    const narrow = await statusLine(sb, noContext, ['--format', '{session} {5h} {profile}'], { COLUMNS: '30' });
    assert.equal(narrow.stdout, '$1.23 session 5h 43% work\n');
    assert.equal(ordered.stderr, '');
  } finally {
    sb.cleanup();
  }
});

test('bad input still prints a line and exits 0: unknown fields, a missing template, wrong types, escapes', async () => {
  const sb = withQuota();
  try {
    const unknown = await statusLine(sb, fullStatus(), ['--format', '{model} {nope} {5h} {ses}'], { COLUMNS: '80' });
    assert.equal(unknown.code, 0);
    assert.equal(unknown.stdout, '⚠ --format: unknown {nope} {ses} │ work │ 5h 43% ↻2030-01-01 14:05 │ wk 13%\n');
    assert.match(unknown.stderr, /^ccx statusline: --format: unknown \{nope\} \{ses\} \(fields: \{profile\} \{model\} .*\{wk\}\)\n$/);
    assert.match(readFileSync(join(sb.home, 'logs', 'hooks.log'), 'utf8'), /statusline: --format: unknown \{nope\} \{ses\}/);

    const missing = await statusLine(sb, '{}', ['--format']);
    assert.deepEqual([missing.code, missing.stdout], [0, '⚠ --format needs a template │ work │ $3.21 today\n']);

    const wrongTypes = JSON.stringify({
      model: 'x',
      cost: { total_cost_usd: '1' },
      context_window: null,
      rate_limits: { five_hour: 'bad' },
    });
    assert.deepEqual([(await statusLine(sb, wrongTypes)).code, (await statusLine(sb, wrongTypes)).stdout], [0, 'work │ $3.21 today\n']);

    const escapes = JSON.stringify({ model: { display_name: 'Evil\u001b]0;owned\u0007' } });
    assert.equal(
      (await statusLine(sb, escapes)).stdout,
      'work │ $3.21 today │ Evil\\x1b]0;owned\\x07\n',
      'no raw control character reaches the terminal',
    );
  } finally {
    sb.cleanup();
  }
});
