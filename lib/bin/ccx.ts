// dist/ccx.js — a dispatcher small enough that `ccx statusline`, which Claude Code runs as often
// as a hook, starts as fast as one: the full CLI (dist/ccx-cli.js) is loaded only for the rest.
import { join } from 'node:path';

// `ccx statusline --help` is for a person: the full CLI prints it.
const wantsHelp = process.argv.slice(3).some((a) => a === '-h' || a === '--help');
const target = process.argv[2] === 'statusline' && !wantsHelp ? 'statusline.js' : 'ccx-cli.js';
// A computed path keeps esbuild from bundling the target into this file.
require(join(__dirname, target));
