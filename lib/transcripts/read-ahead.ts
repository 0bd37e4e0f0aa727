// The main thread's side of the read worker: starts it on a pass's Claude Code jobs and hands
// their chunks over synchronously (receiveMessageOnPort + Atomics.wait), so the pass itself stays
// one synchronous loop with its transactions and cursors where they were.
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { POSTED, type ReadJob, type ReadMessage, TAKEN, type WorkerInput } from './read-protocol';

/** The read worker's bundle (scripts/build.mjs); absent in a bundle built without it. */
declare const SCAN_WORKER_SOURCE: string;

/** A worker that has posted nothing for this long is taken for dead; the pass reads on inline. */
const STALL_MS = 60_000;

export class ReadWorkerStalled extends Error {
  override name = 'ReadWorkerStalled';
}

export class ReadAhead {
  private pending: ReadMessage | undefined;
  private dead = false;

  private constructor(
    private readonly worker: Worker,
    private readonly port: MessagePort,
    private readonly counters: Int32Array,
  ) {}

  /** null when no worker can be started here (no embedded source, no threads): read inline. */
  static start(jobs: ReadJob[], chunkBytes: number): ReadAhead | null {
    if (typeof SCAN_WORKER_SOURCE !== 'string' || jobs.length === 0) return null;
    try {
      const shared = new SharedArrayBuffer(8);
      const { port1, port2 } = new MessageChannel();
      const input: WorkerInput = { jobs, shared, port: port2, chunkBytes };
      const worker = new Worker(SCAN_WORKER_SOURCE, { eval: true, workerData: input, transferList: [port2] });
      // Never what keeps a process alive, and its failure is seen as a stall, not thrown.
      worker.unref();
      worker.on('error', () => {});
      return new ReadAhead(worker, port1, new Int32Array(shared));
    } catch {
      return null;
    }
  }

  get alive(): boolean {
    return !this.dead;
  }

  /**
   * The messages of job `job`, in order, ending with its last chunk or its error. Messages of
   * earlier jobs the pass did not ask for (a file that vanished) are dropped on the way.
   */
  *messages(job: number): Generator<ReadMessage> {
    for (;;) {
      const m = this.pending ?? this.receive();
      this.pending = undefined;
      if (m.job < job) continue;
      if (m.job > job) {
        this.pending = m;
        return;
      }
      yield m;
      if ('error' in m || m.last) return;
    }
  }

  stop(): void {
    this.dead = true;
    void this.worker.terminate();
  }

  private receive(): ReadMessage {
    for (;;) {
      const r = receiveMessageOnPort(this.port);
      if (r) {
        Atomics.add(this.counters, TAKEN, 1);
        Atomics.notify(this.counters, TAKEN);
        return r.message as ReadMessage;
      }
      const taken = Atomics.load(this.counters, TAKEN);
      if (Atomics.wait(this.counters, POSTED, taken, STALL_MS) === 'timed-out') {
        this.stop();
        throw new ReadWorkerStalled(`the read worker posted nothing for ${STALL_MS / 1000} s`);
      }
    }
  }
}
