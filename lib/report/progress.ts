// The "files and MB done" line on stderr while the first consolidation pass scans transcripts:
// only on a terminal, and only once the pass has taken more than a second.
import { megabytes } from '../format';

export type ProgressStream = { write(s: string): unknown; isTTY?: boolean };
export type ScanProgress = { files: number; filesTotal: number; bytes: number };

export const PROGRESS_DELAY_MS = 1000;

export function progressLine(stream: ProgressStream, clock: () => number, delayMs = PROGRESS_DELAY_MS) {
  const start = clock();
  let shown = false;
  return {
    update(p: ScanProgress): void {
      if (!stream.isTTY || clock() - start < delayMs) return;
      shown = true;
      stream.write(`\r\x1b[Kccx-report: reading transcripts: ${p.files}/${p.filesTotal} files, ${megabytes(p.bytes)}`);
    },
    /** Erases the line so the report starts on a clean terminal. */
    done(): void {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
