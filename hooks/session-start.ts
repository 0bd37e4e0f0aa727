// Claude Code SessionStart hook: see lib/hook/start.ts and lib/hook/run.ts.
import { startHook } from '../lib/hook';

startHook('SessionStart', __dirname);
