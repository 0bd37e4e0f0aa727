// Claude Code Stop hook: see lib/hook/start.ts and lib/hook/run.ts.
import { startHook } from '../lib/hook/start';

startHook('Stop', __dirname);
