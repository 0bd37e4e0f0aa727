// dist/statusline.js, run as `ccx statusline` (through dist/ccx.js): see lib/statusline.
import { resolve } from 'node:path';
import { runStatusLine } from '../lib/statusline/run';

void runStatusLine({ distDir: resolve(__dirname) });
