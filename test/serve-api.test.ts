// `ccx serve`'s data endpoints as a real process over a real state.db: /api/usage and
// /api/sessions checked against the contract schemas and against figures worked out by hand,
// parameter validation, the token (bearer, cookie, ?token= on / only), the Host check, /metrics.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, test } from 'node:test';
import * as z from 'zod/mini';
import { type ApiProfileQuota, apiProfileQuotaSchema, sessionTelemetrySchema, type UsageRow, usageRowSchema } from '../lib/contracts/api';
import { payload, runHook, sandboxPool } from './helpers/ccx';
import { ccx } from './helpers/cli';
import { get, pollJson, type Serve, startServe, writeTranscript } from './helpers/serve';

let serve: Serve;
// Registered before the pool's own `after`: serve stops writing into its sandbox before it is removed.
after(async () => {
  serve.child.kill('SIGTERM');
  await serve.exited;
});
const newSandbox = sandboxPool();
const NOW = Date.now();
const SONNET = 'claude-sonnet-4-5-20250929';
const HAIKU = 'claude-haiku-4-5-20251001';
const today = new Date(NOW).toISOString().slice(0, 10);
const minutesAgo = (m: number) => new Date(NOW - m * 60_000).toISOString();

before(async () => {
  const sb = newSandbox();
  mkdirSync(sb.configDir, { recursive: true });
  assert.equal((await ccx(sb, ['profile', 'add', 'work', '--config-dir', sb.configDir, '--plan-tier', 'pro'])).code, 0);
  serve = await startServe(sb.env, ['--metrics']);
  // s1: two Sonnet requests and one Haiku; s2: one Sonnet request. All in the last hour (today, UTC).
  writeTranscript(sb, 's1', [
    { id: 'm1', ts: minutesAgo(30), model: SONNET, input: 1000, output: 500, cacheRead: 2000, cache5m: 100, cache1h: 50 },
    { id: 'm2', ts: minutesAgo(20), model: SONNET, input: 1000, output: 500 },
    { id: 'm3', ts: minutesAgo(10), model: HAIKU, input: 4000, output: 100 },
  ]);
  writeTranscript(sb, 's2', [{ id: 'm4', ts: minutesAgo(5), model: SONNET, input: 10, output: 20 }]);
  for (const s of ['s1', 's2']) {
    const start = await runHook('SessionStart', payload('SessionStart', s, sb, { source: 'startup' }), sb, { profile: 'work' });
    assert.equal(start.code, 0, start.stderr);
  }
  assert.equal((await runHook('Stop', payload('Stop', 's1', sb), sb, { profile: 'work' })).code, 0);
  // Both transcripts scanned: the Sonnet row has all three of its requests.
  await pollJson(serve.port, '/api/usage', serve.auth, (b) => (b as UsageRow[]).some((r) => r.usage.input_tokens === 2010));
  // And the Stop counted in quota.json (its rewrite may come a pass after the scan).
  await pollJson(serve.port, '/api/quota', serve.auth, (b) => (b as ApiProfileQuota[])[0]?.window_5h?.used === 1);
});

const api = (path: string) => get(serve.port, path, serve.auth);

test('/api/usage: rows per profile, project, model and day, in the contract shape, priced by lib/pricing', async () => {
  const r = await api('/api/usage');
  assert.equal(r.status, 200);
  const rows = z.array(usageRowSchema).parse(r.body);
  const row = (model: string): UsageRow | undefined => rows.find((x) => x.model === model);
  assert.deepEqual(
    rows.map((x) => [x.profile, x.project, x.model, x.day]),
    [
      ['work', '/tmp/proj', HAIKU, today],
      ['work', '/tmp/proj', SONNET, today],
    ],
  );
  assert.deepEqual(row(SONNET)!.usage, { input_tokens: 2010, output_tokens: 1020, cache_read_tokens: 2000, cache_create_tokens: 150 });
  assert.equal(row(SONNET)!.session_count, 2);
  assert.equal(row(HAIKU)!.session_count, 1);
  // Sonnet 4.5: $3 in, $15 out, $0.30 cache read, $3.75 5-min write, $6 1-h write per million.
  const sonnet = (2010 * 3 + 1020 * 15 + 2000 * 0.3 + 100 * 3.75 + 50 * 6) / 1e6;
  assert.equal(row(SONNET)!.estimated_usd, Math.round(sonnet * 1e6) / 1e6);
  // Haiku 4.5: $1 in, $5 out.
  assert.equal(row(HAIKU)!.estimated_usd, (4000 * 1 + 100 * 5) / 1e6);

  const filtered = z.array(usageRowSchema).parse((await api(`/api/usage?since=${today}&until=${today}&profile=work&project=proj`)).body);
  assert.equal(filtered.length, 2, 'the project matches by its last segment, as in ccx-report');
  assert.deepEqual((await api('/api/usage?project=elsewhere')).body, []);
  assert.deepEqual((await api('/api/usage?profile=nobody')).body, []);
  assert.deepEqual((await api(`/api/usage?since=${minutesAgo(-60)}`)).body, [], 'an ISO instant is exact');
  assert.equal(z.array(usageRowSchema).parse((await api(`/api/usage?since=${minutesAgo(120)}`)).body).length, 2);
});

test('/api/sessions: telemetry in the contract shape, the most recent first, filtered and limited', async () => {
  const r = await api('/api/sessions');
  assert.equal(r.status, 200);
  const sessions = z.array(sessionTelemetrySchema).parse(r.body);
  assert.deepEqual(
    sessions.map((s) => [s.session_id, s.status, s.turns]),
    [
      ['s1', 'completed', 1],
      ['s2', 'running', 0],
    ],
  );
  const s1 = sessions.find((s) => s.session_id === 's1')!;
  assert.equal(s1.profile, 'work');
  assert.equal(s1.cwd, '/tmp/proj');
  assert.deepEqual(s1.usage, { input_tokens: 6000, output_tokens: 1100, cache_read_tokens: 2000, cache_create_tokens: 150 });
  assert.ok(s1.estimated_usd > 0);
  assert.deepEqual(
    z
      .array(sessionTelemetrySchema)
      .parse((await api('/api/sessions?status=running')).body)
      .map((s) => s.session_id),
    ['s2'],
  );
  assert.equal(z.array(sessionTelemetrySchema).parse((await api('/api/sessions?limit=1&profile=work')).body).length, 1);
  assert.deepEqual((await api(`/api/sessions?since=${minutesAgo(-60)}`)).body, []);
});

test('a wrong query parameter is a 400 with {error}, never a wider answer', async () => {
  for (const path of [
    '/api/usage?since=2026-13-01',
    '/api/usage?since=yesterday',
    '/api/usage?until=2020-01-01&since=2020-02-01',
    '/api/usage?since=2026-01-01T00:00:00',
    '/api/usage?profile=bad%20name',
    '/api/usage?model=x',
    '/api/usage?project=',
    '/api/usage?since=2026-01-01&since=2026-01-02',
    '/api/sessions?status=asleep',
    '/api/sessions?limit=0',
    '/api/sessions?limit=1001',
    '/api/sessions?limit=2.5',
    '/api/sessions?project=x',
  ]) {
    const r = await api(path);
    assert.equal(r.status, 400, path);
    assert.equal(typeof (r.body as { error: unknown }).error, 'string', path);
  }
});

test('/api/quota in the contract shape', async () => {
  const quota = z.array(apiProfileQuotaSchema).parse((await api('/api/quota')).body);
  assert.deepEqual(
    quota.map((q) => [q.profile, q.plan_tier, q.window_5h?.used, q.window_5h?.cap]),
    [['work', 'pro', 1, 45]],
  );
});

test('the token: 401 without it, a bearer header or the cookie from ?token= on / only; a foreign Host is refused', async () => {
  const { port, token } = serve;
  for (const path of ['/api/usage', '/api/sessions', '/api/recommendations/live', '/', '/dashboard/panel', '/metrics']) {
    assert.equal((await get(port, path)).status, 401, `${path} without a token`);
    assert.equal((await get(port, path, { cookie: 'ccx_token=nope' })).status, 401, `${path} with a wrong cookie`);
  }
  assert.equal((await get(port, `/api/usage?token=${token}`)).status, 401, '?token= is for the first load of / only');
  assert.equal((await get(port, '/?token=nope')).status, 401);
  assert.equal((await get(port, '/api/usage', { ...serve.auth, host: `evil.example:${port}` })).status, 421);
  assert.equal((await get(port, `/?token=${token}`, { host: `evil.example:${port}` })).status, 421);

  const first = await get(port, `/?token=${token}`);
  assert.equal(first.status, 303);
  assert.equal(first.headers.location, '/', 'back to / without the token in the URL');
  const setCookie = String(first.headers['set-cookie']);
  assert.match(setCookie, new RegExp(`^ccx_token=${token};`));
  assert.match(setCookie, /; HttpOnly/);
  assert.match(setCookie, /; SameSite=Strict/);
  const cookie = { cookie: setCookie.split(';')[0]! };
  const page = await get(port, '/', cookie);
  assert.equal(page.status, 200);
  assert.match(String(page.headers['content-type']), /^text\/html/);
  assert.match(page.text, /<h1>ccx live<\/h1>/);
  assert.equal((await get(port, '/api/usage', cookie)).status, 200, 'the cookie works for the API the page calls');
  assert.equal(page.headers['access-control-allow-origin'], undefined, 'no CORS');
});

test('/metrics: Prometheus text exposition with token and cost counters and quota gauges', async () => {
  const r = await api('/metrics');
  assert.equal(r.status, 200);
  assert.match(String(r.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  const types = new Map<string, string>();
  const samples: { name: string; labels: Record<string, string>; value: number }[] = [];
  for (const line of r.text.trimEnd().split('\n')) {
    const type = /^# TYPE (\w+) (counter|gauge)$/.exec(line);
    if (type) {
      types.set(type[1]!, type[2]!);
      continue;
    }
    if (line.startsWith('# HELP ')) continue;
    const m = /^(\w+)\{((?:\w+="(?:[^"\\]|\\.)*",?)*)\} (-?[\d.e+-]+)$/.exec(line);
    assert.ok(m, `a sample line: ${line}`);
    assert.ok(types.has(m[1]!), `${m[1]} has its # TYPE before its samples`);
    const labels = Object.fromEntries([...m[2]!.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1]!, x[2]!]));
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  const one = (name: string, labels: Record<string, string>) =>
    samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).map((s) => s.value);
  assert.equal(types.get('ccx_tokens_total'), 'counter');
  assert.deepEqual(one('ccx_tokens_total', { profile: 'work', model: SONNET, kind: 'input' }), [2010]);
  assert.deepEqual(one('ccx_tokens_total', { profile: 'work', model: HAIKU, kind: 'output' }), [100]);
  assert.deepEqual(one('ccx_cost_usd_total', { profile: 'work', model: HAIKU }), [0.0045]);
  assert.deepEqual(one('ccx_quota_used_pct', { profile: 'work', window: 'five_hour' }), [(1 / 45) * 100]);
  assert.deepEqual(one('ccx_quota_band', { profile: 'work', band: 'ok' }), [1]);
  assert.equal(types.get('ccx_quota_used_pct'), 'gauge');
});

test('without --metrics, /metrics is not served', async () => {
  const sb = newSandbox();
  const other = await startServe(sb.env);
  try {
    assert.equal((await get(other.port, '/metrics', other.auth)).status, 404);
  } finally {
    other.child.kill('SIGTERM');
    assert.equal(await other.exited, 0);
  }
});
