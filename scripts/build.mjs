// Bundles the product (dist/), the development tools (build/scripts/) and the test suites
// (build/test/, build/e2e/) with esbuild.
// dist/: one self-contained CommonJS file per hook and per CLI (entries in hooks/ and lib/bin/);
// only better-sqlite3's native addon stays external (in node_modules). Nothing else goes into dist/.
// build/test/: each *.test.ts bundled with its lib code, packages left external.

import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { build } from 'esbuild';
import YAML from 'yaml';

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

// Runtimes: what the hooks, the status line and the product CLIs run, each behind a small loader
// that compiles it with a V8 code cache (lib/code-cache). Named by content hash, since the
// cache is keyed on the file name; earlier builds' runtimes are removed at the end.
// The hot ones (hook path, status line) are minified with nothing external: they must start as
// fast as node itself. The CLIs keep only native addons (better-sqlite3's) external.
const hot = [
  { in: 'lib/hook/run.ts', out: 'hooks/hook-runtime', define: 'HOOK_RUNTIME' },
  { in: 'lib/statusline/run.ts', out: 'statusline-runtime', define: 'STATUSLINE_RUNTIME' },
];
// The transcript read worker (lib/transcripts/read-worker.ts) runs from source embedded in the
// bundles that scan (the CLIs, the tools, the tests) as SCAN_WORKER_SOURCE: no file to find at
// run time, whichever directory the bundle runs from.
const scanWorker = await build({
  ...common,
  entryPoints: [join(root, 'lib/transcripts/read-worker.ts')],
  minify: true,
  write: false,
});
const scanDefine = { SCAN_WORKER_SOURCE: JSON.stringify(scanWorker.outputFiles[0].text) };
const CLIS = ['ccx-report', 'ccx-cli', 'consolidator'];
const clis = CLIS.map((name) => ({ in: `lib/bin/${name}.ts`, out: `${name}-runtime`, define: name }));
const runtimeNames = {};
async function buildRuntimes(list, opts) {
  const { metafile } = await build({
    ...common,
    ...opts,
    entryPoints: list.map((r) => ({ in: join(root, r.in), out: r.out })),
    outdir: join(root, 'dist'),
    entryNames: '[dir]/[name]-[hash]',
    metafile: true,
  });
  for (const [out, meta] of Object.entries(metafile.outputs)) {
    const r = list.find((x) => meta.entryPoint === x.in);
    if (r) runtimeNames[r.define] = basename(out);
  }
}
// better-sqlite3's JavaScript is bundled (code cache); its native addon stays in node_modules.
await Promise.all([buildRuntimes(hot, { minify: true }), buildRuntimes(clis, { external: ['*.node'], define: scanDefine })]);
const define = Object.fromEntries(hot.map((r) => [r.define, JSON.stringify(runtimeNames[r.define])]));

const hooks = walk(join(root, 'hooks'), (n) => n.endsWith('.ts'));
await Promise.all([
  // The entries Claude Code and users run: loaders of the runtimes above.
  build({ ...common, entryPoints: hooks, outdir: join(root, 'dist/hooks'), minify: true, define }),
  build({ ...common, entryPoints: [join(root, 'lib/bin/statusline.ts')], outdir: join(root, 'dist'), minify: true, define }),
  build({
    ...common,
    entryPoints: [join(root, 'lib/bin/ccx.ts')],
    outdir: join(root, 'dist'),
    minify: true,
    banner: { js: '#!/usr/bin/env node' },
  }),
  ...CLIS.map((name) =>
    build({
      ...common,
      // ccx-report's own loader first asks a live consolidator for the report (lib/bin/report-loader.ts).
      entryPoints: [{ in: join(root, name === 'ccx-report' ? 'lib/bin/report-loader.ts' : 'lib/bin/cli-loader.ts'), out: name }],
      outdir: join(root, 'dist'),
      minify: true,
      define: { CLI_RUNTIME: JSON.stringify(runtimeNames[name]) },
      // Only tree-shaken away (the loaders never open SQLite), but esbuild asks before it shakes.
      external: ['*.node'],
      banner: { js: '#!/usr/bin/env node' },
    }),
  ),
  // The plugin OpenCode loads (lib/opencode/install.ts names it): ESM, as OpenCode imports plugins,
  // with a require for the lazy node: requires of the code it shares with the hooks.
  build({
    ...common,
    format: 'esm',
    entryPoints: [{ in: join(root, 'lib/opencode/plugin.ts'), out: 'opencode-plugin' }],
    outdir: join(root, 'dist'),
    outExtension: { '.js': '.mjs' },
    minify: true,
    banner: { js: "import { createRequire as __ccxRequire } from 'node:module'; const require = __ccxRequire(import.meta.url);" },
  }),
  // Development tools (benchmarks, fixture generator): not part of the product, so not in dist/.
  build({
    ...common,
    entryPoints: walk(join(root, 'scripts'), (n) => n.endsWith('.ts')),
    outdir: join(root, 'build/scripts'),
    external: ['better-sqlite3'],
    define: scanDefine,
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
    define: scanDefine,
  }),
]);
// dist/ holds what this build wrote and nothing else: earlier builds' runtimes and files of
// older layouts go (only now, so that a hook running during the build still finds its runtime).
const current = new Set([
  ...Object.values(runtimeNames),
  ...hooks.map((h) => basename(h).replace(/\.ts$/, '.js')),
  'statusline.js',
  'ccx.js',
  'opencode-plugin.mjs',
  ...CLIS.map((n) => `${n}.js`),
]);
for (const dir of ['dist', 'dist/hooks']) {
  for (const name of readdirSync(join(root, dir))) {
    if (!current.has(name) && statSync(join(root, dir, name)).isFile()) rmSync(join(root, dir, name));
  }
}
// The entries with a shebang are run by name (install links ccx and ccx-report into ~/.local/bin).
for (const name of ['ccx', ...CLIS]) chmodSync(join(root, 'dist', `${name}.js`), 0o755);
console.log(`built ${hooks.length} hooks and the CLIs into dist/, tests into build/`);
