// A progress line on stderr (\r-rewritten): only on a terminal, only once the work has taken more
// than a second, and erased before the command's own output starts.

type ProgressStream = { write(s: string): unknown; isTTY?: boolean };

const PROGRESS_DELAY_MS = 1000;

export function progressLine(command: string, stream: ProgressStream, clock: () => number, delayMs = PROGRESS_DELAY_MS) {
  const start = clock();
  let shown = false;
  return {
    update(text: string): void {
      if (!stream.isTTY || clock() - start < delayMs) return;
      shown = true;
      stream.write(`\r\x1b[K${command}: ${text}`);
    },
    done(): void {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
