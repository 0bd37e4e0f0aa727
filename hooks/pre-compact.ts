// Claude Code PreCompact hook: see lib/hook/run.ts.
import { resolve } from 'node:path';
import { runHook } from '../lib/hook/run';

void runHook('PreCompact', { distDir: resolve(__dirname, '..') });
