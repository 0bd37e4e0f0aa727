// Claude Code PreToolUse hook: see lib/hook/run.ts.
import { resolve } from 'node:path';
import { runHook } from '../lib/hook/run';

void runHook('PreToolUse', { distDir: resolve(__dirname, '..') });
