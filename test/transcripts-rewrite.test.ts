// A transcript rewritten in place keeps its inode and may end up longer than the cursor's offset:
// the scanner must notice that the bytes before the offset changed and read it again from 0.
// Through the consolidator process, as a user's machine runs it.
import assert from 'node:assert/strict';
import { mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { consolidateOnce, query, sandboxPool } from './helpers/ccx';
import { assistantLine } from './helpers/transcript-fixtures';

const newSandbox = sandboxPool();

function transcript() {
  const sb = newSandbox();
  const dir = join(sb.configDir, 'projects', '-tmp-proj');
  mkdirSync(dir, { recursive: true });
  return { sb, file: join(dir, 'sess.jsonl') };
}

const lines = (ids: string[], input: number) => ids.map((id) => assistantLine({ id, input, output: 10 })).join('');

type Totals = { rows: number; input: number; output: number };
const totals = (sb: ReturnType<typeof newSandbox>) =>
  query<Totals>(sb, 'SELECT COUNT(*) AS rows, SUM(input_tokens) AS input, SUM(output_tokens) AS output FROM usage')[0];

test('truncated and regrown past the old offset: the new lines are read, nothing doubled', () => {
  const { sb, file } = transcript();
  writeFileSync(file, lines(['a', 'b', 'c'], 1000));
  consolidateOnce(sb);
  assert.deepEqual(totals(sb), { rows: 3, input: 3000, output: 30 });
  // Same inode (writeFileSync truncates), new content longer than the old.
  writeFileSync(file, lines(['d', 'e', 'f', 'g'], 2000));
  consolidateOnce(sb);
  // a–c stay (they were spent), d–g are added once each.
  assert.deepEqual(totals(sb), { rows: 7, input: 11_000, output: 70 });
  consolidateOnce(sb);
  assert.deepEqual(totals(sb), { rows: 7, input: 11_000, output: 70 });
});

test('deleted and recreated with other content (ext4 reuses the inode): the new lines are read', () => {
  const { sb, file } = transcript();
  writeFileSync(file, lines(['a', 'b', 'c'], 1000));
  consolidateOnce(sb);
  unlinkSync(file);
  writeFileSync(file, `${lines(['a'], 1000)}${lines(['x', 'y'], 3000)}`);
  consolidateOnce(sb);
  assert.deepEqual(totals(sb), { rows: 5, input: 9000, output: 50 });
});

test('a rewrite of the same size (only the mtime changes) is read again', () => {
  const { sb, file } = transcript();
  writeFileSync(file, lines(['a', 'b'], 1000));
  consolidateOnce(sb);
  writeFileSync(file, lines(['p', 'q'], 1000));
  consolidateOnce(sb);
  assert.deepEqual(totals(sb), { rows: 4, input: 4000, output: 40 });
});
