// Claude Code SessionStart hook: see lib/hook/run.ts.
import { resolve } from 'node:path';
import { runHook } from '../lib/hook/run';

void runHook('SessionStart', { distDir: resolve(__dirname, '..') });
