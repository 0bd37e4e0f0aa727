// dist/ccx.js — a dispatcher small enough that `ccx statusline`, which Claude Code runs as often
// as a hook, starts as fast as one: the full CLI (dist/ccx-cli.js) is loaded only for the rest.
import { join } from 'node:path';

const target = process.argv[2] === 'statusline' ? 'statusline.js' : 'ccx-cli.js';
// A computed path keeps esbuild from bundling the target into this file.
require(join(__dirname, target));
