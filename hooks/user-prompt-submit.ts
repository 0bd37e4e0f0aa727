// Claude Code UserPromptSubmit hook: see lib/hook/run.ts.
import { resolve } from 'node:path';
import { runHook } from '../lib/hook/run';

void runHook('UserPromptSubmit', { distDir: resolve(__dirname, '..') });
