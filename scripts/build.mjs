// Bundles the runtime (dist/) and the test suites (build/test/) with esbuild.
// dist/: one self-contained CommonJS file per hook and per CLI; only better-sqlite3 stays external
// (native addon). build/test/: each *.test.ts bundled with its lib code, packages left external.
import { build } from 'esbuild';
import { readdirSync, mkdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  loader: { '.yaml': 'text' },
  logLevel: 'warning',
  legalComments: 'none',
};

function walk(dir, match) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p, match));
    else if (match(name)) out.push(p);
  }
  return out;
}

mkdirSync(join(root, 'dist'), { recursive: true });

const hooks = walk(join(root, 'hooks'), (n) => n.endsWith('.ts'));
await Promise.all([
  // Hooks: minified, nothing external — they must start as fast as node itself.
  build({
    ...common,
    entryPoints: hooks,
    outdir: join(root, 'dist/hooks'),
    minify: true,
  }),
  build({
    ...common,
    entryPoints: walk(join(root, 'scripts'), (n) => n.endsWith('.ts')),
    outdir: join(root, 'dist'),
    external: ['better-sqlite3'],
    banner: { js: '#!/usr/bin/env node' },
    sourcemap: 'inline',
  }),
  build({
    ...common,
    // test/e2e/** -> build/e2e (npm run test:e2e); everything else -> build/test (npm test).
    entryPoints: walk(join(root, 'test'), (n) => n.endsWith('.test.ts')).map((p) => {
      const rel = relative(join(root, 'test'), p).replace(/\.ts$/, '');
      return { in: p, out: rel.startsWith('e2e/') ? rel : join('test', rel) };
    }),
    outdir: join(root, 'build'),
    packages: 'external',
    sourcemap: 'inline',
  }),
]);
console.log(`built ${hooks.length} hooks and the CLIs into dist/, tests into build/`);
