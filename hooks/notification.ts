// Claude Code Notification hook: see lib/hook/run.ts.
import { resolve } from 'node:path';
import { runHook } from '../lib/hook/run';

void runHook('Notification', { distDir: resolve(__dirname, '..') });
