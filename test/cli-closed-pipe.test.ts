// `ccx … | head`: a reader that closes its end early ends the command quietly (exit 0, nothing on
// stderr), instead of node's unhandled EPIPE and its stack trace. Real processes, a real pipe
// closed before the command writes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { DIST, sandbox } from './helpers/ccx';

function closedReader(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(DIST, script), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stderr }));
  });
}

for (const [script, args] of [
  ['ccx-report.js', ['--help']],
  ['ccx.js', ['--help']],
  ['ccx.js', ['report', '--help']],
] as const) {
  test(`${script} ${args.join(' ')} into a closed pipe: exit 0, no EPIPE trace`, async () => {
    const sb = sandbox();
    try {
      const r = await closedReader(script, [...args], sb.env);
      assert.equal(r.stderr, '');
      assert.equal(r.code, 0);
    } finally {
      sb.cleanup();
    }
  });
}
