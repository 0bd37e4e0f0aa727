// Bundles the runtime (dist/) and the test suites (build/test/) with esbuild.
// dist/: one self-contained CommonJS file per hook and per CLI; only better-sqlite3 stays external
// (native addon). build/test/: each *.test.ts bundled with its lib code, packages left external.
import { build } from 'esbuild';
import { readdirSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import YAML from 'yaml';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
// YAML data files (the price table) are parsed here, once, and embedded as JSON: parsing them
// at every start cost ~200 ms with the yaml library's own load.
const yamlAsJson = {
  name: 'yaml-as-json',
  setup(b) {
    b.onLoad({ filter: /\.yaml$/ }, (args) => ({
      contents: JSON.stringify(YAML.parse(readFileSync(args.path, 'utf8'))),
      loader: 'json',
    }));
  },
};
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  plugins: [yamlAsJson],
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
  // The status line runs as often as a hook: same treatment.
  build({
    ...common,
    entryPoints: [join(root, 'scripts/statusline.ts')],
    outdir: join(root, 'dist'),
    minify: true,
  }),
  build({
    ...common,
    entryPoints: walk(join(root, 'scripts'), (n) => n.endsWith('.ts') && n !== 'statusline.ts'),
    outdir: join(root, 'dist'),
    external: ['better-sqlite3'],
    banner: { js: '#!/usr/bin/env node' },
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
