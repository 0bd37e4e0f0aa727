// dist/ccx-report.js — with a live consolidator, the report it renders (lib/contracts/render.ts):
// this process then loads neither the report nor SQLite and compiles nothing cold. Otherwise, or
// when the consolidator renders none (--html, --live, an older ccx), the report runtime as every
// CLI runs it (cli-loader.ts), which takes the pass and renders here.
import { join, resolve } from 'node:path';
import { endOnClosedPipe } from '../cli-kit';
import { requireCached } from '../code-cache';
import { renderedByLive } from '../consolidator';
import { mayAskLive, REPORT_ENV, REPORT_ENV_PATHS, REPORT_WAIT_MS, type RenderAsk, reportCommandName } from '../contracts/render';
import { cacheDirOf } from '../home-trust';
import { fileLogger } from '../log';
import { ccxHome, ccxPaths } from '../paths';

declare const CLI_RUNTIME: string;

const argv = process.argv.slice(2);
const paths = ccxPaths(ccxHome());
// A home ccx does not trust gets no code cache and no answers read from it: the runtime says why.
const cache = cacheDirOf(paths);
const runHere = () => requireCached(join(__dirname, CLI_RUNTIME), cache, fileLogger(paths.consolidatorLog));

function ask(): RenderAsk {
  const env: RenderAsk['env'] = {};
  for (const key of REPORT_ENV) {
    const v = process.env[key];
    if (v !== undefined) env[key] = v && REPORT_ENV_PATHS.includes(key) ? resolve(v) : v;
  }
  const out = process.stdout;
  return {
    name: reportCommandName(process.argv[1]),
    argv,
    env,
    tty: out.isTTY === true,
    columns: out.columns ?? null,
  };
}

if (cache === null || !mayAskLive(argv)) runHere();
else
  renderedByLive(paths, ask(), Date.now, REPORT_WAIT_MS).then(
    (r) => {
      if (!r) return runHere();
      // `ccx-report | head`: a closed pipe ends the report quietly, as in the runtime.
      endOnClosedPipe(process.stdout);
      for (const w of r.writes) (w.fd === 1 ? process.stdout : process.stderr).write(w.text);
      process.exitCode = r.code;
    },
    () => runHere(),
  );
