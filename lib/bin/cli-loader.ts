// dist/ccx-report.js, dist/ccx-cli.js, dist/consolidator.js: each runs its CLI, bundled as
// dist/<name>-runtime-<hash>.js, with a V8 code cache in $CCX_HOME/cache (code-cache.ts) — a
// warm `ccx-report` spends a sizeable part of its time compiling. Built once per CLI by
// scripts/build.mjs, which sets CLI_RUNTIME.
import { join } from 'node:path';
import { requireCached } from '../code-cache';
import { cacheDirOf } from '../home-trust';
import { ccxHome, ccxPaths } from '../paths';

declare const CLI_RUNTIME: string;

requireCached(join(__dirname, CLI_RUNTIME), cacheDirOf(ccxPaths(ccxHome())));
