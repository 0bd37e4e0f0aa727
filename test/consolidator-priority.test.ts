// The background consolidator must not compete with the Claude Code session it serves: it runs
// at nice 19 and, where ionice exists, in the idle I/O class. A --once pass, which someone waits
// for, keeps its priority.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { DIST, sandboxPool } from './helpers/ccx';

const box = sandboxPool();

/** /proc/PID/stat field 19, after the "(comm)" field. */
const niceOf = (pid: number): number => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);

test('the daemon lowers its own CPU and I/O priority', { skip: process.platform !== 'linux' }, async () => {
  const sb = box();
  const child = spawn(process.execPath, [join(DIST, 'consolidator.js')], { env: { ...sb.env, CCX_IDLE_MS: '3000' }, stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    let nice = 0;
    let io = '';
    for (let i = 0; i < 50 && (nice !== 19 || (hasIonice() && !io.startsWith('idle'))); i++) {
      await sleep(100);
      nice = niceOf(child.pid!);
      if (hasIonice()) io = spawnSync('ionice', ['-p', String(child.pid)], { encoding: 'utf8' }).stdout.trim();
    }
    assert.equal(nice, 19);
    if (hasIonice()) assert.equal(io, 'idle');
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
});

const hasIonice = (): boolean => spawnSync('ionice', ['-p', String(process.pid)]).status === 0;
