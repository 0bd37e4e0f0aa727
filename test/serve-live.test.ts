// `ccx serve`'s live side as real processes: the Stop hook that takes a profile over 75 % of its
// 5 h cap turns into a `recommendation` event on /api/recommendations/live within 2 s, and a
// SIGTERM in the middle of a burst of hooks loses no event and counts none twice; after a quiet
// spell a hook's append wakes the daemon before its tick; the stream's framing and heartbeat. A
// burst that landed while serve ran is in the DB when serve exits, applied by serve itself.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { recommendationEventSchema, usageEventSchema } from '../lib/contracts/api';
import type { Band, QuotaSnapshot } from '../lib/contracts/quota';
import { bandRises } from '../lib/serve/crossings';
import { LiveHub } from '../lib/serve/live';
import { consolidateOnce, payload, query, runHook, sandboxPool, sleep, waitFor } from './helpers/ccx';
import { ccx } from './helpers/cli';
import { PCT } from './helpers/quota';
import { listen, startServe } from './helpers/serve';

const newSandbox = sandboxPool();

test('the Stop hook that crosses 75 % is a recommendation event within 2 s; usage events follow every quota rewrite', async (t) => {
  const sb = newSandbox();
  const spare = join(sb.root, 'spare');
  mkdirSync(sb.configDir, { recursive: true });
  mkdirSync(spare, { recursive: true });
  // A 4-turn cap: the third turn is 75 % (warn); `spare` has all its headroom to suggest.
  const add = await ccx(sb, ['profile', 'add', 'work', '--config-dir', sb.configDir, '--plan-tier', 'pro', '--caps-5h-turns', '4']);
  assert.equal(add.code, 0, add.stderr);
  assert.equal((await ccx(sb, ['profile', 'add', 'spare', '--config-dir', spare, '--plan-tier', 'pro'])).code, 0);
  const serve = await startServe(sb.env);
  const stream = await listen(serve.port, serve.auth);
  assert.equal(stream.status, 200);
  try {
    for (const s of ['t1', 't2']) assert.equal((await runHook('Stop', payload('Stop', s, sb), sb, { profile: 'work' })).code, 0);
    const pctOfWork = (e: { event: string; data: unknown }) =>
      e.event === 'usage' ? usageEventSchema.parse(e.data).profiles.find((p) => p.profile === 'work')?.quota_5h_pct : undefined;
    assert.ok(await waitFor(() => stream.events.some((e) => pctOfWork(e) === 50), 20_000), 'two turns counted: 50 %');
    assert.equal(stream.events.filter((e) => e.event === 'recommendation').length, 0, 'nothing to recommend at 50 %');

    const stop = await runHook('Stop', payload('Stop', 't3', sb), sb, { profile: 'work' });
    assert.equal(stop.code, 0, stop.stderr);
    const hookDone = Date.now();
    const crossed = () => stream.events.find((e) => e.event === 'recommendation');
    assert.ok(await waitFor(() => crossed() !== undefined, 10_000, 10), 'a recommendation event arrived');
    const rec = recommendationEventSchema.parse(crossed()!.data);
    const latency = crossed()!.at - hookDone;
    t.diagnostic(`recommendation ${latency} ms after the Stop hook`);
    assert.ok(latency <= 2000, `the event came ${latency} ms after the Stop hook exited (at most 2000)`);
    assert.deepEqual(
      { profile: rec.profile, level: rec.level, suggested: rec.suggested, pct: rec.quota_5h_pct },
      { profile: 'work', level: 'warn', suggested: 'spare', pct: 75 },
    );
    assert.match(rec.reason, /^ccx \[work\]: 5 h window 75 % \(3\/4 turns\)/);
    assert.ok(
      stream.events.some((e) => pctOfWork(e) === 75),
      'the usage event of that pass says 75 %',
    );

    // A later pass at the same band is no new crossing.
    assert.equal(
      (await runHook('SessionStart', payload('SessionStart', 't4', sb, { source: 'startup' }), sb, { profile: 'work' })).code,
      0,
    );
    const before = stream.events.length;
    assert.ok(await waitFor(() => stream.events.length > before, 10_000), 'the next pass sent its usage event');
    assert.equal(stream.events.filter((e) => e.event === 'recommendation').length, 1, 'warn is announced once');
  } finally {
    stream.close();
    serve.child.kill('SIGTERM');
    assert.equal(await serve.exited, 0);
  }
});

test('a burst of hooks while serve runs is in the DB, once, the moment serve exits on SIGTERM: serve applied it, no later pass', async () => {
  const sb = newSandbox();
  // A minute's tick and scan: what serve applies comes from its inbox watch and its exit drain.
  const serve = await startServe({ ...sb.env, CCX_TICK_MS: '60000', CCX_SCAN_EVERY_MS: '60000' });
  const SESSIONS = 8;
  const results = await Promise.all(
    Array.from({ length: SESSIONS }, (_, i) => `landed-${i}`).flatMap((s) =>
      (['UserPromptSubmit', 'Stop'] as const).map((event) =>
        runHook(event, payload(event, s, sb, event === 'UserPromptSubmit' ? { prompt: 'hi' } : {}), sb),
      ),
    ),
  );
  for (const r of results) assert.equal(r.code, 0, r.stderr);
  // No hook runs from here on: nothing but serve can have applied what is in the DB below.
  serve.child.kill('SIGTERM');
  assert.equal(await serve.exited, 0, 'a clean exit');
  assert.ok(!existsSync(join(sb.home, 'consolidator.lock')), 'the lock is released');
  const events = query<{ n: number }>(sb, "SELECT COUNT(*) AS n FROM hook_events WHERE session_id LIKE 'landed-%'")[0]!.n;
  assert.equal(events, 2 * SESSIONS, 'every event, once');
  const turns = query<{ n: number }>(sb, "SELECT turns AS n FROM sessions WHERE session_id LIKE 'landed-%'");
  assert.deepEqual(
    turns.map((t) => t.n),
    Array(SESSIONS).fill(1),
  );
});

test('SIGTERM during a burst of hooks: every event is in the DB afterwards, each counted once', async () => {
  const sb = newSandbox();
  const serve = await startServe(sb.env);
  const SESSIONS = 12;
  let finished = 0;
  const hooks = Array.from({ length: SESSIONS }, (_, i) => `burst-${i}`).flatMap((s) =>
    (['UserPromptSubmit', 'Stop'] as const).map((event) =>
      runHook(event, payload(event, s, sb, event === 'UserPromptSubmit' ? { prompt: 'hi' } : {}), sb).then((r) => {
        finished++;
        return r;
      }),
    ),
  );
  // Some hooks have landed, the rest are still starting or appending when serve is told to stop.
  assert.ok(await waitFor(() => finished >= 4, 30_000), 'the burst is under way');
  serve.child.kill('SIGTERM');
  const results = await Promise.all(hooks);
  for (const r of results) assert.equal(r.code, 0, r.stderr);
  assert.equal(await serve.exited, 0, 'a clean exit');
  // Hooks after the exit started a consolidator of their own: once it is done, one more pass.
  assert.ok(await waitFor(() => !existsSync(join(sb.home, 'consolidator.lock')), 30_000), 'the hook-started consolidator finished');
  consolidateOnce(sb);
  const events = query<{ n: number }>(sb, "SELECT COUNT(*) AS n FROM hook_events WHERE session_id LIKE 'burst-%'")[0]!.n;
  assert.equal(events, 2 * SESSIONS, 'every hook event is in hook_events, once');
  const turns = query<{ session_id: string; n: number }>(sb, 'SELECT session_id, COUNT(*) AS n FROM turns GROUP BY session_id');
  assert.equal(turns.length, SESSIONS);
  assert.ok(
    turns.every((t) => t.n === 1),
    `one turn per session: ${JSON.stringify(turns)}`,
  );
  const sessions = query<{ turns: number }>(sb, "SELECT turns FROM sessions WHERE session_id LIKE 'burst-%'");
  assert.deepEqual(
    sessions.map((s) => s.turns),
    Array(SESSIONS).fill(1),
  );
});

test('after a quiet spell a hook wakes the daemon at once, not a tick later; SIGTERM ends the pause too', async () => {
  const sb = newSandbox();
  mkdirSync(sb.configDir, { recursive: true });
  assert.equal((await ccx(sb, ['profile', 'add', 'work', '--config-dir', sb.configDir, '--plan-tier', 'pro'])).code, 0);
  // A minute's tick: anything seen within seconds came from the inbox watch (or the signal).
  const serve = await startServe({ ...sb.env, CCX_TICK_MS: '60000' });
  const stream = await listen(serve.port, serve.auth);
  let exit: number | null | string = 'not stopped';
  try {
    assert.ok(await waitFor(() => stream.events.some((e) => e.event === 'usage')), 'the first pass wrote quota.json');
    await sleep(1500); // longer than BUSY_GAP_MS: quiet, and quota.json may be rewritten at once
    const seen = stream.events.length;
    assert.equal((await runHook('Stop', payload('Stop', 'q1', sb), sb, { profile: 'work' })).code, 0);
    const counted = () =>
      stream.events.slice(seen).some((e) => e.event === 'usage' && (usageEventSchema.parse(e.data).profiles[0]?.quota_5h_pct ?? 0) > 0);
    assert.ok(await waitFor(counted, 15_000), 'the turn was counted long before the next tick');
  } finally {
    stream.close();
    serve.child.kill('SIGTERM');
    exit = await Promise.race([serve.exited, sleep(15_000).then(() => 'still running')]);
    if (exit !== 0) serve.child.kill('SIGKILL');
    await serve.exited;
  }
  assert.equal(exit, 0, 'SIGTERM is acted on without waiting out the tick');
});

test('the stream: the current usage event at once, then every event sent, and heartbeat comments', async () => {
  const hub = new LiveHub(() => ({ event: 'usage', data: { n: 0 } }), 50);
  const server = createServer((_req, res) => hub.open(res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const raw = await new Promise<string>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/' }, (res) => {
      assert.equal(res.headers['content-type'], 'text/event-stream; charset=utf-8');
      let text = '';
      res.on('data', (d) => {
        text += d;
        if (text.includes('data: {"n":0}') && !text.includes('data: {"n":1}')) hub.send({ event: 'recommendation', data: { n: 1 } });
        if ((text.match(/^: heartbeat$/gm) ?? []).length >= 2) {
          req.destroy();
          resolve(text);
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
  hub.close();
  server.close();
  assert.match(raw, /^retry: 2000\n\nevent: usage\ndata: \{"n":0\}\n\n/);
  assert.match(raw, /event: recommendation\ndata: \{"n":1\}\n\n/);
  assert.equal(hub.size, 0, 'a closed client is dropped');
});

test('bandRises: one event per profile whose band rose, none for a band that stayed or fell', () => {
  const snap = (bands: Record<string, Band>, at = 1_800_000_000_000): QuotaSnapshot => ({
    v: 1,
    generated_at: at,
    profiles: Object.fromEntries(
      Object.entries(bands).map(([name, band]) => [
        name,
        {
          config_dir: `/cfg/${name}`,
          label: null,
          plan_tier: 'pro',
          band,
          worst: 'five_hour',
          windows: { five_hour: { used: PCT[band], cap: 100, pct: PCT[band], resets_at: null, unit: 'turns', source: 'estimate' } },
          unavailable_until: null,
          headroom_pct: 100 - PCT[band],
          enforce: false,
          today: { tokens: 0, usd: 0 },
          suggestion: name === 'a' ? { profile: 'b', headroom_pct: 90 } : null,
          message: band === 'ok' ? null : `${name} at ${band}`,
        },
      ]),
    ),
  });
  const levels = (prev: QuotaSnapshot | null, next: QuotaSnapshot) => bandRises(prev, next).map((e) => `${e.profile}:${e.level}`);
  assert.deepEqual(levels(null, snap({ a: 'warn', b: 'ok' })), ['a:warn'], 'no earlier snapshot: every band above ok');
  assert.deepEqual(levels(snap({ a: 'warn', b: 'ok' }), snap({ a: 'warn', b: 'ok' })), [], 'the same band again');
  assert.deepEqual(levels(snap({ a: 'warn', b: 'ok' }), snap({ a: 'hard', b: 'soft' })), ['a:hard', 'b:soft'], 'a jump is one event');
  assert.deepEqual(levels(snap({ a: 'hard', b: 'soft' }), snap({ a: 'soft', b: 'ok' })), [], 'a band that fell');
  const [e] = bandRises(null, snap({ a: 'soft' }));
  assert.deepEqual(recommendationEventSchema.parse(e), {
    profile: 'a',
    level: 'soft',
    reason: 'a at soft',
    suggested: 'b',
    quota_5h_pct: 95,
    quota_weekly_pct: null,
    timestamp: new Date(1_800_000_000_000).toISOString(),
  });
});
