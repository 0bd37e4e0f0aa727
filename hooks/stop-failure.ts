// Claude Code StopFailure hook: see lib/hook/run.ts.
import { resolve } from 'node:path';
import { runHook } from '../lib/hook/run';

void runHook('StopFailure', { distDir: resolve(__dirname, '..') });
