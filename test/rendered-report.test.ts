// A live consolidator renders ccx-report for the process that asked (lib/contracts/render.ts):
// what the user gets must be what the report rendered in its own process prints, byte for byte,
// stderr lines in their place and the exit code too. Real processes on the report fixture; the
// reference is the report runtime run directly (no loader, so no daemon asked).
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readRendered, writeRendered } from '../lib/consolidator/requests';
import { REPORT_ENV } from '../lib/contracts/render';
import { runReport } from '../lib/report';
import { ccxHooksPresent } from '../lib/settings';
import { S1 } from './fixtures/report/fixture';
import { type ReportSandbox, reportSandbox } from './fixtures/report/harness';
import { DIST, runWithInput, waitFor } from './helpers/ccx';

const VIEWS: string[][] = [
  [],
  ['daily'],
  ['weekly', '--breakdown'],
  ['monthly', '--timezone', 'Asia/Kolkata'],
  ['session'],
  ['session', '--id', S1],
  ['blocks'],
  ['sessions'],
  ['quota'],
  ['daily', '--instances', '--compact'],
  ['daily', '--json'],
  ['--json', '--no-cost'],
  ['daily', '--project', 'nosuch'],
  ['weekly', '--bogus'],
  ['daily', '--profile', 'nosuch'],
];

const runtime = (): string => {
  const name = readdirSync(DIST).find((n) => /^ccx-report-runtime-.*\.js$/.test(n));
  assert.ok(name, 'a built report runtime');
  return join(DIST, name);
};

/** stdout and stderr in one stream, in the order written, as a terminal shows them; generatedAt blanked. */
async function run(sb: ReportSandbox, script: string, argv: string[]) {
  const r = await runWithInput('/bin/sh', ['-c', 'exec "$0" "$@" 2>&1', process.execPath, script, ...argv], {
    env: { ...sb.env, COLUMNS: '100', NO_COLOR: '1' },
    timeoutMs: 60_000,
  });
  return { code: r.code, out: r.stdout.replace(/"generatedAt": "[^"]+"/, '"generatedAt": "…"') };
}

const rendered = (sb: ReportSandbox): number => {
  const log = join(sb.home, 'logs', 'consolidator.log');
  return existsSync(log) ? (readFileSync(log, 'utf8').match(/ rendered ccx-report/g) ?? []).length : 0;
};

describe('reports rendered by a live consolidator', () => {
  let sb: ReportSandbox;
  let daemon: ChildProcess;
  before(async () => {
    sb = reportSandbox();
    sb.env.CCX_IDLE_MS = '600000';
    daemon = spawn(process.execPath, [join(DIST, 'consolidator.js')], { env: sb.env, stdio: 'ignore' });
    assert.ok(await waitFor(() => existsSync(join(sb.home, 'consolidator.pid'))), 'the daemon took the lock');
    assert.equal((await run(sb, join(DIST, 'ccx-report.js'), ['daily'])).code, 0, 'its first pass is in');
  });
  after(() => {
    daemon.kill('SIGKILL');
    sb.cleanup();
  });

  for (const argv of VIEWS) {
    test(`ccx-report ${argv.join(' ')}: as rendered in its own process`, async () => {
      const before = rendered(sb);
      const live = await run(sb, join(DIST, 'ccx-report.js'), argv);
      assert.equal(rendered(sb), before + 1, 'the daemon rendered it');
      const own = await run(sb, runtime(), [...argv, '--no-consolidate']);
      assert.equal(live.code, own.code);
      assert.equal(live.out, own.out);
    });
  }

  test('--no-consolidate and --help wait for no consolidator: rendered by the process that runs them', async () => {
    const before = rendered(sb);
    for (const argv of [['daily', '--no-consolidate'], ['--help']])
      assert.equal((await run(sb, join(DIST, 'ccx-report.js'), argv)).code, 0);
    assert.equal(rendered(sb), before);
  });

  test('a report that writes a file is rendered by the process that asked, in its directory', async () => {
    const before = rendered(sb);
    const page = join(sb.root, 'page.html');
    const r = await run(sb, join(DIST, 'ccx-report.js'), ['daily', '--html', page]);
    assert.equal(r.code, 0, r.out);
    assert.ok(readFileSync(page, 'utf8').includes('<html'), 'the page was written');
    assert.equal(rendered(sb), before, 'the daemon declined it');
    assert.deepEqual(readdirSync(join(sb.home, 'requests')), [], 'no request or result left behind');
  });
});

test('the report reads no environment variable but REPORT_ENV (and CCX_HOME, which the daemon sets to its own)', async () => {
  const sb = reportSandbox();
  try {
    const read = new Set<string>();
    const env = new Proxy({ ...sb.env, COLUMNS: '100', NO_COLOR: '1', CCX_ACTIVE_PROFILE: 'work' } as Record<string, string | undefined>, {
      get(target, key) {
        if (typeof key === 'string') read.add(key);
        return target[key as string];
      },
    });
    const sink = { write: () => true };
    for (const argv of VIEWS) {
      await runReport({
        argv: [...argv, '--no-consolidate'],
        env,
        clock: Date.now,
        stdout: sink,
        stderr: sink,
        consolidate: async () => {},
        hooksPresent: ccxHooksPresent,
      });
    }
    const allowed = new Set<string>([...REPORT_ENV, 'CCX_HOME']);
    assert.deepEqual(
      [...read].filter((k) => !allowed.has(k)),
      [],
    );
    assert.ok(read.has('TZ') && read.has('COLUMNS'), 'the proxy saw the reads');
  } finally {
    sb.cleanup();
  }
});

test('a rendered report survives the file: order, exit code, any text; a torn file reads as none', () => {
  const sb = reportSandbox();
  try {
    const req = join(sb.root, 'x.req');
    const r = {
      code: 2,
      writes: [
        { fd: 2 as const, text: 'note: é ✓\n' },
        { fd: 1 as const, text: '' },
        { fd: 1 as const, text: 'a\n\nb 12\n' },
      ],
    };
    writeRendered(req, r);
    assert.deepEqual(readRendered(req), r);
    assert.equal(readRendered(join(sb.root, 'none.req')), null, 'no result file: none rendered');
    const res = join(sb.root, 'x.res');
    const whole = readFileSync(res);
    for (const cut of [1, whole.length - 1]) {
      writeFileSync(res, whole.subarray(0, cut));
      assert.equal(readRendered(req), null, `cut at ${cut}`);
    }
  } finally {
    sb.cleanup();
  }
});
