/**
 * The writer thread of an import run. It opens its own connection to the desk's database and
 * holds the run's one transaction (BEGIN IMMEDIATE ... COMMIT) while operations arrive from the
 * reading side: a failure anywhere rolls everything back, and since this connection serves no one
 * else, the transaction may stay open across messages without other desk code ever writing into
 * it. The run's own record is written in the same transaction.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { finishRun, recordFiles, recordProblems } from '../runs';
import { decodeBatch } from './ops';
import { HOOK_THREW, HOOK_WAITING, SYNC_HOOK, SYNC_IN_FLIGHT, SYNC_STOP, fromWire, toWire, type OpsMessage, type WriteRequest, type WriterMessage } from './protocol';
import { buildSummary, type RunTally } from './summary';
import { RunWriter } from './writer';

const { req, port, sync: syncBuffer } = workerData as { req: WriteRequest; port: MessagePort; sync: SharedArrayBuffer };
const sync = new Int32Array(syncBuffer);
const post = (m: WriterMessage) => parentPort!.postMessage(m);

let db: Database.Database | null = null;
let writer: RunWriter | null = null;
let finished = false;

function stepHook(step: string): void {
  Atomics.store(sync, SYNC_HOOK, HOOK_WAITING);
  post({ t: 'step', step });
  Atomics.wait(sync, SYNC_HOOK, HOOK_WAITING);
  if (Atomics.load(sync, SYNC_HOOK) === HOOK_THREW) throw new Error(`the run was stopped after the ${step} step`);
}

function start(): void {
  db = new Database(req.dbPath, { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  // The run writes only ids it has just read or inserted in this same transaction, and deletes no
  // parent: the references hold by construction. Checking each of ~300,000 of them cost a third
  // of the writing time.
  db.pragma('foreign_keys = OFF');
  db.pragma('cache_size = -8000');
  db.pragma('temp_store = MEMORY');
  db.exec('BEGIN IMMEDIATE');
  writer = new RunWriter(db, { source: req.meta.source, now: req.now, allowMassRemoval: req.allowMassRemoval, onStep: req.stepHook ? stepHook : undefined });
}

function end(outcome: Extract<OpsMessage, { t: 'end' }>['outcome']): void {
  const w = writer!;
  const counts = w.finish();
  const files = req.files.map((f) => ({ ...f, rows: w.fileRows.get(f.name) ?? f.rows }));
  const tally: RunTally = { counts, readRejected: w.readRejected, errors: w.errors, warnings: w.warnings, duplicateRows: w.duplicateRows, notes: { ...outcome.notes, ...w.orphans }, noteLists: outcome.noteLists, rowsRead: outcome.rowsRead };
  const s = buildSummary(req.meta, files, req.fileProblems, tally);
  s.finishedAt = new Date(Date.now() + req.clockSkewMs).toISOString();
  s.durationMs = Math.round(Date.now() - req.startEpochMs);
  finishRun(db!, s);
  recordFiles(db!, req.meta.runId, files);
  recordProblems(db!, req.meta.runId, [...req.fileProblems, ...w.problems], w.problemsOverflow());
  db!.exec('COMMIT');
  finished = true;
  post({ t: 'done', summary: s });
  close();
}

function fail(e: unknown): void {
  if (finished) return;
  finished = true;
  Atomics.store(sync, SYNC_STOP, 1);
  Atomics.notify(sync, SYNC_IN_FLIGHT);
  try {
    if (db?.inTransaction) db.exec('ROLLBACK');
  } catch {
    // closing the connection rolls back too
  }
  const w = writer;
  const tally: RunTally = {
    counts: null,
    readRejected: w?.readRejected ?? {},
    errors: w?.errors ?? 0,
    warnings: w?.warnings ?? 0,
    duplicateRows: w?.duplicateRows ?? 0,
    notes: {},
    noteLists: {},
    rowsRead: [...(w?.fileRows.values() ?? [])].reduce((a, b) => a + b, 0),
  };
  post({ t: 'failed', error: toWire(e), tally, problems: w?.problems ?? [], overflow: w?.problemsOverflow() ?? 0, fileRows: [...(w?.fileRows ?? [])] });
  close();
}

function close(): void {
  try {
    db?.close();
  } catch {
    // nothing left to save
  }
  port.close();
  parentPort!.off('message', onMessage);
}


/** Operations come over the run's port; an 'abort' may also come from the main thread (the reading thread died). */
function onMessage(m: OpsMessage): void {
  if (finished) return;
  try {
    if (m.t === 'batch') {
      decodeBatch(m.b, writer!);
      Atomics.sub(sync, SYNC_IN_FLIGHT, 1);
      Atomics.notify(sync, SYNC_IN_FLIGHT);
    } else if (m.t === 'end') end(m.outcome);
    else fail(fromWire(m.error));
  } catch (e) {
    fail(e);
  }
}

// Listening before start(): a start that fails (the database busy) closes them again, and the
// thread can end. Registered after it, they kept a failed thread alive for good.
port.on('message', onMessage);
parentPort!.on('message', onMessage);

try {
  start();
} catch (e) {
  fail(e);
}
