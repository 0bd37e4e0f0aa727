// The read worker's entry (bundled on its own by scripts/build.mjs and embedded in the CLIs as
// SCAN_WORKER_SOURCE): reads and parses the Claude Code transcripts of a large pass on a second
// core while the main thread writes the ledger. Jobs in order; for each, chunks of records in
// line order (claude-chunk.ts), the last one flagged, or an error. Never runs ahead of the main
// thread by more than AHEAD messages, so memory stays bounded whatever the pass.
import { closeSync, fstatSync, openSync } from 'node:fs';
import { workerData } from 'node:worker_threads';
import { claudeCollector } from './claude-chunk';
import { lineBuffer, readLines } from './lines';
import { AHEAD, POSTED, type ReadMessage, TAKEN, type WorkerInput } from './read-protocol';

const { jobs, shared, port, chunkBytes } = workerData as WorkerInput;
const counters = new Int32Array(shared);

function post(m: ReadMessage): void {
  for (;;) {
    const taken = Atomics.load(counters, TAKEN);
    if (Atomics.load(counters, POSTED) - taken < AHEAD) break;
    Atomics.wait(counters, TAKEN, taken, 1000);
  }
  port.postMessage(m);
  Atomics.add(counters, POSTED, 1);
  Atomics.notify(counters, POSTED);
}

const buffer = lineBuffer();
for (let job = 0; job < jobs.length; job++) {
  const j = jobs[job]!;
  try {
    const fd = openSync(j.file, 'r');
    try {
      // The main thread checked this inode's cursor: a file replaced since is left for the next pass.
      if (fstatSync(fd).ino !== j.inode) throw new Error('replaced while the pass read it');
      const collect = claudeCollector(j.ctx);
      let counted = j.from;
      const end = readLines(
        fd,
        j.from,
        j.until,
        {
          line(bytes, lineEnd) {
            collect.line(bytes);
            if (lineEnd - counted < chunkBytes) return;
            counted = lineEnd;
            post({ job, chunk: collect.take(), offset: lineEnd, last: false });
          },
          overlong: (lineEnd) => collect.overlong(lineEnd),
        },
        { buffer },
      );
      post({ job, chunk: collect.take(), offset: end, last: true });
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    post({ job, error: (err as Error).message ?? String(err) });
  }
}
