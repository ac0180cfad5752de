/** The reading thread of an import run (see read-side.ts); its progress goes to the main thread. */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { ReadRequest, ReaderMessage } from './protocol';
import { readToWriter } from './read-side';

const { req, port, sync } = workerData as { req: ReadRequest; port: MessagePort; sync: SharedArrayBuffer };
const post = (m: ReaderMessage) => parentPort!.postMessage(m);
readToWriter(req.plan, port, new Int32Array(sync), (p) => post({ t: 'progress', p }));
post({ t: 'parsed' });
