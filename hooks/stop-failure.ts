// Claude Code StopFailure hook: see lib/hook/start.ts and lib/hook/run.ts.
import { startHook } from '../lib/hook';

startHook('StopFailure', __dirname);
