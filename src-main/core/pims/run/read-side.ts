/**
 * Runs the reading side of an import (parse.ts) against a writer thread: operations go over the
 * port in batches, with flow control, and the run ends with 'end' or, on an error, 'abort' (the
 * writer then rolls back and reports it). Used by the reading thread, and by the main thread of a
 * command-line import.
 */
import type { MessagePort } from 'node:worker_threads';
import { BatchEncoder, batchTransfer } from './ops';
import { ParseStopped, parseFiles, type ParsePlan, type ParseProgress } from './parse';
import { MAX_IN_FLIGHT, SYNC_IN_FLIGHT, SYNC_STOP, toWire, type OpsMessage } from './protocol';

export function readToWriter(plan: ParsePlan, port: MessagePort, sync: Int32Array, progress: (p: ParseProgress) => void): void {
  const stopped = () => Atomics.load(sync, SYNC_STOP) === 1;
  const post = (m: OpsMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
  const out = new BatchEncoder((b) => {
    for (let n = Atomics.load(sync, SYNC_IN_FLIGHT); n >= MAX_IN_FLIGHT && !stopped(); n = Atomics.load(sync, SYNC_IN_FLIGHT)) Atomics.wait(sync, SYNC_IN_FLIGHT, n, 1000);
    if (stopped()) throw new ParseStopped();
    Atomics.add(sync, SYNC_IN_FLIGHT, 1);
    post({ t: 'batch', b }, batchTransfer(b));
  });
  try {
    const outcome = parseFiles(plan, out, { progress, stopped });
    out.flush();
    post({ t: 'end', outcome });
  } catch (e) {
    if (e instanceof ParseStopped || stopped()) return;
    // What was read before the error still goes: its problems belong in the failed run's record.
    try {
      out.flush();
    } catch {
      // the writer stopped meanwhile
    }
    post({ t: 'abort', error: toWire(e) });
  }
}
