// The dashboard in real headless Chromium, driven over the DevTools protocol (--remote-debugging-pipe):
// the token leaves the URL for an HttpOnly cookie, the page goes live on the event stream, and
// the profiles, gauges, burn chart and recommendation appear once real hooks and a transcript
// supply the data. Screenshots at 1280 and 400 px go to /tmp/serve-shots/ for a person to look at.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { test } from 'node:test';
import { payload, runHook, sandboxPool, sleep } from './helpers/ccx';
import { chromium, headlessArgs } from './helpers/chromium';
import { ccx } from './helpers/cli';
import { startServe, writeTranscript } from './helpers/serve';

const newSandbox = sandboxPool();
const SHOTS = '/tmp/serve-shots';

type Cdp = {
  send: (method: string, params?: Record<string, unknown>) => Promise<Record<string, any>>;
  eval: <T>(expression: string) => Promise<T>;
  /** Console errors and uncaught exceptions of the page. */
  errors: string[];
  close: () => Promise<void>;
};

/** Chromium with the DevTools protocol on fds 3 (commands in) and 4 (replies out), one page attached. */
async function openBrowser(bin: string): Promise<Cdp> {
  const profile = mkdtempSync(join(tmpdir(), 'ccx-chromium-'));
  const child: ChildProcess = spawn(
    bin,
    [...headlessArgs(profile), '--hide-scrollbars', '--remote-debugging-pipe', 'about:blank'],
    // Its own process group: Chromium's helpers (zygote, renderers) go with it at close.
    { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'], detached: true },
  );
  const input = child.stdio[3] as Writable;
  const output = child.stdio[4] as Readable;
  let nextId = 1;
  let sessionId: string | undefined;
  const pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  const errors: string[] = [];
  let buf = '';
  output.on('data', (d: Buffer) => {
    buf += d.toString('utf8');
    for (let end = buf.indexOf('\0'); end >= 0; end = buf.indexOf('\0')) {
      const msg = JSON.parse(buf.slice(0, end));
      buf = buf.slice(end + 1);
      if (msg.id !== undefined) {
        const p = pending.get(msg.id);
        pending.delete(msg.id);
        if (msg.error) p?.reject(new Error(`${msg.error.message}`));
        else p?.resolve(msg.result);
      } else if (msg.method === 'Runtime.exceptionThrown') errors.push(msg.params.exceptionDetails.exception?.description ?? 'exception');
      else if (msg.method === 'Runtime.consoleAPICalled' && msg.params.type === 'error')
        errors.push(msg.params.args.map((a: { value?: unknown }) => String(a.value)).join(' '));
    }
  });
  const raw = (method: string, params: Record<string, unknown> = {}, session?: string) =>
    new Promise<Record<string, any>>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      input.write(`${JSON.stringify({ id, method, params, ...(session && { sessionId: session }) })}\0`);
    });
  const { targetId } = await raw('Target.createTarget', { url: 'about:blank' });
  sessionId = (await raw('Target.attachToTarget', { targetId, flatten: true })).sessionId as string;
  const send = (method: string, params?: Record<string, unknown>) => raw(method, params, sessionId);
  await send('Page.enable');
  await send('Runtime.enable');
  return {
    send,
    errors,
    eval: async <T>(expression: string) => {
      const r = await send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
      if (r.exceptionDetails) throw new Error(`${expression}: ${r.exceptionDetails.text}`);
      return r.result.value as T;
    },
    close: async () => {
      // Browser.close lets Chromium's helper processes finish writing the profile before it goes.
      const gone = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', r));
      await Promise.race([raw('Browser.close'), sleep(5000)]).catch(() => undefined);
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // The group is gone already.
      }
      await gone;
      rmSync(profile, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
    },
  };
}

/** Polls a page expression until it is truthy; fails with the page's text otherwise. */
async function pageWait(cdp: Cdp, expression: string, what: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await cdp.eval<boolean>(`!!(${expression})`)) return;
    await sleep(100);
  }
  assert.fail(`${what}; the page says: ${await cdp.eval<string>('document.body.innerText')}; console: ${cdp.errors.join(' | ')}`);
}

/** The whole page at `width` CSS px as a PNG, and whether anything is wider than the viewport. */
async function shoot(cdp: Cdp, width: number, file: string): Promise<{ scrollWidth: number }> {
  await cdp.send('Emulation.setDeviceMetricsOverride', { width, height: 900, deviceScaleFactor: 1, mobile: false });
  await sleep(200);
  const height = await cdp.eval<number>('document.documentElement.scrollHeight');
  await cdp.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
  await sleep(200);
  const { data } = await cdp.send('Page.captureScreenshot', { format: 'png' });
  writeFileSync(file, Buffer.from(data as string, 'base64'));
  return { scrollWidth: await cdp.eval<number>('document.documentElement.scrollWidth') };
}

test('the dashboard in headless Chromium: cookie login, live updates, gauges and burn chart, 1280 and 400 px', async (t) => {
  const bin = chromium();
  if (!bin) return t.skip('chromium is not installed (Debian package: chromium)');
  const sb = newSandbox();
  const spare = join(sb.root, 'spare');
  mkdirSync(sb.configDir, { recursive: true });
  mkdirSync(spare, { recursive: true });
  assert.equal(
    (await ccx(sb, ['profile', 'add', 'work', '--config-dir', sb.configDir, '--plan-tier', 'pro', '--caps-5h-turns', '4'])).code,
    0,
  );
  assert.equal((await ccx(sb, ['profile', 'add', 'spare', '--config-dir', spare, '--plan-tier', 'max5'])).code, 0);
  const serve = await startServe(sb.env);
  const cdp = await openBrowser(bin);
  try {
    await cdp.send('Emulation.setDeviceMetricsOverride', { width: 1280, height: 900, deviceScaleFactor: 1, mobile: false });
    await cdp.send('Page.navigate', { url: `${serve.url.href}?token=${serve.token}` });
    await pageWait(cdp, `document.readyState === 'complete' && document.querySelector('h1')`, 'the page loaded');
    assert.equal(await cdp.eval('location.href'), serve.url.href, 'the token is gone from the URL');
    assert.equal(await cdp.eval('document.cookie'), '', 'the cookie is HttpOnly: no script reads the token');
    await pageWait(cdp, `document.getElementById('live').textContent.includes('live')`, 'the event stream is open');

    // Live data: a transcript with requests in the current block, then three turns of four.
    const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
    writeTranscript(
      sb,
      'd1',
      [50, 40, 25, 10, 2].map((m, i) => ({
        id: `m${i}`,
        ts: minutesAgo(m),
        input: 2000 * (i + 1),
        output: 800,
        cacheRead: 30_000,
        cache5m: 1000,
      })),
    );
    for (const s of ['d1', 'd2', 'd3']) {
      assert.equal((await runHook('SessionStart', payload('SessionStart', s, sb, { source: 'startup' }), sb, { profile: 'work' })).code, 0);
      assert.equal((await runHook('Stop', payload('Stop', s, sb), sb, { profile: 'work' })).code, 0);
    }
    await pageWait(cdp, `document.querySelector('#recs li[data-profile="work"][data-level="warn"]')`, 'the warn recommendation is listed');
    await pageWait(cdp, `document.querySelector('svg.burn-chart[data-profile="work"]')`, "work's current block is charted");
    await pageWait(cdp, `document.querySelector('svg.gauge[data-pct="75.0"]')`, "work's 5 h gauge shows 75 %");
    const profiles = await cdp.eval<string[]>(`[...document.querySelectorAll('#panel h3')].map((h) => h.textContent)`);
    assert.ok(profiles.includes('spare [ok]') && profiles.includes('work [warn]'), `both profiles with their bands: ${profiles}`);
    assert.match(await cdp.eval<string>(`document.getElementById('panel').textContent`), /resets .*\(in \d+h \d+m\) · ccx estimate/);
    assert.ok((await cdp.eval<number>(`document.querySelectorAll('svg.gauge').length`)) >= 4, 'a 5 h and a weekly gauge per profile');
    assert.match(await cdp.eval<string>(`document.getElementById('recs').textContent`), /5 h window 75 % \(3\/4 turns\).*ccx use spare/);

    mkdirSync(SHOTS, { recursive: true });
    const wide = await shoot(cdp, 1280, join(SHOTS, 'dashboard-1280.png'));
    assert.ok(wide.scrollWidth <= 1280, `nothing wider than 1280 px (${wide.scrollWidth})`);
    const narrow = await shoot(cdp, 400, join(SHOTS, 'dashboard-400.png'));
    assert.ok(narrow.scrollWidth <= 400, `usable at 400 px: the page does not scroll sideways (${narrow.scrollWidth})`);
    assert.deepEqual(cdp.errors, [], 'no console errors');
  } finally {
    await cdp.close();
    serve.child.kill('SIGTERM');
    await serve.exited;
  }
});
