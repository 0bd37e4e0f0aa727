// How deeply a parsed JSON value nests, checked without recursion: a payload nested thousands of
// levels deep parses fine, but every recursive walk of it later (JSON.stringify, in the hook or
// the consolidator) overflows the stack.

/** Deeper than any real payload (the fixtures nest 3 levels, transcripts 13): refused beyond. */
export const MAX_JSON_DEPTH = 64;

/** True when `value` nests more than `max` levels (a bare scalar is level 0, `{}` level 1). */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [v, depth] = top;
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}
