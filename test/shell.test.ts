// `ccx use` and `ccx init` snippets, run in the real shells (bash, zsh, fish; pwsh when present)
// with values full of quotes, `$`, backslashes, backticks and newlines.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { quotePosix, SHELLS, type Shell } from '../lib/shell/quote';
import { initSnippet, useSnippet } from '../lib/shell/snippets';

const root = mkdtempSync(join(tmpdir(), 'ccx-shell-'));
const marker = join(root, 'pwned');
/** A config dir no shell may mangle, and whose code must never run. */
const NASTY = `${root}/it's a "dir" $HOME $(touch ${marker}) \`touch ${marker}\` back\\slash \\n \\' ~ * ; & | # ! %s ‘curly’ é\nsecond line\ttab`;

const SHELL_CMD: Record<Shell, { bin: string; args: (script: string) => string[]; source: string }> = {
  bash: { bin: 'bash', args: (f) => ['--noprofile', '--norc', f], source: 'source' },
  zsh: { bin: 'zsh', args: (f) => ['-f', f], source: 'source' },
  fish: { bin: 'fish', args: (f) => ['--no-config', f], source: 'source' },
  pwsh: { bin: 'pwsh', args: (f) => ['-NoProfile', '-NonInteractive', '-File', f], source: '.' },
};
const STATUS: Record<Shell, string> = { bash: '$?', zsh: '$?', fish: '$status', pwsh: '$LASTEXITCODE' };

const installed = (shell: Shell): boolean => !spawnSync(SHELL_CMD[shell].bin, ['-c', 'exit 0']).error;

let n = 0;
function run(shell: Shell, script: string) {
  const home = join(root, `home-${++n}`);
  mkdirSync(home);
  const file = join(home, `script.${shell === 'pwsh' ? 'ps1' : shell}`);
  writeFileSync(file, script);
  // HOME and XDG dirs point into the temp dir: the shells write nothing into the real home.
  const env = {
    PATH: `${join(root, 'bin')}:${process.env.PATH}`,
    HOME: home,
    XDG_CONFIG_HOME: home,
    XDG_DATA_HOME: home,
    XDG_CACHE_HOME: home,
    CCX_FAKE_LOG: join(home, 'calls.log'),
    LANG: 'C.UTF-8',
  };
  const r = spawnSync(SHELL_CMD[shell].bin, SHELL_CMD[shell].args(file), { env, encoding: 'utf8', cwd: home });
  const calls = existsSync(env.CCX_FAKE_LOG)
    ? readFileSync(env.CCX_FAKE_LOG, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as string[])
    : [];
  return { ...r, calls };
}

/** Prints both variables through printenv, so they must have been exported. */
const printBoth = 'printenv CLAUDE_CONFIG_DIR\nprintenv CCX_ACTIVE_PROFILE\n';

for (const shell of SHELLS) {
  test(`useSnippet runs in ${shell} and exports the exact values`, (t) => {
    if (!installed(shell)) return t.skip(`${shell} is not installed`);
    const r = run(shell, useSnippet(shell, { profile: 'work', configDir: NASTY }) + printBoth);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, `${NASTY}\nwork\n`);
    assert.equal(existsSync(marker), false);
  });
}

// A stand-in for the real ccx: logs its argv; `use` prints the snippet for the asked shell.
const fakeDir = join(root, `fake "ccx" it's $here`);
const fake = join(fakeDir, 'ccx.js');
mkdirSync(fakeDir);
mkdirSync(join(root, 'bin'));
const FAIL_CODE = 3;
writeFileSync(
  fake,
  `const fs = require('fs');
const args = process.argv.slice(2);
fs.appendFileSync(process.env.CCX_FAKE_LOG, JSON.stringify(args) + '\\n');
if (args[0] === 'use') {
  if (args.includes('--help')) { process.stdout.write('touch ' + ${JSON.stringify(marker)} + '\\n'); process.exit(0); }
  if (args.at(-1) === 'nope') { process.stderr.write('no such profile\\n'); process.exit(${FAIL_CODE}); }
  process.stdout.write(fs.readFileSync(${JSON.stringify(fakeDir)} + '/use.' + args[args.indexOf('--shell') + 1], 'utf8'));
}
`,
);
for (const shell of SHELLS) writeFileSync(join(fakeDir, `use.${shell}`), useSnippet(shell, { profile: 'work', configDir: NASTY }));
writeFileSync(join(root, 'bin', 'ccx'), `#!/bin/sh\nexec ${quotePosix(process.execPath)} ${quotePosix(fake)} "$@"\n`);
chmodSync(join(root, 'bin', 'ccx'), 0o755);

const ARG = `a b'c"d$e\\f`;
const quoted: Record<Shell, string> = {
  bash: quotePosix(ARG),
  zsh: quotePosix(ARG),
  fish: `'${ARG.replace(/[\\']/g, (c) => `\\${c}`)}'`,
  pwsh: `'${ARG.replace(/'/g, "''")}'`,
};

for (const shell of SHELLS) {
  for (const [how, ccxCommand] of [
    ['ccx on PATH', ['ccx']],
    ['absolute command with awkward paths', [process.execPath, fake]],
  ] as const) {
    test(`initSnippet in ${shell} (${how}): \`ccx use\` switches, failures and --help do not, the rest passes through`, (t) => {
      if (!installed(shell)) return t.skip(`${shell} is not installed`);
      const init = join(root, `init-${shell}-${ccxCommand.length}`);
      writeFileSync(init, initSnippet(shell, { ccxCommand }));
      const src = `${SHELL_CMD[shell].source} ${init}\n`;

      const ok = run(shell, `${src}ccx use work\n${printBoth}ccx report ${quoted[shell]} --json\n`);
      assert.equal(ok.stderr, '');
      assert.equal(ok.stdout, `${NASTY}\nwork\n`);
      assert.deepEqual(ok.calls, [
        ['use', '--shell', shell, 'work'],
        ['report', ARG, '--json'],
      ]);

      const failed = run(shell, `${src}ccx use nope\necho "status=${STATUS[shell]}"\nprintenv CLAUDE_CONFIG_DIR\n`);
      assert.equal(failed.stdout, `status=${FAIL_CODE}\n`);

      const help = run(shell, `${src}ccx use --help\n`);
      assert.equal(help.stdout, `touch ${marker}\n`);
      assert.equal(existsSync(marker), false);
    });
  }
}

test('pwsh snippets quote as PowerShell reads single-quoted strings (checked as text)', () => {
  // PowerShell's '…': a doubled quote (any of ' ‘ ’ ‚ ‛) is one literal quote, nothing else is special.
  const readPwshString = (s: string): string => {
    assert.ok(s.startsWith("'") && s.endsWith("'"), s);
    const body = s.slice(1, -1);
    assert.doesNotMatch(body.replace(/(['\u2018-\u201b])\1/g, ''), /['\u2018-\u201b]/);
    return body.replace(/(['\u2018-\u201b])\1/g, '$1');
  };
  const value = `${NASTY} ’quoted‛ ''`;
  const lines = useSnippet('pwsh', { profile: 'work', configDir: value }).trimEnd().split('\n$env:');
  const parsed = Object.fromEntries(
    lines.map((l) => {
      const m = /^\$?(?:env:)?(\w+) = ('[\s\S]*')$/.exec(l);
      assert.ok(m, l);
      return [m[1], readPwshString(m[2]!)];
    }),
  );
  assert.deepEqual(parsed, { CLAUDE_CONFIG_DIR: value, CCX_ACTIVE_PROFILE: 'work' });
  const init = initSnippet('pwsh', { ccxCommand: [process.execPath, fake] });
  assert.ok(init.includes(`& '${process.execPath}' '${fake.replace(/'/g, "''")}' use --shell pwsh @ccxRest`));
  assert.ok(initSnippet('pwsh', { ccxCommand: ['ccx'] }).includes("Get-Command -CommandType Application -TotalCount 1 -Name 'ccx'"));
});
