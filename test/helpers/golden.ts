// Golden files: reviewed output kept as plain text in the repository. A mismatch fails naming the
// first line that differs; CCX_UPDATE_GOLDEN=1 writes the actual output instead, for review in
// `git diff`.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './ccx';

export const UPDATING = process.env.CCX_UPDATE_GOLDEN === '1';
const HOW = 'CCX_UPDATE_GOLDEN=1 npm test rewrites the goldens; review them with git diff';

/** Compares `actual` with `dir`/`name`.txt, or writes it there when updating. */
export function assertGolden(dir: string, name: string, actual: string): void {
  const file = join(dir, `${name}.txt`);
  const shown = relative(ROOT, file);
  assert.ok(actual.trim() !== '', `${shown}: the output is empty, and a golden never is`);
  if (UPDATING) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  assert.ok(existsSync(file), `${shown} is missing (${HOW})`);
  const expected = readFileSync(file, 'utf8');
  assert.ok(expected.trim() !== '', `${shown} is empty (${HOW})`);
  if (actual === expected) return;
  const want = expected.split('\n');
  const got = actual.split('\n');
  let i = 0;
  while (want[i] === got[i]) i++;
  const show = (line: string | undefined) => (line === undefined ? '(end of output)' : JSON.stringify(line));
  assert.fail(`${shown} differs at line ${i + 1} (${HOW}):\n  expected: ${show(want[i])}\n  actual:   ${show(got[i])}`);
}

/** Golden files in `dir` that no case wrote: removed when updating, else a failure. */
export function assertNoStaleGoldens(dir: string, names: string[]): void {
  const known = new Set(names.map((n) => `${n}.txt`));
  const stale = existsSync(dir) ? readdirSync(dir).filter((f) => !known.has(f)) : [];
  if (UPDATING) for (const f of stale) rmSync(join(dir, f));
  else assert.deepEqual(stale, [], `goldens no case checks, in ${relative(ROOT, dir)} (${HOW})`);
}
