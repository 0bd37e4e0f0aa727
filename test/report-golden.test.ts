// Golden files of the terminal output of every view on the hand-written fixture, so a layout
// change shows up as a diff of test/fixtures/report/golden/*.txt. Run in-process through
// runReport: the clock has to be NOW, and the CLI process reads the real one.
// CCX_UPDATE_GOLDEN=1 npm test rewrites the files.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { S1, S2, TZ } from './fixtures/report/fixture';
import { inProcess, type ReportSandbox, reportSandbox } from './fixtures/report/harness';
import { ROOT } from './helpers/ccx';
import { assertGolden, assertNoStaleGoldens } from './helpers/golden';

const GOLDEN = join(ROOT, 'test/fixtures/report/golden');
const WIDTHS = [80, 200];

/** [golden name, argv]: each view, with and without --breakdown where it has per-model rows. */
const CASES: [string, string[]][] = [
  ['summary', []],
  ...['daily', 'weekly', 'monthly', 'session', 'blocks'].flatMap((v): [string, string[]][] => [
    [v, [v]],
    [`${v}-breakdown`, [v, '--breakdown']],
  ]),
  ['session-detail-s1', ['session', '--id', S1]],
  ['session-detail-s2', ['session', '--id', S2]],
  ['quota', ['quota']],
  ['sessions', ['sessions']],
  ['daily-instances', ['daily', '--instances']],
  ['blocks-token-limit', ['blocks', '--token-limit', 'max']],
];
const names = CASES.flatMap(([name]) => WIDTHS.map((w) => `${name}-${w}`));

let sb: ReportSandbox;
before(() => (sb = reportSandbox()));
after(() => sb.cleanup());

describe('terminal output matches the goldens', () => {
  for (const [name, argv] of CASES) {
    for (const width of WIDTHS) {
      test(`${name} at ${width} columns`, async () => {
        const r = await inProcess(sb, [...argv, '--timezone', TZ, '--no-color', '--no-consolidate'], { env: { COLUMNS: String(width) } });
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stderr, '');
        assertGolden(GOLDEN, `${name}-${width}`, r.stdout);
      });
    }
  }

  test('every golden file belongs to a case', () => assertNoStaleGoldens(GOLDEN, names));
});
