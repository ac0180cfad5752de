import type { Worker } from 'node:worker_threads';
import { ApiError } from '../shared/errors';
import { startThread } from '../shared/threads';
import type { FromWriter, PackedRows, ToWriter, WireError, WriterSetup } from './writer-protocol';

export interface WriterEvents {
  committed(m: Extract<FromWriter, { t: 'committed' }>): void;
  stopped(): void;
}

function fromWire(w: WireError): Error {
  if (w.code && !w.code.startsWith('SQLITE')) return new ApiError(w.code, w.message);
  const e = new Error(w.message);
  e.name = w.name;
  return Object.assign(e, w.code ? { code: w.code } : {});
}

/**
 * The desk's end of a campaign's writer thread: pages go in with write(), commits and a stop come
 * back through `on`, and end() resolves once the last page is committed (rejects if the thread
 * failed). Never more than one per campaign at a time (campaigns/index.ts keeps one enqueue each).
 */
export class WriterClient {
  private readonly worker: Worker;
  private readonly finished: Promise<void>;
  private waiters: (() => void)[] = [];
  private failure: Error | null = null;

  constructor(setup: WriterSetup, on: WriterEvents) {
    this.worker = startThread('campaign-writer', { ...setup });
    this.finished = new Promise<void>((resolve, reject) => {
      const failed = (e: Error) => {
        this.failure ??= e;
        this.wake();
        reject(this.failure);
      };
      this.worker.on('message', (m: FromWriter) => {
        if (m.t === 'committed') on.committed(m);
        else if (m.t === 'stopped') on.stopped();
        else if (m.t === 'done') resolve();
        else failed(fromWire(m.error));
        if (m.t === 'committed' || m.t === 'stopped') this.wake();
      });
      this.worker.on('error', failed);
      this.worker.on('exit', () => failed(new Error('The campaign writer stopped before its last page was written.')));
    });
    // Reported by end() (or by the next write); not an unhandled rejection meanwhile.
    this.finished.catch(() => {});
  }

  private wake() {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private send(m: ToWriter | { t: 'abort' }) {
    if (this.failure) throw this.failure;
    this.worker.postMessage(m);
  }

  write(rows: PackedRows): void {
    this.send({ t: 'rows', rows });
  }

  /** Resolves at the next commit or stop (with maxTxMs 0, the page just written); throws if the thread failed. */
  async settled(): Promise<void> {
    await new Promise<void>((r) => this.waiters.push(r));
    if (this.failure) throw this.failure;
  }

  async end(): Promise<void> {
    this.send({ t: 'end' });
    await this.finished;
  }

  /** Rolls back what is not committed and ends the thread. */
  async abort(): Promise<void> {
    if (!this.failure) this.worker.postMessage({ t: 'abort' });
    await this.finished.catch(() => {});
  }
}
