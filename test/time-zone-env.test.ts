// TZ values the C library understands but Intl rejects (POSIX values, `:path`) never stop quota:
// lib/time resolveTimeZone maps them to an IANA zone where that is exact, else falls back to the
// system zone (then UTC) and logs one line; the consolidator and ccx-report run with each.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { resolveTimeZone } from '../lib/time/zone-name';
import { cli, type ReportSandbox, reportSandbox } from './fixtures/report/harness';
import { DIST } from './helpers/ccx';

/** What /etc/localtime links to: the fallback for a TZ that names no zone exactly. */
function systemZone(): string {
  try {
    return readlinkSync('/etc/localtime').split('/zoneinfo/')[1] ?? 'UTC';
  } catch {
    return 'UTC';
  }
}

const SYSTEM = systemZone();
/** TZ value → the zone ccx works in, and whether it fell back. */
const CASES: [string, string, boolean][] = [
  [':/etc/localtime', SYSTEM, false],
  ['UTC0', 'UTC', false],
  ['GMT0', 'UTC', false],
  ['Z', 'UTC', false],
  ['EST5', 'Etc/GMT+5', false],
  ['JST-9', 'Etc/GMT-9', false],
  ['<+0330>-3:30', SYSTEM, true],
  [':Europe/Berlin', 'Europe/Berlin', false],
  ['EST5EDT', 'EST5EDT', false],
  ['CET-1CEST,M3.5.0,M10.5.0/3', SYSTEM, true],
  ['EST5EDT,M3.2.0,M11.1.0', SYSTEM, true],
  ...(existsSync('/usr/share/zoneinfo/Asia/Tokyo')
    ? [[':/usr/share/zoneinfo/Asia/Tokyo', 'Asia/Tokyo', false] as [string, string, boolean]]
    : []),
];

test('resolveTimeZone: IANA names as they are, exact POSIX values mapped, the rest fall back once logged', () => {
  for (const [tz, zone, fellBack] of CASES) {
    const logged: string[] = [];
    assert.equal(
      resolveTimeZone(tz, (m) => logged.push(m)),
      zone,
      tz,
    );
    assert.equal(logged.length, fellBack ? 1 : 0, `${tz}: ${logged}`);
    if (fellBack) assert.match(logged[0]!, new RegExp(`names no zone ccx can use exactly; using ${SYSTEM}`));
  }
  assert.equal(resolveTimeZone('Etc/GMT-14'), 'Etc/GMT-14');
  assert.equal(resolveTimeZone('UTC+13'), SYSTEM, 'west of UTC-12 has no Etc zone');
  assert.equal(resolveTimeZone(':/nowhere/zoneinfo-less'), SYSTEM);
  assert.equal(resolveTimeZone(undefined), resolveTimeZone(''));
});

describe('real processes with each TZ value', () => {
  let sb: ReportSandbox;
  before(() => (sb = reportSandbox()));
  after(() => sb.cleanup());

  for (const [tz, zone, fellBack] of CASES) {
    test(`TZ=${tz}: the pass writes quota.json, ccx-report reports in ${zone}`, async () => {
      const quota = join(sb.home, 'quota.json');
      rmSync(quota, { force: true });
      const env = { ...sb.env, TZ: tz };
      const pass = spawnSync(process.execPath, [join(DIST, 'consolidator.js'), '--once'], { env, encoding: 'utf8', timeout: 60_000 });
      assert.equal(pass.status, 0, pass.stderr);
      assert.ok(existsSync(quota), 'quota.json written');
      const logFile = join(sb.home, 'logs', 'consolidator.log');
      const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
      assert.equal(log.includes(`TZ=${JSON.stringify(tz)} names no zone`), fellBack);

      const r = await cli(sb, ['daily', '--json'], { TZ: tz });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(JSON.parse(r.stdout).timezone, zone);
    });
  }
});
