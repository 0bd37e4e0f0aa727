// Claude Code Notification hook: see lib/hook/start.ts and lib/hook/run.ts.
import { startHook } from '../lib/hook/start';

startHook('Notification', __dirname);
