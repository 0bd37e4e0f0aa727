// Byte search for the few markers the scanner looks for in every line. A native search
// (Buffer.indexOf) for a pattern that starts with '"' stops at every quote of the JSON and costs
// ~3x more than one for a pattern that starts with a rarer byte, so each marker is split into a
// head and a tail that starts with a rare byte: the tail is searched, the head checked by hand.

export type Marker = { head: Buffer; tail: Buffer };

export const marker = (head: string, tail: string): Marker => ({ head: Buffer.from(head), tail: Buffer.from(tail) });

/** Index of the first head + tail in `bytes`, like `bytes.indexOf(head + tail)`. */
export function markerAt(bytes: Buffer, m: Marker): number {
  const { head, tail } = m;
  for (let from = head.length; ; ) {
    const at = bytes.indexOf(tail, from);
    if (at === -1) return -1;
    let k = head.length;
    while (k > 0 && bytes[at - head.length + k - 1] === head[k - 1]) k--;
    if (k === 0) return at - head.length;
    from = at + 1;
  }
}
