// What the hook path may load, and its log's size cap. The inputs come from esbuild's own
// metafile for the hook entries (what each output bundle holds, after tree shaking drops what a
// folder's index.ts re-exports but the hook does not use), so the check follows the source.

import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildSync } from 'esbuild';
import { HOOK_EVENTS } from '../lib/contracts/hook-input';
import { appendLog, LOG_CAP_BYTES } from '../lib/log';
import { DIST, ROOT } from './helpers/ccx';

const FORBIDDEN = [
  /node_modules\/better-sqlite3\//,
  /node_modules\/zod\/v4\/classic\//,
  /node_modules\/yaml\//,
  /node_modules\/@iarna\/toml\//,
  /node_modules\/proper-lockfile\//,
  // The consolidator's side of ccx, which a folder's index.ts may name beside what a hook needs.
  /lib\/(store|pricing|transcripts|report|consolidator|profiles|settings|doctor|cli)\//,
  /lib\/quota\/(engine|windows)\.ts/,
];

test('hooks and the status line bundle no SQLite, full zod, YAML, TOML or lock library', () => {
  const entries = [
    ...Object.values(HOOK_EVENTS).map((k) => join(ROOT, 'hooks', `${k}.ts`)),
    join(ROOT, 'lib', 'bin', 'statusline.ts'),
    join(ROOT, 'lib', 'hook', 'run.ts'),
    join(ROOT, 'lib', 'statusline', 'run.ts'),
  ];
  const out = mkdtempSync(join(tmpdir(), 'ccx-meta-'));
  try {
    // The price table (YAML) is parsed when a folder's index.ts names it, even if tree shaking then
    // drops it; the real build embeds it as JSON (scripts/build.mjs), here text will do.
    const { metafile } = buildSync({
      entryPoints: entries,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outdir: out,
      metafile: true,
      write: false,
      loader: { '.yaml': 'text' },
    });
    const inputs = [...new Set(Object.values(metafile!.outputs).flatMap((o) => Object.keys(o.inputs)))];
    assert.ok(
      inputs.some((i) => i.includes('zod/v4/mini')),
      'zod/mini is what validates',
    );
    for (const bad of FORBIDDEN)
      assert.deepEqual(
        inputs.filter((i) => bad.test(i)),
        [],
        `${bad} on the hook path`,
      );
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  for (const file of hotBundles()) assert.ok(statSync(file).size < 64 * 1024, `${file} stays small`);
});

/** What runs when Claude Code starts a hook or the status line: the loaders and their runtimes. */
function hotBundles(): string[] {
  const runtimes = [join(DIST, 'hooks'), DIST].flatMap((dir) =>
    readdirSync(dir)
      .filter((n) => /^(hook|statusline)-runtime-\w+\.js$/.test(n))
      .map((n) => join(dir, n)),
  );
  assert.equal(runtimes.length, 2, 'one hook runtime and one status line runtime');
  return [...Object.values(HOOK_EVENTS).map((k) => join(DIST, 'hooks', `${k}.js`)), join(DIST, 'statusline.js'), ...runtimes];
}

// Building a zod schema costs start-up time; a hook that imports a constant from a contracts
// file must not build that file's schemas (they sit in /* @__PURE__ */ IIFEs for this).
const OTHER_SCHEMAS: [string, RegExp][] = [
  ['the inbox record schema', /\["hook",\s*"statusline"\]/],
  ['the quota schemas', /"percent"|"estimate"/],
  ['the profile config schema', /weekly_anchor/],
];

test("hooks and the status line build no zod schema but the hook input's", () => {
  for (const file of hotBundles()) {
    const code = readFileSync(file, 'utf8');
    for (const [what, marker] of OTHER_SCHEMAS) assert.doesNotMatch(code, marker, `${what} in ${file}`);
  }
});

test('a log past its cap becomes <file>.1 and a new one starts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ccx-log-'));
  try {
    const file = join(dir, 'logs', 'hooks.log');
    appendLog(file, 'first', Date.UTC(2026, 0, 1));
    writeFileSync(file, 'x'.repeat(LOG_CAP_BYTES - 10));
    appendLog(file, 'line that does not fit', Date.UTC(2026, 0, 1));
    assert.equal(statSync(`${file}.1`).size, LOG_CAP_BYTES - 10);
    assert.equal(readFileSync(file, 'utf8'), `2026-01-01T00:00:00.000Z [${process.pid}] line that does not fit\n`);
    assert.equal(statSync(file).mode & 0o777, 0o600);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
