// dist/ccx-cli.js, dist/consolidator.js (and dist/ccx-report.js through report-loader.ts): each runs its CLI, bundled as
// dist/<name>-runtime-<hash>.js, with a V8 code cache in $CCX_HOME/cache (lib/code-cache) — a
// warm `ccx-report` spends a sizeable part of its time compiling. Built once per CLI by
// scripts/build.mjs, which sets CLI_RUNTIME. A refused cache is logged where the consolidator
// logs: the CLIs have no log of their own.
import { join } from 'node:path';
import { requireCached } from '../code-cache';
import { cacheDirOf } from '../home-trust';
import { fileLogger } from '../log';
import { ccxHome, ccxPaths } from '../paths';

declare const CLI_RUNTIME: string;

const paths = ccxPaths(ccxHome());
requireCached(join(__dirname, CLI_RUNTIME), cacheDirOf(paths), fileLogger(paths.consolidatorLog));
