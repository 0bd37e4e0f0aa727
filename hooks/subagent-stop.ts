// Claude Code SubagentStop hook: see lib/hook/run.ts.
import { resolve } from 'node:path';
import { runHook } from '../lib/hook/run';

void runHook('SubagentStop', { distDir: resolve(__dirname, '..') });
