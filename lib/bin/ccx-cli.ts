// dist/ccx-cli.js — the `ccx` command (profiles, hooks, doctor, shell integration); see lib/cli.
import { resolve } from 'node:path';
import { type ClaudeVersion, detectClaudeVersion, runCli } from '../cli';
import { endOnClosedPipe } from '../cli-kit';
import { ccxHome, ccxPaths } from '../paths';

const env = process.env;
let claudeVersion: ClaudeVersion | undefined;
endOnClosedPipe(process.stdout);
runCli(process.argv.slice(2), {
  env,
  now: Date.now,
  paths: ccxPaths(ccxHome(env)),
  distDir: resolve(__dirname),
  node: process.execPath,
  nodeVersion: process.version,
  claudeVersion: () => (claudeVersion ??= detectClaudeVersion(env)),
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  errIsTTY: process.stderr.isTTY === true,
  outIsTTY: process.stdout.isTTY === true,
}).then((code) => {
  process.exitCode = code;
});
