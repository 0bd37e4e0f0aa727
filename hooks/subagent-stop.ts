// Claude Code SubagentStop hook: see lib/hook/start.ts and lib/hook/run.ts.
import { startHook } from '../lib/hook/start';

startHook('SubagentStop', __dirname);
