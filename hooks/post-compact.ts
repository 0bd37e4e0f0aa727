// Claude Code PostCompact hook: see lib/hook/run.ts.
import { resolve } from 'node:path';
import { runHook } from '../lib/hook/run';

void runHook('PostCompact', { distDir: resolve(__dirname, '..') });
