// Claude Code SessionEnd hook: see lib/hook/run.ts.
import { resolve } from 'node:path';
import { runHook } from '../lib/hook/run';

void runHook('SessionEnd', { distDir: resolve(__dirname, '..') });
