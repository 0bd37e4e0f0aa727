// Text from transcripts, hooks and config (a cwd, a model name, an API error) reaches terminals.
// A terminal obeys what it is sent: ESC ] 0 retitles the window, ESC [ 2 J clears the screen,
// bidi overrides reorder what is shown. Every such character is shown escaped instead.

/** C0 and C1 controls, DEL, and the invisible direction marks and overrides. */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `s` with each control character shown as `\xHH` (or `\u{HHHH}`): safe to print, one column each. */
export function printable(s: string): string {
  return s.replace(UNPRINTABLE, (c) => {
    const n = c.codePointAt(0)!;
    return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u{${n.toString(16)}}`;
  });
}
