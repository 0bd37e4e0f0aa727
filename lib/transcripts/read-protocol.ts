// What the main thread and the read worker (read-worker.ts) say to each other.
import type { MessagePort } from 'node:worker_threads';
import type { ClaudeChunk } from './claude-chunk';
import type { LineContext } from './parse';

/** One file's new complete lines to read: [from, until), `inode` as the main thread saw it. */
export type ReadJob = { file: string; inode: number; from: number; until: number; ctx: LineContext };

export type WorkerInput = {
  jobs: ReadJob[];
  /** Int32 counters: messages posted (POSTED) and taken (TAKEN). */
  shared: SharedArrayBuffer;
  port: MessagePort;
  /** A chunk ends at the first line end this many bytes after the previous one. */
  chunkBytes: number;
};

export type ReadMessage = { job: number; chunk: ClaudeChunk; offset: number; last: boolean } | { job: number; error: string };

export const POSTED = 0;
export const TAKEN = 1;
/** Messages the worker may post before the main thread has taken them. */
export const AHEAD = 8;
