// Every view at every width, piped and on a terminal: no line is wider, Cost and the total
// row's cost stay, paths lose their head not their tail, model lists are never cut mid-name.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runReport } from '../lib/report';
import { renderTable, visibleLength } from '../lib/report/render/table';
import { ccxHooksPresent } from '../lib/settings';
import { NOW, S1, TZ } from './fixtures/report/fixture';
import { type ReportSandbox, reportSandbox } from './fixtures/report/harness';

const VIEWS: string[][] = [
  [],
  ['daily'],
  ['weekly'],
  ['monthly'],
  ['session'],
  ['session', '--id', S1],
  ['blocks'],
  ['sessions'],
  ['quota'],
];
const WIDTHS = [80, 100, 120, 200];
const NO_COST = new Set(['quota']);

let sb: ReportSandbox;
before(() => (sb = reportSandbox()));
after(() => sb.cleanup());

class Sink {
  text = '';
  constructor(
    readonly isTTY: boolean,
    readonly columns?: number,
  ) {}
  write(s: string) {
    this.text += s;
    return true;
  }
}

/** Piped: the width comes from COLUMNS; on a terminal: from the TTY's columns. */
async function render(argv: string[], width: number, tty: boolean) {
  const stdout = new Sink(tty, tty ? width : undefined);
  const stderr = new Sink(false);
  const env: Record<string, string | undefined> = { ...sb.env, NO_COLOR: '1', COLUMNS: tty ? undefined : String(width) };
  const code = await runReport({
    argv: [...argv, '--timezone', TZ, '--no-consolidate', '--breakdown'],
    env,
    clock: () => NOW,
    stdout,
    stderr,
    consolidate: async () => {},
    hooksPresent: ccxHooksPresent,
  });
  assert.equal(code, 0, stderr.text);
  return stdout.text;
}

describe('every view fits every width and keeps Cost', () => {
  for (const argv of VIEWS) {
    for (const width of WIDTHS) {
      for (const tty of [false, true]) {
        const name = `${argv.join(' ') || 'summary'} at ${width}${tty ? ' (tty)' : ' (piped)'}`;
        test(name, async () => {
          const out = await render(argv, width, tty);
          const lines = out.trimEnd().split('\n');
          for (const l of lines) assert.ok(visibleLength(l) <= width, `${name}: ${JSON.stringify(l)}`);
          if (NO_COST.has(argv[0] ?? '')) return;
          assert.match(out, /(^| {2})Cost( |$)/m, `${name}: no Cost header\n${out}`);
          const total = lines.find((l) => l.startsWith('Total '));
          if (total) assert.match(total, /\$\d+\.\d\d\*?$/, `${name}: total without cost: ${total}`);
          else if (argv[0] !== undefined) assert.match(out, /\$\d+\.\d\d\*?$/m, `${name}: no cost on any row\n${out}`);
          if (width >= 100) assert.ok(!out.includes('compact layout'), `${name}: compact at ${width}`);
        });
      }
    }
  }
});

describe('cells are cut where they say least', () => {
  const table = (cells: string[], cut: 'start' | 'list') => ({
    columns: [
      { header: 'What', shrink: true, cut },
      { header: 'Cost', align: 'right' as const },
    ],
    rows: [{ cells: [...cells, '$1.00'] }],
  });

  test('paths keep their tail', () => {
    const lines = renderTable(table(['/home/someone/projects/client/work/app'], 'start'), { width: 20, color: false });
    assert.equal(lines[2], '…ent/work/app  $1.00');
  });

  test('model lists lose `claude-` and the date, then wrap after a comma rather than cut a name', () => {
    const lines = renderTable(table(['claude-opus-4, claude-sonnet-4, claude-haiku-3-5-20241022'], 'list'), { width: 30, color: false });
    assert.deepEqual(lines.slice(2), [`${'opus-4, sonnet-4,'.padEnd(23)}  $1.00`, 'haiku-3-5']);
    const dated = renderTable(table(['claude-3-5-sonnet-20241022'], 'list'), { width: 25, color: false });
    assert.deepEqual(dated.slice(2), [`${'3-5-sonnet'.padEnd(18)}  $1.00`]);
    const narrow = renderTable(table(['claude-opus-4, claude-sonnet-4'], 'list'), { width: 19, color: false });
    assert.deepEqual(narrow.slice(2), [`${'opus-4,'.padEnd(12)}  $1.00`, 'sonnet-4']);
    // A name longer than the column itself is the one thing cut; Cost stays on the line.
    const long = renderTable(table(['claude-experimental-x, claude-sonnet-4-6'], 'list'), { width: 19, color: false });
    assert.deepEqual(long.slice(2), [`${'experimenta…'.padEnd(12)}  $1.00`, 'sonnet-4-6']);
  });

  test('optional columns go before a path is cut short; Cost and the labels stay', () => {
    const label = 'L'.repeat(75);
    const t = {
      columns: [
        { header: 'Label' },
        { header: 'Project', shrink: true, cut: 'start' as const },
        { header: 'Cache read', align: 'right' as const, wide: true, drop: 1 },
        { header: 'Cost', align: 'right' as const },
      ],
      rows: [{ cells: [label, '/home/someone/projects/client/work/app', '1,234,567', '$1.00'] }],
    };
    const roomy = renderTable(t, { width: 200, color: false });
    assert.equal(roomy[2], `${label}  /home/someone/projects/client/work/app   1,234,567  $1.00`);
    // 110 columns: the path at 26 without Cache read, rather than at 14 beside it.
    const tight = renderTable(t, { width: 110, color: false });
    assert.equal(tight[2], `${label}  …/projects/client/work/app  $1.00`);
    assert.equal(tight.at(-1), 'hidden to fit 110 columns: Cache read');
  });
});
