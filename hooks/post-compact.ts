// Claude Code PostCompact hook: see lib/hook/start.ts and lib/hook/run.ts.
import { startHook } from '../lib/hook';

startHook('PostCompact', __dirname);
