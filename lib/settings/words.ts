// Splits a command line the way sh does (quotes and backslashes, no expansions), to read back the
// words of hook commands ccx wrote with quotePosix, or a user edited by hand.

/** The words of `command`, or null when a quote is left open. */
export function splitPosixWords(command: string): string[] | null {
  const words: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    if (c === ' ' || c === '\t' || c === '\n') {
      if (word !== null) words.push(word);
      word = null;
      continue;
    }
    word ??= '';
    if (c === "'") {
      const end = command.indexOf("'", i + 1);
      if (end < 0) return null;
      word += command.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      for (i++; command[i] !== '"'; i++) {
        if (i >= command.length) return null;
        // Inside "…" a backslash escapes only $ ` " \ and newline.
        if (command[i] === '\\' && '$`"\\\n'.includes(command[i + 1] ?? '')) i++;
        word += command[i];
      }
    } else if (c === '\\') {
      if (i + 1 < command.length) word += command[++i];
    } else {
      word += c;
    }
  }
  if (word !== null) words.push(word);
  return words;
}
