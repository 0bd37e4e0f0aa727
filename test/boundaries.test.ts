// Module boundaries, read from the source: each lib/ folder is used by others only through its
// index.ts (lib/contracts, the shared vocabulary, file by file), nothing imports the entry points
// in lib/bin, hooks/ or scripts/, and no import cycle exists between files or between folders.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { HOOK_EVENTS } from '../lib/contracts/hook-input';
import { ROOT } from './helpers/ccx';

/** Folders whose files are all public: imported file by file. */
const FILE_BY_FILE = new Set(['contracts']);
/** Folders of entry points: run, never imported. */
const ENTRIES = new Set(['bin']);

// import … from 'x', export … from 'x', import 'x', import('x'), require('x').
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const rel = join(dir, name);
    if (statSync(join(ROOT, rel)).isDirectory()) return sources(rel);
    return /\.(ts|mjs)$/.test(name) && !name.endsWith('.d.ts') ? [rel] : [];
  });
}

/** The repo file a relative specifier names, or null for a package or node: import. */
function resolveImport(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = resolve(ROOT, dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return relative(ROOT, candidate);
  }
  throw new Error(`${from}: cannot resolve ${spec}`);
}

/** Each source file with the repo files it imports. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of ['lib', 'hooks', 'scripts'].flatMap(sources)) {
    const text = readFileSync(join(ROOT, file), 'utf8').replace(/^\s*(\/\/.*|\*.*|\/\*.*)$/gm, '');
    const targets = [...text.matchAll(SPECIFIER)].map((m) => resolveImport(file, m[1]!)).filter((t): t is string => t !== null);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** lib/<folder>/… → folder; lib/x.ts → '.' (single-file module); elsewhere → null. */
function folderOf(file: string): string | null {
  const parts = file.split('/');
  if (parts[0] !== 'lib') return null;
  return parts.length > 2 ? parts[1]! : '.';
}

/** Why `from` may not import `to`, or null when it may. */
function violation(from: string, to: string): string | null {
  // The session benchmark drives the real Claude Code through the e2e harness, as those tests do.
  if (from === 'scripts/bench-session.ts' && to.startsWith('test/e2e/')) return null;
  // The scan benchmark makes its corpora with the fixture generator.
  if (from === 'scripts/bench-scan.ts' && to === 'scripts/gen-fixture.ts') return null;
  if (!to.startsWith('lib/')) return to.endsWith('.json') ? null : 'imports an entry point or a tool';
  const target = folderOf(to)!;
  if (target === '.' || target === folderOf(from)) return null;
  if (ENTRIES.has(target)) return 'imports an entry point';
  if (FILE_BY_FILE.has(target)) return null;
  return to === `lib/${target}/index.ts` ? null : `reaches into lib/${target} past its index.ts`;
}

/** Strongly connected components with more than one member (or a self-import): the cycles. */
function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || graph.get(v)?.includes(v)) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

const graph = importGraph();

test('lib/ folders are imported only through their index.ts; entry points are never imported', () => {
  const bad: string[] = [];
  for (const [from, targets] of graph) {
    for (const to of targets) {
      const why = violation(from, to);
      if (why) bad.push(`${from} → ${to}: ${why}`);
    }
  }
  assert.deepEqual(bad, []);
});

test('every lib/ folder but the entry points has a README.md and an index.ts', () => {
  const folders = readdirSync(join(ROOT, 'lib')).filter((n) => statSync(join(ROOT, 'lib', n)).isDirectory());
  const missing = folders.flatMap((f) => [
    ...(existsSync(join(ROOT, 'lib', f, 'README.md')) ? [] : [`lib/${f}/README.md`]),
    ...(ENTRIES.has(f) || FILE_BY_FILE.has(f) || existsSync(join(ROOT, 'lib', f, 'index.ts')) ? [] : [`lib/${f}/index.ts`]),
  ]);
  assert.deepEqual(missing, []);
});

test('no import cycle between files', () => {
  assert.deepEqual(cycles(graph), []);
});

test('no import cycle between lib/ folders', () => {
  const folders = new Map<string, string[]>();
  for (const [from, targets] of graph) {
    const a = folderOf(from);
    if (a === null || a === '.') continue;
    const out = folders.get(a) ?? [];
    for (const to of targets) {
      const b = folderOf(to);
      if (b !== null && b !== '.' && b !== a && !out.includes(b)) out.push(b);
    }
    folders.set(a, out);
  }
  assert.deepEqual(cycles(folders), []);
});

test('the import scanner sees every kind of import it checks', () => {
  const seen = (text: string) => [...text.matchAll(SPECIFIER)].map((m) => m[1]);
  assert.deepEqual(
    seen(
      `import a from './a';\nimport type { B } from "./b";\nexport { c } from './c';\nimport './d';\nconst e = require('./e');\ntype F = typeof import('./f');`,
    ),
    ['./a', './b', './c', './d', './e', './f'],
  );
  assert.equal(violation('lib/cli/main.ts', 'lib/doctor/render.ts'), 'reaches into lib/doctor past its index.ts');
  assert.equal(violation('lib/cli/main.ts', 'lib/bin/ccx.ts'), 'imports an entry point');
  assert.equal(violation('lib/cli/main.ts', 'lib/contracts/quota.ts'), null);
  assert.deepEqual(
    cycles(
      new Map([
        ['a', ['b']],
        ['b', ['a']],
        ['c', ['a']],
      ]),
    ),
    [['a', 'b']],
  );
});

test('dist/ holds only what the product runs: the hooks, the CLIs, the status line, the OpenCode plugin and their runtimes', () => {
  const entries = ['ccx.js', 'ccx-cli.js', 'ccx-report.js', 'consolidator.js', 'statusline.js', 'opencode-plugin.mjs'];
  const runtime = /^(ccx-cli|ccx-report|consolidator|statusline)-runtime-\w+\.js$/;
  const top = readdirSync(join(ROOT, 'dist')).filter((n) => n !== 'hooks' && !entries.includes(n) && !runtime.test(n));
  assert.deepEqual(top, []);
  const hookFiles = new Set(Object.values(HOOK_EVENTS).map((k) => `${k}.js`));
  const hooks = readdirSync(join(ROOT, 'dist', 'hooks')).filter((n) => !hookFiles.has(n) && !/^hook-runtime-\w+\.js$/.test(n));
  assert.deepEqual(hooks, []);
});
