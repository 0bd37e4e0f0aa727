// state.db moved aside (ccx-report's own advice for a corrupt one) or deleted while the
// consolidator runs: later events land in a new state.db, not in the file that was moved.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DIST, payload, query, runHook, sandboxPool, waitFor } from './helpers/ccx';

const box = sandboxPool();

const events = (sb: ReturnType<typeof box>) => {
  try {
    return query<{ id: string }>(sb, 'SELECT session_id AS id FROM hook_events ORDER BY session_id').map((r) => r.id);
  } catch {
    return [];
  }
};

for (const how of ['moved', 'deleted'] as const) {
  test(`state.db ${how} under a running consolidator: later events land in a new state.db`, async () => {
    const sb = box();
    const env = { ...sb.env, CCX_IDLE_MS: '60000' };
    const child = spawn(process.execPath, [join(DIST, 'consolidator.js')], { env, stdio: 'ignore' });
    try {
      assert.equal((await runHook('Stop', payload('Stop', 'before', sb), sb, { env })).code, 0);
      assert.ok(await waitFor(() => events(sb).includes('before')), 'the first event reached state.db');
      const db = join(sb.home, 'state.db');
      if (how === 'moved') renameSync(db, `${db}.bad`);
      else rmSync(db);
      for (const s of ['after-1', 'after-2']) assert.equal((await runHook('Stop', payload('Stop', s, sb), sb, { env })).code, 0);
      const later = () => ['after-1', 'after-2'].every((e) => events(sb).includes(e));
      assert.ok(await waitFor(later), `both later events are in the new state.db (saw ${events(sb).join(', ')})`);
      // The claimed inbox file whose progress was recorded in the old file may be applied again
      // into the new one ('before'): nothing is lost, and each db holds each event once.
      assert.deepEqual(
        events(sb).filter((e) => e !== 'before'),
        ['after-1', 'after-2'],
      );
      if (how === 'moved') assert.ok(existsSync(`${db}.bad`));
    } finally {
      child.kill('SIGKILL');
    }
  });
}
