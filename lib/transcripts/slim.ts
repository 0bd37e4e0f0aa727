// Cuts the value of the first "content" key out of a JSON line, so JSON.parse only sees the
// small envelope (ids, model, usage) of an assistant line and not its text, thinking and tool
// input, which are most of its bytes and which ccx never reads. Strings are skipped with a native
// byte search for '"', so the cut costs far less than parsing what it removes.
import { marker, markerAt } from './markers';

const KEY = marker('"', 'content":');
const KEY_LENGTH = '"content":'.length;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** End (exclusive) of the JSON string whose opening quote is at `at`, or -1 if unterminated. */
function stringEnd(buf: Buffer, at: number): number {
  let i = at + 1;
  for (;;) {
    const q = buf.indexOf(QUOTE, i);
    if (q === -1) return -1;
    let bs = 0;
    while (buf[q - 1 - bs] === BACKSLASH) bs++;
    if (bs % 2 === 0) return q + 1;
    i = q + 1;
  }
}

/** End (exclusive) of the JSON value starting at `at`, or -1 if it does not end in `buf`. */
function valueEnd(buf: Buffer, at: number): number {
  const first = buf[at];
  if (first === QUOTE) return stringEnd(buf, at);
  if (first !== 0x5b && first !== 0x7b) return -1; // only arrays, objects and strings are worth cutting
  let depth = 0;
  for (let i = at; i < buf.length; ) {
    const c = buf[i]!;
    if (c === QUOTE) {
      i = stringEnd(buf, i);
      if (i === -1) return -1;
      continue;
    }
    if (c === 0x5b || c === 0x7b) depth++;
    else if (c === 0x5d || c === 0x7d) {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return -1;
}

/**
 * The line as a string with its first "content" value replaced by null, or the whole line when
 * there is nothing to cut. Only a real key can match `"content":` (a quote inside a JSON string
 * is always escaped), and replacing any value with null keeps the JSON valid.
 */
export function withoutContent(line: Buffer): string {
  const k = markerAt(line, KEY);
  if (k === -1) return line.toString('utf8');
  const start = k + KEY_LENGTH;
  const end = valueEnd(line, start);
  if (end === -1 || end - start < 64) return line.toString('utf8');
  return `${line.toString('utf8', 0, start)}null${line.toString('utf8', end)}`;
}
