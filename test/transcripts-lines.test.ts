// readLines with a tiny buffer and line limit, so buffer growth, lines split across reads and
// over-long lines that span many reads are all exercised on small inputs.
import assert from 'node:assert/strict';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readLines } from '../lib/transcripts/lines';
import { tempDir } from './helpers/transcript-fixtures';

function collect(file: string, from: number, until: number, opts: { maxLineBytes: number; bufferBytes: number }) {
  const lines: string[] = [];
  const overlong: number[] = [];
  const fd = openSync(file, 'r');
  try {
    const end = readLines(fd, from, until, { line: (b) => lines.push(b.toString()), overlong: (e) => overlong.push(e) }, opts);
    return { lines, overlong, end };
  } finally {
    closeSync(fd);
  }
}

test('lines split across reads, over-long lines skipped, tail left', (t) => {
  const file = join(tempDir(t), 'f.jsonl');
  // "abc\n" (4) + 20 x's + "\n" (21, over the 8-byte limit) + "1234567\n" (8: exactly 7+nl) + "tail"
  const text = `abc\n${'x'.repeat(20)}\n1234567\ntail`;
  writeFileSync(file, text);
  const r = collect(file, 0, text.length, { maxLineBytes: 8, bufferBytes: 3 });
  assert.deepEqual(r.lines, ['abc', '1234567']);
  assert.deepEqual(r.overlong, [4 + 21]);
  assert.equal(r.end, 4 + 21 + 8, 'cursor stops before the unterminated tail');
});

test('a line of exactly the limit is kept, one byte more is skipped', (t) => {
  const file = join(tempDir(t), 'f.jsonl');
  const text = `${'a'.repeat(8)}\n${'b'.repeat(9)}\n`;
  writeFileSync(file, text);
  const r = collect(file, 0, text.length, { maxLineBytes: 8, bufferBytes: 2 });
  assert.deepEqual(r.lines, ['a'.repeat(8)]);
  assert.deepEqual(r.overlong, [19]);
  assert.equal(r.end, 19);
});

test('reading stops at `until` and resumes from the returned offset', (t) => {
  const file = join(tempDir(t), 'f.jsonl');
  const text = 'one\ntwo\nthree\n';
  writeFileSync(file, text);
  const first = collect(file, 0, 6, { maxLineBytes: 100, bufferBytes: 4 });
  assert.deepEqual(first.lines, ['one']);
  assert.equal(first.end, 4);
  const rest = collect(file, first.end, text.length, { maxLineBytes: 100, bufferBytes: 4 });
  assert.deepEqual(rest.lines, ['two', 'three']);
  assert.equal(rest.end, text.length);
});

test('one buffer shared by several files, smaller or larger than a line may be', (t) => {
  const dir = tempDir(t);
  const texts = [`abc\n${'x'.repeat(20)}\n1234567\ntail`, `q\n${'y'.repeat(9)}\n${'z'.repeat(8)}\n`, 'no newline at all'];
  const files = texts.map((text, i) => {
    const file = join(dir, `${i}.jsonl`);
    writeFileSync(file, text);
    return file;
  });
  for (const size of [3, 64]) {
    const buffer = Buffer.alloc(size);
    for (const [i, file] of files.entries()) {
      const fresh = collect(file, 0, texts[i]!.length, { maxLineBytes: 8, bufferBytes: 3 });
      const lines: string[] = [];
      const overlong: number[] = [];
      const fd = openSync(file, 'r');
      try {
        const end = readLines(
          fd,
          0,
          texts[i]!.length,
          { line: (b) => lines.push(b.toString()), overlong: (e) => overlong.push(e) },
          { maxLineBytes: 8, buffer },
        );
        assert.deepEqual({ lines, overlong, end }, fresh, `file ${i}, shared buffer of ${size}`);
      } finally {
        closeSync(fd);
      }
    }
  }
});
