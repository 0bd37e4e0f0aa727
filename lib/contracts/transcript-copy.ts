// A transcript line `ccx run --supervise` copied into a sibling profile's config dir so that
// `claude --resume` finds the conversation there. Its usage was counted in the profile it came
// from, so the scanner reads nothing from it: the mark is a leading field, told by the line's first
// bytes alone. Claude Code keeps fields it does not know, and appends its new lines unmarked.

export const COPIED_MARK = '{"ccxCopiedFrom":';

/** The line with the mark in front, naming the profile it was copied from. */
export function markCopied(line: string, fromProfile: string): string {
  if (!line.startsWith('{') || line.startsWith(COPIED_MARK)) return line;
  const rest = line.slice(1);
  return `${COPIED_MARK}${JSON.stringify(fromProfile)}${rest.trimStart().startsWith('}') ? '' : ','}${rest}`;
}
