// Claude Code Stop hook: see lib/hook/run.ts.
import { resolve } from 'node:path';
import { runHook } from '../lib/hook/run';

void runHook('Stop', { distDir: resolve(__dirname, '..') });
