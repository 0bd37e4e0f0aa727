// Strings from transcripts and hooks (a cwd, a model name, a StopFailure error) reach
// ccx-report's terminal output made printable: ESC ] 0 once retitled the window and ESC [ 2 J
// cleared the screen, in 7 views.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { printable } from '../lib/format';
import { VIEWS } from '../lib/report/args';
import { consolidateOnce, DIST, payload, runHook, runNode, sandboxPool } from './helpers/ccx';
import { ccx } from './helpers/cli';
import { assistantLine } from './helpers/transcript-fixtures';

const newSandbox = sandboxPool();
const RETITLE = '\x1b]0;pwned\x07';
const CLEAR = '\x1b[2J\x1b[H';
const EVIL_CWD = `/tmp/${RETITLE}proj${CLEAR}`;
const EVIL_MODEL = `claude-sonnet-4-5${CLEAR}`;
const SESSION = '5d1f0c3e-2b7a-4f4e-8a8c-0d7c9b1e2f30';
/** Anything a terminal would act on: every control character but the newline. */
const CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/;

test('printable shows every control character escaped and leaves the rest alone', () => {
  assert.equal(printable(`a${RETITLE}b`), 'a\\x1b]0;pwned\\x07b');
  assert.equal(printable('tab\tnl\ndel\x7f csi\x9b'), 'tab\\x09nl\\x0adel\\x7f csi\\x9b');
  assert.equal(printable('rtl\u202eexe.txt'), 'rtl\\u{202e}exe.txt');
  assert.equal(printable('/home/me/projets/ça — ok ✓'), '/home/me/projets/ça — ok ✓');
});

test('every report view prints data from transcripts and hooks without a control character', async () => {
  const sb = newSandbox();
  const now = Date.now();
  const dir = join(sb.configDir, 'projects', '-tmp-evil');
  mkdirSync(dir, { recursive: true });
  const ts = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
  writeFileSync(
    join(dir, `${SESSION}.jsonl`),
    assistantLine({ id: 'm1', session: SESSION, cwd: EVIL_CWD, model: EVIL_MODEL, ts: ts(30), input: 100, output: 50 }) +
      assistantLine({ id: 'm2', session: SESSION, cwd: EVIL_CWD, model: EVIL_MODEL, ts: ts(20), input: 10, output: 5 }),
  );
  const base = payload('SessionStart', SESSION, sb, { cwd: EVIL_CWD, model: EVIL_MODEL, source: 'startup' });
  await runHook('SessionStart', { ...base, transcript_path: join(dir, `${SESSION}.jsonl`) }, sb);
  await runHook('StopFailure', { ...payload('StopFailure', SESSION, sb), error: `rate_limit${CLEAR}${RETITLE}` }, sb);
  consolidateOnce(sb);

  let shownEscaped = 0;
  for (const view of VIEWS) {
    const args = view === 'session' ? [view, '--id', SESSION] : [view, '--breakdown'];
    const r = await runNode(join(DIST, 'ccx-report.js'), [...args, '--no-consolidate'], { env: { ...sb.env, COLUMNS: '200' } });
    assert.equal(r.code, 0, `${view}: ${r.stderr}`);
    assert.ok(r.stdout.trim().length > 0, `${view} printed something`);
    assert.doesNotMatch(r.stdout, CONTROL, `${view} has no control characters`);
    if (r.stdout.includes('\\x1b')) shownEscaped++;
  }
  assert.ok(shownEscaped >= 3, `the escaped data is shown, not dropped (${shownEscaped} views)`);

  const status = await ccx(sb, ['status']);
  assert.doesNotMatch(status.stdout, CONTROL);
});
